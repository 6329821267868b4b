package org.lakecdp.core.segment.export;

import java.time.LocalDate;
import java.util.List;

/**
 * What an export run did.
 *
 * @param runId the run
 * @param runDate segment run date exported
 * @param exports one entry per destination and segment, in order
 */
public record ExportReport(String runId, LocalDate runDate, List<Export> exports) {
  public ExportReport {
    exports = List.copyOf(exports);
  }

  /**
   * One destination and segment.
   *
   * @param rows rows published, or -1 when skipped
   * @param location folder of the files and manifest
   * @param note why it was skipped, or empty
   */
  public record Export(String destination, String segment, long rows, String location,
      String note) {}
}
