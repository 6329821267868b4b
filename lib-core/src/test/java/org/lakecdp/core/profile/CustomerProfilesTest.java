package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lakecdp.core.profile.ProfileRows.event;
import static org.lakecdp.core.profile.ProfileRows.events;
import static org.lakecdp.core.profile.ProfileRows.member;
import static org.lakecdp.core.profile.ProfileRows.members;
import static org.lakecdp.core.profile.ProfileRows.record;
import static org.lakecdp.core.profile.ProfileRows.records;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.OpsColumns;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * The profile job on real Delta tables: one row per customer, column comments, reruns that
 * write nothing, only changed rows restamped, failure restore, scores when present.
 */
@ExtendWith(SparkTestSession.class)
class CustomerProfilesTest {
  private static final LocalDate AS_OF = LocalDate.of(2024, 5, 10);

  @TempDir
  Path dir;

  private static Map<String, Row> profiles(Lakehouse lake) {
    Map<String, Row> out = new HashMap<>();
    lake.read(CdpTable.GOLD_CUSTOMER_PROFILE).collectAsList()
        .forEach(r -> out.put(r.getAs(ProfileColumns.CUSTOMER_ID), r));
    return out;
  }

  private static void seed(Lakehouse lake) {
    lake.append(CdpTable.BRONZE_EVENTS, events(
        event("crm", "C1", "2024-05-01T10:00:00Z", "customer_profile", "email", "A@X.com"),
        event("orders", "O1", "2024-05-03T09:00:00Z", "purchase", "order_id", "O1",
            "amount", "20.00"),
        event("consent", "K1", "2024-05-04T09:00:00Z", "consent", "consent_purpose",
            "email_marketing", "consent_status", "granted", "channel", "web"),
        event("orders", "O2", "2024-04-20T09:00:00Z", "purchase", "order_id", "O2",
            "amount", "7.50")), "ingest-test");
    lake.append(CdpTable.SILVER_IDENTITY_RECORDS, records(
        record("crm", "C1", "2024-05-01T10:00:00Z", "first_name", "ann", "email", "a@x.com",
            "customer_id", "CRM-1"),
        record("orders", "O1", "2024-05-03T09:00:00Z", "email", "a@x.com", "phone",
            "+447700900123"),
        record("consent", "K1", "2024-05-04T09:00:00Z"),
        record("orders", "O2", "2024-04-20T09:00:00Z", "first_name", "bob")), "identity-test");
    lake.append(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, members(member("crm", "C1", "a"),
        member("orders", "O1", "a"), member("consent", "K1", "a"), member("orders", "O2", "b"),
        member("web", "W1", "c")), "identity-test");
  }

  @Test
  void buildsOneDocumentedRowPerCustomerAndRerunsWriteNothing() {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    seed(lake);

    ProfileReport first = new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    assertThat(first.customers()).isEqualTo(3);
    assertThat(first.changed()).isEqualTo(3);
    assertThat(first.wrote()).isTrue();
    Map<String, Row> p = profiles(lake);
    assertThat(p).containsOnlyKeys("a", "b", "c");
    Row a = p.get("a");
    assertThat((String) a.getAs(ProfileColumns.FIRST_NAME)).isEqualTo("ann");
    assertThat((String) a.getAs(ProfileColumns.EMAIL)).isEqualTo("a@x.com");
    assertThat(a.getList(a.fieldIndex(ProfileColumns.PHONES))).containsExactly("+447700900123");
    assertThat(a.getList(a.fieldIndex(ProfileColumns.SOURCE_KEYS)))
        .containsExactly("consent:K1", "crm:C1", "orders:O1");
    assertThat(a.getList(a.fieldIndex(ProfileColumns.SOURCE_CUSTOMER_IDS)))
        .containsExactly("CRM-1");
    assertThat((long) a.getAs(ProfileColumns.ORDER_COUNT)).isEqualTo(1);
    assertThat((BigDecimal) a.getAs(ProfileColumns.REVENUE)).isEqualByComparingTo("20");
    assertThat(a.getJavaMap(a.fieldIndex(ProfileColumns.CONSENT_STATUS)))
        .containsExactly(Map.entry("email_marketing", "granted"));
    assertThat(a.getAs(ProfileColumns.AS_OF_DATE).toString()).isEqualTo("2024-05-10");
    assertThat((String) a.getAs(ProfileColumns.RUN_ID)).isEqualTo(first.runId());
    // a customer without events up to the date: zeros and empty lists, not nulls
    Row c = p.get("c");
    assertThat((long) c.getAs(ProfileColumns.ORDER_COUNT)).isZero();
    assertThat(c.getList(c.fieldIndex(ProfileColumns.EMAILS))).isEmpty();
    assertThat((Object) c.getAs("churn_score")).isNull();

    // every column carries its comment, and the table its own
    List<Row> described = lake.spark().sql("DESCRIBE TABLE " + lake.name(
        CdpTable.GOLD_CUSTOMER_PROFILE)).collectAsList();
    Map<String, String> comments = new HashMap<>();
    described.forEach(r -> comments.put(r.getString(0), r.getString(2)));
    for (String column : ProfileColumns.PROFILE.fieldNames()) {
      assertThat(comments.get(column)).as(column).isNotBlank();
    }
    assertThat(lake.spark().sql("DESCRIBE TABLE EXTENDED " + lake.name(
            CdpTable.GOLD_CUSTOMER_PROFILE)).where(col("col_name").equalTo("Comment"))
        .first().getString(1)).startsWith("360 customer profile");

    long version = lake.version(CdpTable.GOLD_CUSTOMER_PROFILE);
    ProfileReport again = new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    assertThat(again.changed()).isZero();
    assertThat(again.removed()).isZero();
    assertThat(again.wrote()).isFalse();
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isEqualTo(version);
    assertThat(profiles(lake).get("b").<String>getAs(ProfileColumns.RUN_ID))
        .isEqualTo(first.runId());

    // b withdraws a consent: only b changes (a new order would move everyone's RFM
    // quintiles); c leaves the membership and its row goes
    lake.append(CdpTable.BRONZE_EVENTS, events(event("consent", "K9", "2024-05-09T09:00:00Z",
        "consent", "consent_purpose", "analytics", "consent_status", "withdrawn")),
        "ingest-test");
    lake.spark().createDataFrame(List.of(RowFactory.create("consent", "K9", "b", 0L, "i2")),
        IdentityColumns.MEMBERSHIP).unionByName(lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
            .where(col(IdentityColumns.CUSTOMER_ID).notEqual("c")))
        .localCheckpoint()
        .write().format("delta").mode(SaveMode.Overwrite)
        .save(lake.path(CdpTable.SILVER_CUSTOMER_MEMBERSHIP));
    ProfileReport third = new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    assertThat(third.changed()).isEqualTo(1);
    assertThat(third.removed()).isEqualTo(1);
    p = profiles(lake);
    assertThat(p).containsOnlyKeys("a", "b");
    assertThat((String) p.get("b").getAs(ProfileColumns.RUN_ID)).isEqualTo(third.runId());
    Row b = p.get("b");
    assertThat(b.getJavaMap(b.fieldIndex(ProfileColumns.CONSENT_STATUS)))
        .containsExactly(Map.entry("analytics", "withdrawn"));
    assertThat((String) p.get("a").getAs(ProfileColumns.RUN_ID)).isEqualTo(first.runId());
    List<Row> runs = lake.read(CdpTable.OPS_RUNS)
        .where(col(OpsColumns.JOB).equalTo(CustomerProfiles.JOB)).collectAsList();
    assertThat(runs).extracting(r -> r.getAs(OpsColumns.STATUS))
        .containsOnly("SUCCEEDED").hasSize(3);
  }

