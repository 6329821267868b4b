package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

/**
 * The identity stage end to end on a small hand-made lakehouse: deterministic rules over
 * standardised values, guardrails, exact-duplicate removal, persistent ids, merges with
 * lineage and evidence. The model is switched off here (FEBRL 4 tests it).
 */
@ExtendWith(SparkTestSession.class)
class IdentityResolutionTest {
  private static final LocalDate D1 = LocalDate.of(2024, 5, 1);
  private static final LocalDate D2 = LocalDate.of(2024, 5, 2);

  @TempDir
  Path dir;

  private CdpSettings settings() {
    return settings("incremental");
  }

  private CdpSettings settings(String mode) {
    String db = "ir" + Math.abs(dir.hashCode() % 100000);
    return TestConfig.fromHocon(dir.resolve("lake"), """
        cdp.identity.mode = %3$s
        cdp.lakehouse.databases { bronze = %1$s_bronze, silver = %1$s_silver,
                                  gold = %1$s_gold, ops = %1$s_ops }
        cdp.identity.probabilistic.enabled = false
        cdp.sources.crm {
          format = json
          path = "%2$s/crm/{date}/*.jsonl"
          event-time.field = ts
          event-type.value = customer_profile
          record-key = id
          mapping { customer_id = id, email = email, phone = phone, first_name = first,
                    last_name = last }
        }
        cdp.sources.web {
          format = json
          path = "%2$s/web/{date}/*.jsonl"
          event-time.field = ts
          event-type.value = page_view
          record-key = id
          mapping { cookie_id = cookie, email = email, phone = phone }
        }
        """.formatted(db, dir.resolve("landing"), mode));
  }

  private void write(String source, LocalDate day, String... lines) throws IOException {
    Path file = dir.resolve("landing").resolve(source).resolve(day.toString())
        .resolve("part-0.jsonl");
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static String crm(String id, String ts, String email, String phone, String first,
      String last) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + ts + "\""
        + (email == null ? "" : ",\"email\":\"" + email + "\"")
        + (phone == null ? "" : ",\"phone\":\"" + phone + "\"")
        + ",\"first\":\"" + first + "\",\"last\":\"" + last + "\"}";
  }

  private static String web(String id, String cookie, String email, String phone) {
    return "{\"id\":\"" + id + "\",\"ts\":\"2024-05-01T10:00:00Z\",\"cookie\":\"" + cookie
        + "\"" + (email == null ? "" : ",\"email\":\"" + email + "\"")
        + (phone == null ? "" : ",\"phone\":\"" + phone + "\"") + "}";
  }

  private IdentityReport nightly(Lakehouse lake, CdpSettings settings, LocalDate day) {
    new BronzeIngest(lake, settings, m -> { }).run(new IngestRequest(day, false, false,
        List.of()));
    return new IdentityResolution(lake, settings, m -> { }).run(day);
  }

