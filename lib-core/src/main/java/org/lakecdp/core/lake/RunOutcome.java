package org.lakecdp.core.lake;

import java.util.Map;

/**
 * What a run did, for the run ledger.
 *
 * @param inputRows records read
 * @param outputRows records written to the job's main table
 * @param quarantinedRows records quarantined
 * @param tableVersions Delta version written per table name
 * @param details free-form counts (per source, per stage)
 */
public record RunOutcome(long inputRows, long outputRows, long quarantinedRows,
    Map<String, Long> tableVersions, Map<String, String> details) {

  public RunOutcome {
    tableVersions = Map.copyOf(tableVersions);
    details = Map.copyOf(details);
  }

  /** Nothing done (yet). */
  public static RunOutcome empty() {
    return new RunOutcome(0, 0, 0, Map.of(), Map.of());
  }
}
