package org.lakecdp.jobs;

/** One schedulable step of the pipeline, as run by {@code cdp run <name>}. */
interface Job {
  String name();

  String description();

  /**
   * True when the job works day by day (ingest); false when each run works on the whole
   * lakehouse (identity), so a backfill of many days runs it once, after the last day.
   */
  default boolean perDay() {
    return true;
  }

  /** Runs the job; returns the one-line summary printed to the operator. */
  String run(CdpSession session, JobOptions options);
}
