package org.lakecdp.core.identity;

import java.util.Map;

/**
 * What one identity run did.
 *
 * @param runId the run
 * @param records distinct source records resolved
 * @param customers customers after the run
 * @param stats every metric written to {@code cdp_silver.identity_run_stats}, by name
 */
public record IdentityReport(String runId, long records, long customers,
    Map<String, Double> stats) {
  public IdentityReport {
    stats = Map.copyOf(stats);
  }

  /** One metric, 0 when absent. */
  public double stat(String metric) {
    return stats.getOrDefault(metric, 0.0);
  }
}
