package org.lakecdp.jobs;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;

/**
 * {@code cdp demo}: sample data (generated when absent), the nightly pipeline in catch-up
 * mode, then where everything is and a few queries to try.
 */
final class Demo {
  private Demo() {}

  static void run(CdpMain main, CommandLine cl) {
    if (!cl.positional().isEmpty()) {
      throw new UsageException("demo: unexpected argument '" + cl.positional().get(0) + "'");
    }
    try (CdpSession session = main.open(cl, SampleData.sampleOverrides(cl))) {
      if (cl.flag("regenerate") || !SampleData.present(session.settings().sample())) {
        main.out().println(SampleData.describe(
            SampleData.generate(main, session.settings().sample())));
      } else {
        main.progress("sample data already in " + session.settings().sample().root()
            + " (use --regenerate to make it again)");
      }
      // as of the sample's last day: recency, scores and relative-date segments then
      // describe the customers at the end of their history, not years after it
      main.runPipeline(session, List.of(new JobOptions(session.settings().sample().endDate(),
          false, false, List.of())));
      summary(session.lakehouse(), main.out());
    }
  }

  private static void summary(Lakehouse lake, PrintStream out) {
    out.println();
    out.println("Lakehouse: " + lake.settings().root());
    for (CdpTable table : CdpTable.values()) {
      out.printf(Locale.ROOT, "  %-28s %,12d rows   %s%n", lake.name(table),
          lake.read(table).count(), lake.path(table));
    }
    List<Row> bySource = lake.read(CdpTable.BRONZE_EVENTS).groupBy(BronzeColumns.SOURCE)
        .count().orderBy(BronzeColumns.SOURCE).collectAsList();
    out.println("Bronze records per source:");
    bySource.forEach(r -> out.printf(Locale.ROOT, "  %-12s %,10d%n", r.getString(0),
        r.getLong(1)));
    List<Row> reasons = lake.read(CdpTable.BRONZE_QUARANTINE)
        .groupBy(BronzeColumns.SOURCE, BronzeColumns.REASON).count()
        .orderBy(org.apache.spark.sql.functions.col("count").desc()).limit(5).collectAsList();
    if (!reasons.isEmpty()) {
      out.println("Quarantined (top reasons):");
      reasons.forEach(r -> out.printf(Locale.ROOT, "  %-10s %5d  %s%n", r.getString(0),
          r.getLong(2), r.getString(1)));
    }
    String bronze = lake.name(CdpTable.BRONZE_EVENTS);
    out.println();
    out.println("Try:");
    out.println("  scripts/cdp sql \"SELECT source, event_type, count(*) AS n FROM " + bronze
        + " GROUP BY 1, 2 ORDER BY 1, 3 DESC\"");
    out.println("  scripts/cdp sql \"SELECT * FROM " + lake.name(CdpTable.OPS_RUNS)
        + " ORDER BY started_at DESC\"");
    out.println("  scripts/cdp sql \"SELECT reason, raw FROM "
        + lake.name(CdpTable.BRONZE_QUARANTINE) + "\"");
    out.println("  scripts/cdp sql \"SELECT customer_id, count(*) AS records, collect_set(source)"
        + " AS sources FROM " + lake.name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        + " GROUP BY 1 ORDER BY 2 DESC\"");
    out.println("  scripts/cdp sql \"SELECT rule, count(*) FROM "
        + lake.name(CdpTable.SILVER_IDENTITY_LINKS) + " GROUP BY 1\"");
    out.println("  scripts/cdp sql \"SELECT customer_id, first_name, last_name, order_count,"
        + " revenue, rfm_score, preferred_channel, top_categories FROM "
        + lake.name(CdpTable.GOLD_CUSTOMER_PROFILE) + " ORDER BY revenue DESC\"");
    out.println("  scripts/cdp sql \"SELECT run_date, segment, members, holdout_members, entered,"
        + " exited FROM " + lake.name(CdpTable.GOLD_SEGMENT_RUNS) + " ORDER BY 1 DESC, 2\"");
    out.println("  scripts/cdp sql \"SELECT destination, segment, run_date, rows, location FROM "
        + lake.name(CdpTable.GOLD_SEGMENT_EXPORTS) + " ORDER BY published_at DESC\"");
    out.println("  scripts/cdp sql \"SELECT request_id, type, status, rows_removed FROM "
        + lake.name(CdpTable.OPS_PRIVACY_RECEIPTS) + " ORDER BY processed_at\"");
    out.println("  scripts/cdp sql \"SELECT at, event, job, run_user, subject, status FROM "
        + lake.name(CdpTable.OPS_AUDIT_LOG) + " ORDER BY at DESC\"");
  }
}
