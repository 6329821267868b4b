package org.lakecdp.jobs;

import java.util.Locale;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.segment.SegmentReport;
import org.lakecdp.core.segment.Segments;

/** {@code cdp run segment}: segment membership, changes and sizes as of the logical date. */
final class SegmentJob implements Job {
  @Override
  public String name() {
    return Segments.JOB;
  }

  @Override
  public String description() {
    return "evaluate the segments into cdp_gold.segment_membership and segment_changes";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    SegmentReport r = new Segments(session.lakehouse(), session.settings(), session.progress())
        .run(options.date());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "segment %s: %d segment(s) as of %s in %s%s", r.runId(), r.sizes().size(),
        r.runDate(), session.lakehouse().name(CdpTable.GOLD_SEGMENT_MEMBERSHIP),
        r.wrote() ? "" : "; nothing written (same as stored)"));
    for (SegmentReport.Size s : r.sizes()) {
      sb.append(String.format(Locale.ROOT, "%n  %-32s %,9d member(s), %,7d holdout, +%,d -%,d",
          s.segment(), s.members(), s.holdout(), s.entered(), s.exited()));
    }
    return sb.toString();
  }
}
