package org.lakecdp.jobs;

import java.util.Locale;
import org.lakecdp.core.identity.IdentityReport;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.lake.CdpTable;

/** {@code cdp run identity}: bronze to the silver identity tables and customer ids. */
final class IdentityJob implements Job {
  @Override
  public String name() {
    return IdentityResolution.JOB;
  }

  @Override
  public String description() {
    return "standardise, dedupe and resolve records into persistent customer ids (cdp_silver)";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    IdentityReport r = new IdentityResolution(session.lakehouse(), session.settings(),
        session.progress()).run(options.date());
    String scope = r.stat("mode.full") > 0 ? "full rebuild"
        : String.format(Locale.ROOT, "incremental: %,d new record(s), %,d customer(s)"
            + " re-resolved", (long) r.stat("records.new"), (long) r.stat("scope.customers"));
    return String.format(Locale.ROOT,
        "identity %s (%s): %,d record(s) into %,d customer(s) in %s; links written: %,d by"
            + " rules, %,d by the model; %,d merge(s), %,d split(s)", r.runId(), scope,
        r.records(), r.customers(),
        session.lakehouse().name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP),
        (long) r.stats().entrySet().stream().filter(e -> e.getKey().startsWith("links.")
            && !e.getKey().equals("links.model")).mapToDouble(e -> e.getValue()).sum(),
        (long) r.stat("links.model"), (long) r.stat("lineage.merge"),
        (long) r.stat("lineage.split"));
  }
}
