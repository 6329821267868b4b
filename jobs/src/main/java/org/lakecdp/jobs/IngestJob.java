package org.lakecdp.jobs;

import java.util.Locale;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestReport;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;

/** {@code cdp run ingest}: declared sources to bronze. */
final class IngestJob implements Job {
  @Override
  public String name() {
    return BronzeIngest.JOB;
  }

  @Override
  public String description() {
    return "read new files and rows of every declared source into cdp_bronze";
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    IngestReport report = new BronzeIngest(session.lakehouse(), session.settings(),
        session.progress()).run(new IngestRequest(options.date(), options.dateGiven(),
            options.force(), options.sources()));
    return String.format(Locale.ROOT,
        "ingest %s: %,d record(s) from %d source(s), %,d file(s) into %s; %,d quarantined"
            + " into %s", report.runId(), report.rows(), report.sources().size(),
        report.files(), session.lakehouse().name(CdpTable.BRONZE_EVENTS),
        report.quarantined(), session.lakehouse().name(CdpTable.BRONZE_QUARANTINE));
  }
}
