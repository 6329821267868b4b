package org.lakecdp.core.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One row of {@code cdp_ops.ingested_files}: a file (or JDBC range) a source has ingested.
 *
 * @param source source name
 * @param sourceFile file URI or JDBC range description
 * @param size file size when ingested, null for JDBC
 * @param modifiedAt file modification time when ingested, null for JDBC
 * @param logicalDate logical date it belongs to
 * @param watermarkLow JDBC exclusive lower watermark, else null
 * @param watermarkHigh JDBC inclusive upper watermark, else null
 */
public record IngestedFile(String source, String sourceFile, Long size, Instant modifiedAt,
    LocalDate logicalDate, String watermarkLow, String watermarkHigh) {

  /** True when {@code file} is this file unchanged (same size and modification time). */
  public boolean sameAs(SourceFile file) {
    return size != null && size == file.size() && modifiedAt != null
        && modifiedAt.equals(file.modifiedAt());
  }
}
