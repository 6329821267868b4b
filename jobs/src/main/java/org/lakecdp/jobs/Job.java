package org.lakecdp.jobs;

/** One schedulable step of the pipeline, as run by {@code cdp run <name>}. */
interface Job {
  String name();

  String description();

  /** Runs the job; returns the one-line summary printed to the operator. */
  String run(CdpSession session, JobOptions options);
}
