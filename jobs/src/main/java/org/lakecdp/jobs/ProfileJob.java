package org.lakecdp.jobs;

import java.util.Locale;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.profile.CustomerProfiles;
import org.lakecdp.core.profile.ProfileReport;

/** {@code cdp run profile}: the gold 360 customer profile as of the logical date. */
final class ProfileJob implements Job {
  @Override
  public String name() {
    return CustomerProfiles.JOB;
  }

  @Override
  public String description() {
    return "build the 360 customer profile of every customer (cdp_gold.customer_profile)";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    ProfileReport r = new CustomerProfiles(session.lakehouse(), session.settings(),
        session.progress()).run(options.date());
    return String.format(Locale.ROOT,
        "profile %s: %,d customer(s) in %s as of %s; %,d new or changed, %,d removed%s",
        r.runId(), r.customers(), session.lakehouse().name(CdpTable.GOLD_CUSTOMER_PROFILE),
        options.date(), r.changed(), r.removed(), r.wrote() ? "" : "; nothing written");
  }
}