  @Test
  void aFailedRunLeavesTheTableAsItWasAndIsRecorded() {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    seed(lake);
    new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    long version = lake.version(CdpTable.GOLD_CUSTOMER_PROFILE);

    // the next day changes every row (as_of_date); the run fails after its write
    CustomerProfiles failing = new CustomerProfiles(lake, settings, m -> { },
        () -> {
          throw new IllegalStateException("disk full");
        });
    assertThatThrownBy(() -> failing.run(AS_OF.plusDays(1)))
        .isInstanceOf(CdpException.class).hasMessageEndingWith("failed: disk full");
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_PROFILE).select(ProfileColumns.AS_OF_DATE)
        .distinct().collectAsList()).extracting(r -> r.get(0).toString())
        .containsExactly("2024-05-10");
    // restored: a restore is a commit of its own, with the content of the old version
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isGreaterThan(version);
    assertThat(lake.read(CdpTable.OPS_RUNS).where(col(OpsColumns.JOB).equalTo("profile")
            .and(col(OpsColumns.STATUS).equalTo("FAILED"))).select(OpsColumns.MESSAGE)
        .collectAsList()).extracting(r -> r.getString(0)).containsExactly("disk full");
  }

  @Test
  void latestScoresPerModelAsOfTheRunBecomeColumns() {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    seed(lake);
    StructType schema = new StructType().add("customer_id", "string").add("model", "string")
        .add("model_version", "string").add("score", "double").add("horizon_days", "int")
        .add("as_of", "date").add("scored_at", "timestamp").add("run_id", "string");
    lake.spark().createDataFrame(List.of(
            RowFactory.create("a", "churn", "churn-v1", 0.2, 90, ProfileRows.date("2024-05-01"),
                ProfileRows.ts("2024-05-01T05:00:00Z"), "s1"),
            RowFactory.create("a", "churn", "churn-v2", 0.7, 90, ProfileRows.date("2024-05-09"),
                ProfileRows.ts("2024-05-09T05:00:00Z"), "s2"),
            RowFactory.create("a", "clv", "clv-v1", 120.0, 365, ProfileRows.date("2024-05-09"),
                ProfileRows.ts("2024-05-09T05:00:00Z"), "s2"),
            RowFactory.create("a", "clv", "clv-v1", 40.0, 90, ProfileRows.date("2024-05-09"),
                ProfileRows.ts("2024-05-09T05:00:00Z"), "s2"),
            // scored for a later day than the profile's: not used
            RowFactory.create("a", "propensity", "p-v1", 0.9, 30,
                ProfileRows.date("2024-05-12"), ProfileRows.ts("2024-05-12T05:00:00Z"), "s3")),
        schema).write().format("delta").mode("append")
        .save(lake.path(CdpTable.GOLD_CUSTOMER_SCORES));
    new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    Map<String, Row> p = profiles(lake);
    Row a = p.get("a");
    assertThat((double) a.getAs("churn_score")).isEqualTo(0.7);
    assertThat((String) a.getAs("churn_model_version")).isEqualTo("churn-v2");
    assertThat((int) a.getAs("churn_horizon_days")).isEqualTo(90);
    assertThat(a.getAs("churn_scored_at").toString()).isEqualTo("2024-05-09 05:00:00.0");
    // two horizons scored together: the shorter one
    assertThat((double) a.getAs("clv_score")).isEqualTo(40.0);
    assertThat((Object) a.getAs("propensity_score")).isNull();
    assertThat((Object) p.get("b").getAs("churn_score")).isNull();
  }
}
