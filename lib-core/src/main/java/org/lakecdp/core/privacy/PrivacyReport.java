package org.lakecdp.core.privacy;

import java.util.List;
import java.util.Map;

/**
 * What a privacy run did.
 *
 * @param runId the privacy run
 * @param receipts one per request processed now
 * @param skipped ids of requests that already had a receipt
 */
public record PrivacyReport(String runId, List<Receipt> receipts, List<String> skipped) {

  /**
   * The receipt of one request.
   *
   * @param requestId request id
   * @param type erase or access
   * @param identifierKind what named the person
   * @param identifierHash salted hash of the identifier value
   * @param status done, or not_found
   * @param customers customer ids the identifier resolved to
   * @param rowsRemoved erase: rows removed per table
   * @param output access: the package written
   * @param receivedFrom command line, or the queue file
   */
  public record Receipt(String requestId, String type, String identifierKind,
      String identifierHash, String status, long customers, Map<String, Long> rowsRemoved,
      String output, String receivedFrom) {

    /** Rows removed over all tables. */
    public long totalRemoved() {
      return rowsRemoved.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
