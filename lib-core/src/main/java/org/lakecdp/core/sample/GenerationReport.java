package org.lakecdp.core.sample;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link SampleDataGenerator#generate} wrote.
 *
 * @param persons number of simulated persons
 * @param recordsPerSource data lines written per source (CSV headers excluded; duplicated and
 *     malformed lines included), keyed by source name ({@code web}, {@code app}, {@code orders},
 *     {@code pos}, {@code email}, {@code crm}, {@code support}, {@code consent})
 * @param malformedLines lines that are deliberately broken, all listed in
 *     {@code truth/malformed.csv}
 * @param duplicateRecords lines that repeat an earlier line exactly
 * @param root the folder holding {@code landing/} and {@code truth/}
 */
public record GenerationReport(int persons, Map<String, Long> recordsPerSource,
    long malformedLines, long duplicateRecords, Path root) {

  public GenerationReport {
    recordsPerSource = java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(recordsPerSource));
  }

  /** All data lines of all sources. */
  public long totalRecords() {
    return recordsPerSource.values().stream().mapToLong(Long::longValue).sum();
  }
}
