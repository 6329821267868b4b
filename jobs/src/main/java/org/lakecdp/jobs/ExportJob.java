package org.lakecdp.jobs;

import java.util.Locale;
import org.lakecdp.core.segment.export.ExportReport;
import org.lakecdp.core.segment.export.Exports;

/**
 * {@code cdp run export}: the day's segments to their destinations' files; {@code --force}
 * publishes past the safety gate.
 */
final class ExportJob implements Job {
  @Override
  public String name() {
    return Exports.JOB;
  }

  @Override
  public String description() {
    return "publish segment files to the destinations (cdp_gold.segment_exports)";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    ExportReport r = new Exports(session.lakehouse(), session.settings(), session.progress())
        .run(options.date(), options.force());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "export %s: %d file set(s) for %s", r.runId(), r.exports().size(), r.runDate()));
    for (ExportReport.Export e : r.exports()) {
      sb.append(String.format(Locale.ROOT, "%n  %s/%s: ", e.destination(), e.segment()));
      sb.append(e.rows() >= 0 ? String.format(Locale.ROOT, "%,d row(s) -> %s", e.rows(),
          e.location()) : e.note() + " (" + e.location() + ")");
    }
    return sb.toString();
  }
}
