package org.lakecdp.core.ingest;

import java.time.LocalDate;
import java.util.List;

/**
 * What an ingest run did.
 *
 * @param runId the run
 * @param logicalDate its logical date
 * @param sources one entry per source that had work
 * @param suppressed valid records not ingested because they carry an erased person's
 *     identifier ({@code cdp_ops.suppression_list})
 */
public record IngestReport(String runId, LocalDate logicalDate, List<SourceReport> sources,
    long suppressed) {
  public IngestReport {
    sources = List.copyOf(sources);
  }

  /** Per-source counts. */
  public record SourceReport(String source, int files, long bytes, long rows, long quarantined) {}

  public long rows() {
    return sources.stream().mapToLong(SourceReport::rows).sum();
  }

  public long quarantined() {
    return sources.stream().mapToLong(SourceReport::quarantined).sum();
  }

  public int files() {
    return sources.stream().mapToInt(SourceReport::files).sum();
  }
}