  /** Groups of source/record_key sharing a customer, as sorted sets. */
  private static Set<Set<String>> clusters(Lakehouse lake) {
    Map<String, Set<String>> byCustomer = new HashMap<>();
    for (Row r : lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP).collectAsList()) {
      byCustomer.computeIfAbsent(r.getAs(IdentityColumns.CUSTOMER_ID), k -> new TreeSet<>())
          .add(r.getAs(IdentityColumns.SOURCE) + "/" + r.getAs(IdentityColumns.RECORD_KEY));
    }
    return Set.copyOf(byCustomer.values());
  }

  private static Map<String, String> customerOf(Lakehouse lake) {
    return lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(IdentityColumns.SOURCE) + "/"
            + r.getAs(IdentityColumns.RECORD_KEY), r -> r.getAs(IdentityColumns.CUSTOMER_ID)));
  }

  @Test
  void linksStandardisedIdentifiersKeepsGuardrailsAndPersistsIds() throws IOException {
    CdpSettings settings = settings();
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    write("crm", D1,
        crm("C1", "2024-05-01T09:00:00Z", " Ann.Lee@Example.COM ", "07700 900123", "Ann", "Lee"),
        crm("C2", "2024-05-01T09:05:00Z", "ann.lee@example.com", null, "Anne", "Lee"),
        crm("C3", "2024-05-01T09:10:00Z", "test@test.com", "0000000000", "Bob", "Stone"),
        crm("C3", "2024-05-01T09:10:00Z", "test@test.com", "0000000000", "Bob", "Stone"),
        crm("C4", "2024-05-01T09:20:00Z", "TEST@test.com", "0000000000", "Carl", "Moss"),
        crm("C5", "2024-05-01T09:30:00Z", "robert.stone@example.org", null, "Robert",
            "Stone"));
    write("web", D1,
        web("w1", "ck1", "ann.lee@example.com", null),
        web("w2", "ck1", null, null),
        web("w3", "ck2", null, "+44 7700 900123"),
        web("w4", "ck3", null, null));

    IdentityReport first = nightly(lake, settings, D1);

    assertThat(clusters(lake)).containsExactlyInAnyOrder(
        Set.of("crm/C1", "crm/C2", "web/w1", "web/w2", "web/w3"),
        Set.of("crm/C3"), Set.of("crm/C4"), Set.of("crm/C5"), Set.of("web/w4"));
    assertThat(first.records()).isEqualTo(9);
    assertThat(first.stat("records.exact_duplicates_dropped")).isEqualTo(1.0);
    assertThat(first.stat("links.same_email")).isEqualTo(2.0);

    Row c1 = lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
        .where(col(IdentityColumns.RECORD_KEY).equalTo("C1")).first();
    assertThat((String) c1.getAs(IdentityColumns.EMAIL)).isEqualTo("ann.lee@example.com");
    assertThat((String) c1.getAs(IdentityColumns.PHONE)).isEqualTo("+447700900123");
    assertThat(c1.<String, String>getJavaMap(c1.fieldIndex(IdentityColumns.ORIGINAL))
        .get("email")).isEqualTo("Ann.Lee@Example.COM");
    Row c3 = lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
        .where(col(IdentityColumns.RECORD_KEY).equalTo("C3")).first();
    assertThat(c3.<String>getList(c3.fieldIndex(IdentityColumns.UNUSABLE)))
        .contains("email: null-like");

    // "why are these two records the same customer" is one query over the evidence
    String ann = customerOf(lake).get("crm/C1");
    List<Row> evidence = lake.read(CdpTable.SILVER_IDENTITY_LINKS)
        .where(col(IdentityColumns.CUSTOMER_ID).equalTo(ann)).collectAsList();
    assertThat(evidence).extracting(r -> r.getAs(IdentityColumns.RULE),
            r -> r.getAs(IdentityColumns.VALUE))
        .containsExactlyInAnyOrder(tuple("same_email", "ann.lee@example.com"),
            tuple("same_email", "ann.lee@example.com"),
            tuple("same_phone", "+447700900123"),
            tuple("same_cookie_id", "ck1"));

    // a rerun with nothing new changes no id and no membership row
    List<Row> membershipBefore = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .orderBy(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY).collectAsList();
    IdentityReport rerun = new IdentityResolution(lake, settings, m -> { }).run(D1);
    assertThat(lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .orderBy(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY).collectAsList())
        .isEqualTo(membershipBefore);
    assertThat(rerun.stat("lineage.merge") + rerun.stat("lineage.split")).isZero();
    assertThat(lake.read(CdpTable.SILVER_ID_LINEAGE).count()).isZero();

    // day 2: Bob's CRM record gets a real email that Robert's record has: they merge
    Map<String, String> before = customerOf(lake);
    write("crm", D2, crm("C3", "2024-05-02T08:00:00Z", "robert.stone@example.org",
        "0000000000", "Bob", "Stone"));
    IdentityReport second = nightly(lake, settings, D2);

    Map<String, String> after = customerOf(lake);
    assertThat(after.get("crm/C3")).isEqualTo(after.get("crm/C5"));
    assertThat(after.get("crm/C3")).isIn(before.get("crm/C3"), before.get("crm/C5"));
    assertThat(after.get("crm/C1")).isEqualTo(before.get("crm/C1"));
    assertThat(after.get("crm/C4")).isEqualTo(before.get("crm/C4"));
    assertThat(second.stat("lineage.merge")).isEqualTo(1.0);
    String gone = after.get("crm/C3").equals(before.get("crm/C3")) ? before.get("crm/C5")
        : before.get("crm/C3");
    List<Row> lineage = lake.read(CdpTable.SILVER_ID_LINEAGE).collectAsList();
    assertThat(lineage).extracting(r -> r.getAs(IdentityColumns.EVENT),
            r -> r.getAs(IdentityColumns.FROM_CUSTOMER_ID),
            r -> r.getAs(IdentityColumns.CUSTOMER_ID), r -> r.getAs(IdentityColumns.REASON))
        .containsExactly(tuple("merge", gone, after.get("crm/C3"), "linked by same_email"));
  }

  @Test
  void rebuildFromNothingGivesTheSameIds() throws IOException {
    CdpSettings settings = settings();
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    write("crm", D1,
        crm("C1", "2024-05-01T09:00:00Z", "a@example.com", null, "Ann", "Lee"),
        crm("C2", "2024-05-01T09:05:00Z", "b@example.com", "07700 900124", "Bo", "Yu"));
    write("web", D1, web("w1", "ck1", "a@example.com", null));
    nightly(lake, settings, D1);
    Map<String, String> ids = customerOf(lake);

    new ArrayList<>(List.of(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, CdpTable.SILVER_ID_LINEAGE))
        .forEach(t -> lake.spark().sql("DELETE FROM delta.`" + lake.path(t) + "`"));
    new IdentityResolution(lake, settings, m -> { }).run(D1);

    assertThat(customerOf(lake)).isEqualTo(ids);
    assertThat(ids.get("crm/C1")).isEqualTo(ids.get("web/w1")).startsWith("cus_");
  }

  @Test
  void aValueBecomingOverSharedUnlinksItsRecordsAsARebuildWould() throws IOException {
    CdpSettings settings = settings();
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    // five people behind one shop phone: within max-distinct-per-value (5), so it links them
    List<String> day1 = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      day1.add(crm("C" + i, "2024-05-01T09:00:00Z", "p" + i + "@example.com", "07700 900555",
          "Name" + i, "Family" + i));
    }
    write("crm", D1, day1.toArray(String[]::new));
    nightly(lake, settings, D1);
    assertThat(clusters(lake)).hasSize(1);

    // a sixth: the phone is now over-shared, links nobody, and the five come apart
    write("crm", D2, crm("C6", "2024-05-02T09:00:00Z", "p6@example.com", "07700 900555",
        "Name6", "Family6"));
    IdentityReport second = nightly(lake, settings, D2);
    assertThat(second.stat("mode.full")).isZero();
    assertThat(second.stat("records.remarked")).isEqualTo(5.0);
    assertThat(clusters(lake)).hasSize(6);
    assertThat(lake.read(CdpTable.SILVER_IDENTITY_ALERTS)
        .where(col(IdentityColumns.RUN_ID).equalTo(second.runId())).collectAsList())
        .extracting(r -> r.getAs(IdentityColumns.KIND), r -> r.getAs(IdentityColumns.SUBJECT))
        .containsExactly(tuple("over_shared_value", "phone=+447700900555"));
    Map<String, String> incremental = customerOf(lake);
    List<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
        .orderBy(IdentityColumns.RECORD_KEY).select(IdentityColumns.RECORD_KEY,
            IdentityColumns.UNUSABLE, IdentityColumns.NODE_ID).collectAsList();

    // a full rebuild of the same data changes nothing
    IdentityReport rebuilt = new IdentityResolution(lake, settings("full"), m -> { }).run(D2);
    assertThat(rebuilt.stat("mode.full")).isEqualTo(1.0);
    assertThat(customerOf(lake)).isEqualTo(incremental);
    assertThat(lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
        .orderBy(IdentityColumns.RECORD_KEY).select(IdentityColumns.RECORD_KEY,
            IdentityColumns.UNUSABLE, IdentityColumns.NODE_ID).collectAsList())
        .isEqualTo(records);
    assertThat(rebuilt.stat("lineage.merge") + rebuilt.stat("lineage.split")
        + rebuilt.stat("lineage.retire")).isZero();
  }

  /**
   * A corrected day-1 file: C2 gets another email (its customer splits: C1 and C4, the larger
   * part, keep the id) and C3 is gone (its customer is retired); each change is one lineage row
   * with its reason, and a full rebuild gives the same customers.
   */
  @Test
  void recordsReplacedInBronzeLeaveTheirCustomersAsARebuildWould() throws IOException {
    CdpSettings settings = settings();
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    write("crm", D1,
        crm("C1", "2024-05-01T09:00:00Z", "a@example.com", null, "Ann", "Lee"),
        crm("C2", "2024-05-01T09:05:00Z", "a@example.com", null, "Bo", "Yu"),
        crm("C3", "2024-05-01T09:10:00Z", "c@example.com", null, "Cy", "Oh"),
        crm("C4", "2024-05-01T09:15:00Z", "a@example.com", null, "Di", "Ng"));
    nightly(lake, settings, D1);
    Map<String, String> first = customerOf(lake);
    String shared = first.get("crm/C1");
    assertThat(first.get("crm/C2")).isEqualTo(shared);
    assertThat(first.get("crm/C4")).isEqualTo(shared);

    // the source corrects its day-1 file: C2 has another email, C3 is gone
    write("crm", D1,
        crm("C1", "2024-05-01T09:00:00Z", "a@example.com", null, "Ann", "Lee"),
        crm("C2", "2024-05-01T09:05:00Z", "b@example.com", null, "Bo", "Yu"),
        crm("C4", "2024-05-01T09:15:00Z", "a@example.com", null, "Di", "Ng"));
    new BronzeIngest(lake, settings, m -> { }).run(new IngestRequest(D1, true, true,
        List.of()));
    IdentityReport second = new IdentityResolution(lake, settings, m -> { }).run(D1);
    assertThat(second.stat("mode.full")).isZero();
    assertThat(second.stat("records.gone")).as("C2's first version and C3").isEqualTo(2.0);
    Map<String, String> incremental = customerOf(lake);
    assertThat(incremental).containsOnlyKeys("crm/C1", "crm/C2", "crm/C4");
    assertThat(incremental.get("crm/C1")).as("the larger part keeps the id").isEqualTo(shared);
    assertThat(incremental.get("crm/C4")).isEqualTo(shared);
    String splitOff = incremental.get("crm/C2");
    assertThat(splitOff).isNotEqualTo(shared).isNotIn(first.values());
    assertThat(lake.read(CdpTable.SILVER_IDENTITY_RECORDS).count()).isEqualTo(3);
    assertThat(lake.read(CdpTable.SILVER_ID_LINEAGE)
        .where(col(IdentityColumns.RUN_ID).equalTo(second.runId()))
        .select(IdentityColumns.EVENT, IdentityColumns.CUSTOMER_ID,
            IdentityColumns.FROM_CUSTOMER_ID, IdentityColumns.RECORDS, IdentityColumns.REASON)
        .collectAsList()).extracting(r -> r.getString(0), r -> r.getString(1),
            r -> r.getString(2), r -> r.getLong(3), r -> r.getString(4))
        .containsExactlyInAnyOrder(
            tuple("split", splitOff, shared, 1L,
                "no longer linked to the records that kept " + shared),
            tuple("retire", null, first.get("crm/C3"), 1L, "none of its records remain"));

    IdentityReport rebuilt = new IdentityResolution(lake, settings("full"), m -> { }).run(D1);
    assertThat(customerOf(lake)).isEqualTo(incremental);
    assertThat(rebuilt.stat("lineage.merge") + rebuilt.stat("lineage.split")
        + rebuilt.stat("lineage.retire")).isZero();
  }
}
