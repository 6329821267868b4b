package org.lakecdp.core.ingest;

import java.time.LocalDate;
import java.util.List;

/**
 * What one ingest run should do.
 *
 * @param logicalDate the run's logical date; also the date of files from sources without
 *     {@code {date}} in their path
 * @param onlyThatDate true when the operator named the date ({@code --date}): sources with
 *     {@code {date}} read only that day's files. False is catch-up mode: every file not yet
 *     ingested, whatever its date.
 * @param force re-ingest that date's files even if already ingested, replacing what they
 *     produced before (JDBC sources are read past their watermark as in any run)
 * @param sources sources to run, empty for every enabled source
 */
public record IngestRequest(LocalDate logicalDate, boolean onlyThatDate, boolean force,
    List<String> sources) {
  public IngestRequest {
    if (force && !onlyThatDate) {
      throw new IllegalArgumentException("force needs a date");
    }
    sources = List.copyOf(sources);
  }
}
