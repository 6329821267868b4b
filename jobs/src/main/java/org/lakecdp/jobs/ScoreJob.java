package org.lakecdp.jobs;

import java.util.Locale;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.ml.CustomerScoring;

/**
 * {@code cdp run score}: every enabled model's champion scores every customer into
 * {@code cdp_gold.customer_scores}, training first a model that has no champion (or an old
 * one, per {@code cdp.ml.training}).
 */
final class ScoreJob implements Job {
  @Override
  public String name() {
    return CustomerScoring.JOB;
  }

  @Override
  public String description() {
    return "score customers with the champion models into cdp_gold.customer_scores";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    CustomerScoring.ScoreReport r = new CustomerScoring(session.lakehouse(),
        session.settings(), session.progress()).run(options.date());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "score %s: as of %s into %s:", r.runId(), r.asOf(),
        session.lakehouse().name(CdpTable.GOLD_CUSTOMER_SCORES)));
    if (r.rowsByModel().isEmpty()) {
      sb.append(" nothing scored");
    }
    r.rowsByModel().forEach((m, n) -> sb.append(String.format(Locale.ROOT, " %s %,d (%s)", m, n,
        r.versions().get(m))));
    r.notes().forEach(n -> sb.append("\n  ").append(n));
    return sb.toString();
  }
}
