package org.lakecdp.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.lakecdp.core.segment.SegmentRows.profile;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.SegmentColumns;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Segment runs on real Delta tables: relative dates, score deciles, references to other
 * segments, membership history and changes across two run dates, reruns, backfills,
 * holdout and lookalike.
 */
@ExtendWith(SparkTestSession.class)
class SegmentsTest {
  private static final LocalDate D1 = LocalDate.of(2024, 5, 10);
  private static final LocalDate D2 = LocalDate.of(2024, 5, 11);

  @TempDir
  Path dir;

  private static List<String> members(Lakehouse lake, LocalDate date, String segment) {
    return lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP)
        .where("run_date = DATE'" + date + "' AND segment = '" + segment + "'")
        .select(SegmentColumns.CUSTOMER_ID).orderBy(SegmentColumns.CUSTOMER_ID)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /** 20 customers: churn score i/20, last purchase i days before D1, revenue 10 x i. */
  private static List<Row> customers(LocalDate asOf, int shift) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(profile(asOf, String.format("c%02d", i), "churn_score", i / 20.0,
          "last_purchase_at", D1.minusDays(i * 3L + shift).toString(), "revenue", 10 * i,
          "order_count", i % 4, "top_categories", List.of(i % 2 == 0 ? "shoes" : "bags")));
    }
    return rows;
  }

  @Test
  void membershipHistoryChangesRerunsAndBackfills() {
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), """
        cdp.segments {
          recent { where = "last_purchase_at >= run_date - INTERVAL 10 DAYS" }
          at_risk { where = "churn_score_decile = 10" }
          valuable_lapsing { where = "revenue >= 150 AND NOT segments.recent" }
          shoes { where = "array_contains(top_categories, 'shoes') AND order_count IN (1, 2)" }
        }
        """);
    Lakehouse lake = SegmentRows.lakehouse(settings);
    SegmentRows.writeProfiles(lake, customers(D1, 0));

    SegmentReport first = new Segments(lake, settings, m -> { }).run(D1);
    assertThat(first.wrote()).isTrue();
    // last purchases 0, 3, 6, 9 days before D1 are within 10 days
    assertThat(members(lake, D1, "recent")).containsExactly("c00", "c01", "c02", "c03");
    // the highest tenth of 20 churn scores
    assertThat(members(lake, D1, "at_risk")).containsExactly("c18", "c19");
    assertThat(members(lake, D1, "valuable_lapsing")).containsExactly("c15", "c16", "c17",
        "c18", "c19");
    assertThat(members(lake, D1, "shoes")).containsExactly("c02", "c06", "c10", "c14", "c18");
    assertThat(first.sizes()).extracting(SegmentReport.Size::segment,
        SegmentReport.Size::members, SegmentReport.Size::entered)
        .containsExactlyInAnyOrder(tuple("recent", 4L, 4L), tuple("at_risk", 2L, 2L),
            tuple("valuable_lapsing", 5L, 5L), tuple("shoes", 5L, 5L));
    assertThat(first.sizes().get(first.sizes().size() - 1).segment())
        .as("a segment comes after the segments it reads").isNotEqualTo("recent");

    Map<CdpTable, Long> versions = new HashMap<>();
    for (CdpTable t : List.of(CdpTable.GOLD_SEGMENT_MEMBERSHIP, CdpTable.GOLD_SEGMENT_CHANGES,
        CdpTable.GOLD_SEGMENT_RUNS)) {
      versions.put(t, lake.version(t));
    }
    SegmentReport rerun = new Segments(lake, settings, m -> { }).run(D1);
    assertThat(rerun.wrote()).isFalse();
    versions.forEach((t, v) -> assertThat(lake.version(t)).as(t.name()).isEqualTo(v));
    assertThat(rerun.sizes()).isEqualTo(first.sizes());

    // next day: every purchase is a day older, c00 moves up to 10 days
    SegmentRows.writeProfiles(lake, customers(D2, -1));
    SegmentReport second = new Segments(lake, settings, m -> { }).run(D2);
    // D2 is one day later and purchases one day later too: 1, 4, 7, 10 -> c00..c03 stay;
    // the relative window moves with run_date: last_purchase_at >= D2 - 10 days
    assertThat(members(lake, D2, "recent")).containsExactly("c00", "c01", "c02", "c03");
    assertThat(members(lake, D1, "recent")).as("history kept")
        .containsExactly("c00", "c01", "c02", "c03");

    // a third profile: c03 buys no longer recently, c04 did; valuable_lapsing follows
    List<Row> changed = new ArrayList<>(customers(D2, -1));
    changed.set(3, profile(D2, "c03", "churn_score", 0.15, "last_purchase_at", "2024-04-01",
        "revenue", 30, "order_count", 3, "top_categories", List.of("bags")));
    changed.set(4, profile(D2, "c04", "churn_score", 0.2, "last_purchase_at", "2024-05-10",
        "revenue", 40, "order_count", 0, "top_categories", List.of("shoes")));
    SegmentRows.writeProfiles(lake, changed);
    SegmentReport backfill = new Segments(lake, settings, m -> { }).run(D2);
    assertThat(backfill.wrote()).isTrue();
    assertThat(members(lake, D2, "recent")).containsExactly("c00", "c01", "c02", "c04");
    assertThat(members(lake, D1, "recent")).as("only the day rerun is replaced")
        .containsExactly("c00", "c01", "c02", "c03");
    List<Row> changes = lake.read(CdpTable.GOLD_SEGMENT_CHANGES)
        .where("run_date = DATE'" + D2 + "'").collectAsList();
    assertThat(changes).extracting(r -> r.getAs(SegmentColumns.SEGMENT),
            r -> r.getAs(SegmentColumns.CUSTOMER_ID), r -> r.getAs(SegmentColumns.CHANGE),
            r -> r.getAs(SegmentColumns.PREVIOUS_RUN_DATE).toString())
        .containsExactlyInAnyOrder(tuple("recent", "c04", "entered", "2024-05-10"),
            tuple("recent", "c03", "exited", "2024-05-10"));
    List<Row> runs = lake.read(CdpTable.GOLD_SEGMENT_RUNS).where("segment = 'recent'")
        .orderBy(SegmentColumns.RUN_DATE).collectAsList();
    assertThat(runs).extracting(r -> r.getAs(SegmentColumns.RUN_DATE).toString(),
            r -> r.getAs(SegmentColumns.MEMBERS), r -> r.getAs(SegmentColumns.ENTERED),
            r -> r.getAs(SegmentColumns.EXITED))
        .containsExactly(tuple("2024-05-10", 4L, 4L, 0L), tuple("2024-05-11", 4L, 1L, 1L));
    assertThat(lake.read(CdpTable.OPS_RUNS).where("job = 'segment'").count()).isEqualTo(4);
  }

  @Test
  void aRunWhoseSparkTaskFailsAfterACommitLeavesTheTablesAsTheyWere() throws Exception {
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), """
        cdp.segments.recent { where = "last_purchase_at >= run_date - INTERVAL 10 DAYS" }
        """);
    Lakehouse lake = SegmentRows.lakehouse(settings);
    SegmentRows.writeProfiles(lake, customers(D1, 0));
    new Segments(lake, settings, m -> { }).run(D1);
    List<Row> membership = lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP).collectAsList();
    List<Row> changes = lake.read(CdpTable.GOLD_SEGMENT_CHANGES).collectAsList();
    // a file where the D2 partition folder of segment_changes must go: the membership is
    // committed first, then the task writing the changes fails (an IOException in a task,
    // which reaches the driver as the checked SparkException)
    Path blocker = Path.of(lake.path(CdpTable.GOLD_SEGMENT_CHANGES).replaceFirst("^file:", "")
        + "/run_date=" + D2);
    java.nio.file.Files.writeString(blocker, "not a folder");
    SegmentRows.writeProfiles(lake, customers(D2, -3));
    long membershipVersion = lake.version(CdpTable.GOLD_SEGMENT_MEMBERSHIP);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Segments(lake, settings, m -> { }).run(D2))
        .isInstanceOf(org.lakecdp.core.CdpException.class)
        .hasMessageStartingWith("segment run segment-")
        .hasCauseInstanceOf(org.apache.spark.SparkException.class);
    assertThat(lake.version(CdpTable.GOLD_SEGMENT_MEMBERSHIP)).as("written, then restored")
        .isGreaterThan(membershipVersion + 1);
    assertThat(lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP).collectAsList())
        .containsExactlyInAnyOrderElementsOf(membership);
    assertThat(lake.read(CdpTable.GOLD_SEGMENT_CHANGES).collectAsList())
        .containsExactlyInAnyOrderElementsOf(changes);
    assertThat(lake.read(CdpTable.OPS_RUNS).where("job = 'segment'")
        .select("status").collectAsList()).extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("SUCCEEDED", "FAILED");

    java.nio.file.Files.delete(blocker);
    assertThat(new Segments(lake, settings, m -> { }).run(D2).wrote()).isTrue();
    assertThat(members(lake, D2, "recent")).containsExactly("c00", "c01", "c02", "c03",
        "c04");
  }

  @Test
  void aSegmentUsesTheConsentValidAtTheEndOfItsRunDate() {
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), """
        cdp.segments.mailable { where = "consent_status['email_marketing'] = 'granted'" }
        """);
    Lakehouse lake = SegmentRows.lakehouse(settings);
    // the profile shows today's consent: w has withdrawn, v has granted since
    SegmentRows.writeProfiles(lake, List.of(
        SegmentRows.profile(D2, "s", "consent_status", Map.of("email_marketing", "granted")),
        SegmentRows.profile(D2, "w", "consent_status", Map.of("email_marketing", "withdrawn")),
        SegmentRows.profile(D2, "v", "consent_status", Map.of("email_marketing", "granted"))));
    List<Row> history = new ArrayList<>(SegmentRows.grantedAndWithdrawn("s", "w",
        "2024-05-11T08:00:00Z"));
    history.add(SegmentRows.consent("v", "email_marketing", "web", "granted",
        "2024-05-11T00:00:00Z", null));
    SegmentRows.writeConsentHistory(lake, history);

    new Segments(lake, settings, m -> { }).run(D1);
    new Segments(lake, settings, m -> { }).run(D2);
    assertThat(members(lake, D1, "mailable")).containsExactly("s", "w");
    assertThat(members(lake, D2, "mailable")).containsExactly("s", "v");
    assertThat(lake.read(CdpTable.GOLD_SEGMENT_CHANGES).where("run_date = DATE'" + D2 + "'")
        .select("customer_id", "change").orderBy("customer_id").collectAsList()
        .stream().map(r -> r.getString(0) + ":" + r.getString(1)).toList())
        .as("a withdrawal is an exit").containsExactly("v:entered", "w:exited");
  }

  @Test
  void holdoutIsAStableHashAndLookalikesAreTheMostSimilarNonMembers() {
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), """
        cdp.segments {
          everyone { where = "record_count >= 0", holdout-percent = 30 }
          top { where = "revenue >= 1000" }
          like_top { lookalike { seed = top, size = 2, features = [revenue, order_count] } }
        }
        """);
    Lakehouse lake = SegmentRows.lakehouse(settings);
    List<Row> rows = new ArrayList<>();
    Object[][] people = {{"t1", 1000, 10}, {"t2", 1100, 11}, {"t3", 1200, 12}, {"n1", 900, 9},
        {"n2", 800, 8}, {"m1", 900, 1}, {"m2", 50, 12}, {"l1", 10, 1}, {"l2", 20, 1},
        {"l3", 30, 2}, {"l4", 0, 0}};
    for (Object[] p : people) {
      rows.add(profile(D1, (String) p[0], "revenue", p[1], "order_count", p[2]));
    }
    for (int i = 0; i < 40; i++) {
      rows.add(profile(D1, "h" + i, "revenue", 5, "order_count", 1));
    }
    SegmentRows.writeProfiles(lake, rows);
    new Segments(lake, settings, m -> { }).run(D1);
    new Segments(lake, settings, m -> { }).run(D2);

    assertThat(members(lake, D1, "like_top")).containsExactly("n1", "n2");
    Map<String, Boolean> d1 = new HashMap<>();
    Map<String, Boolean> d2 = new HashMap<>();
    lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP).where("segment = 'everyone'").collectAsList()
        .forEach(r -> (r.getAs(SegmentColumns.RUN_DATE).toString().equals(D1.toString())
            ? d1 : d2).put(r.getAs(SegmentColumns.CUSTOMER_ID), r.getAs(SegmentColumns.HOLDOUT)));
    assertThat(d1).hasSize(51).isEqualTo(d2);
    d1.forEach((id, held) -> assertThat(held).as(id)
        .isEqualTo(SegmentEvaluation.bucket("everyone", id) < 3000));
    assertThat(d1.values()).contains(true, false);
  }
}
