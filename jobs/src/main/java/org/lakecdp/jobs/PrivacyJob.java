package org.lakecdp.jobs;

import java.util.List;
import org.lakecdp.core.privacy.Privacy;
import org.lakecdp.core.privacy.PrivacyReport;
import org.lakecdp.core.privacy.PrivacyRequest;

/**
 * {@code cdp run privacy}: the queued access and erasure requests
 * ({@code cdp.privacy.requests}) not processed yet; receipts in {@code cdp_ops.privacy_receipts}.
 */
final class PrivacyJob implements Job {
  @Override
  public String name() {
    return Privacy.JOB;
  }

  @Override
  public String description() {
    return "process queued access and erasure requests (cdp_ops.privacy_receipts)";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    Privacy privacy = new Privacy(session.lakehouse(), session.settings(), session.progress());
    return describe(privacy.run(privacy.queued(), options.date()));
  }

  /** The run and one line per receipt. */
  static String describe(PrivacyReport r) {
    StringBuilder sb = new StringBuilder("privacy " + r.runId() + ": " + r.receipts().size()
        + " request(s) processed" + (r.skipped().isEmpty() ? ""
            : ", " + r.skipped().size() + " already done"));
    for (PrivacyReport.Receipt receipt : r.receipts()) {
      sb.append(System.lineSeparator()).append("  receipt ").append(Privacy.describe(receipt));
      if (receipt.output() != null) {
        sb.append(" -> ").append(receipt.output());
      }
    }
    return sb.toString();
  }

  /** One request from the command line ({@code cdp privacy erase|access}). */
  static String runOne(CdpSession session, PrivacyRequest request, JobOptions options) {
    Privacy privacy = new Privacy(session.lakehouse(), session.settings(), session.progress());
    return describe(privacy.run(List.of(request), options.date()));
  }
}
