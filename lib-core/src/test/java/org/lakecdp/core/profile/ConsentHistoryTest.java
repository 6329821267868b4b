package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.lakecdp.core.profile.ProfileRows.event;
import static org.lakecdp.core.profile.ProfileRows.events;
import static org.lakecdp.core.profile.ProfileRows.member;
import static org.lakecdp.core.profile.ProfileRows.members;
import static org.lakecdp.core.profile.ProfileRows.record;
import static org.lakecdp.core.profile.ProfileRows.records;
import static org.lakecdp.core.profile.ProfileRows.ts;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.privacy.ConsentHistory;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Consent history: valid-from/to chains per customer, purpose and channel, the state at past
 * instants, the profile job writing it (equal to the profile's consent at its date, reruns
 * writing nothing, restored on failure), and the cutoff rule models use.
 */
@ExtendWith(SparkTestSession.class)
class ConsentHistoryTest {
  @TempDir
  Path dir;

  private static Row consent(String source, String key, String time, String purpose,
      String status, String channel) {
    return channel == null
        ? event(source, key, time, "consent", "consent_purpose", purpose, "consent_status",
            status)
        : event(source, key, time, "consent", "consent_purpose", purpose, "consent_status",
            status, "channel", channel);
  }

  private static Dataset<Row> bronze() {
    return events(
        consent("web", "k1", "2024-01-01T10:00:00Z", "email_marketing", "granted", "web"),
        consent("crm", "k2", "2024-02-01T00:00:00Z", "Email_Marketing", "WITHDRAWN", "Email"),
        consent("web", "k3", "2024-03-01T00:00:00Z", "email_marketing", " withdrawn ", "web"),
        consent("form", "k4", "2024-01-15T12:00:00Z", "analytics", "granted", null),
        // two events at one instant: the greater source wins, the other is never valid
        consent("a_src", "k5", "2024-04-01T00:00:00Z", "analytics", "granted", null),
        consent("z_src", "k6", "2024-04-01T00:00:00Z", "analytics", "withdrawn", null),
        // b: one without a status (ignored), one record delivered in two versions
        event("web", "k7", "2024-01-05T00:00:00Z", "consent", "consent_purpose", "analytics"),
        consent("web", "k8", "2024-01-06T00:00:00Z", "analytics", "granted", "web"),
        consent("web", "k8", "2024-01-07T00:00:00Z", "analytics", "withdrawn", "web"),
        // not resolved to any customer, and not a consent event
        consent("web", "k9", "2024-01-01T00:00:00Z", "analytics", "withdrawn", "web"),
        event("orders", "o1", "2024-01-01T00:00:00Z", "purchase", "consent_status", "x"));
  }

  private static Dataset<Row> membership() {
    return members(member("web", "k1", "a"), member("crm", "k2", "a"), member("web", "k3", "a"),
        member("form", "k4", "a"), member("a_src", "k5", "a"), member("z_src", "k6", "a"),
        member("web", "k7", "b"), member("web", "k8", "b"), member("orders", "o1", "b"));
  }

  private static List<Tuple> rows(Dataset<Row> history) {
    return history.collectAsList().stream().map(r -> tuple(
        r.getAs(PrivacyColumns.CUSTOMER_ID), r.getAs(PrivacyColumns.PURPOSE),
        r.getAs(PrivacyColumns.CHANNEL), r.getAs(PrivacyColumns.STATUS),
        r.getAs(PrivacyColumns.VALID_FROM), r.getAs(PrivacyColumns.VALID_TO),
        r.getAs(PrivacyColumns.SOURCE), r.getAs(PrivacyColumns.RECORD_KEY))).toList();
  }

  private static Map<String, Map<String, String>> state(Dataset<Row> consent) {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (Row r : consent.collectAsList()) {
      out.put(r.getAs(PrivacyColumns.CUSTOMER_ID),
          Map.copyOf(r.getJavaMap(r.fieldIndex(ProfileColumns.CONSENT_STATUS))));
    }
    return out;
  }

  @Test
  void chainsEventsPerPurposeAndChannelAndAnswersThePastState() {
    Dataset<Row> history = ConsentHistory.buildHistory(bronze(), membership()).cache();
    assertThat(rows(history)).containsExactlyInAnyOrder(
        tuple("a", "email_marketing", "web", "granted", ts("2024-01-01T10:00:00Z"),
            ts("2024-03-01T00:00:00Z"), "web", "k1"),
        tuple("a", "email_marketing", "web", "withdrawn", ts("2024-03-01T00:00:00Z"), null,
            "web", "k3"),
        tuple("a", "email_marketing", "email", "withdrawn", ts("2024-02-01T00:00:00Z"), null,
            "crm", "k2"),
        tuple("a", "analytics", null, "granted", ts("2024-01-15T12:00:00Z"),
            ts("2024-04-01T00:00:00Z"), "form", "k4"),
        tuple("a", "analytics", null, "granted", ts("2024-04-01T00:00:00Z"),
            ts("2024-04-01T00:00:00Z"), "a_src", "k5"),
        tuple("a", "analytics", null, "withdrawn", ts("2024-04-01T00:00:00Z"), null,
            "z_src", "k6"),
        tuple("b", "analytics", "web", "withdrawn", ts("2024-01-07T00:00:00Z"), null,
            "web", "k8"));

    assertThat(state(ConsentHistory.consentAsOf(history, ts("2024-01-01T09:59:59Z"))))
        .isEmpty();
    assertThat(state(ConsentHistory.consentAsOf(history, ts("2024-01-01T10:00:00Z"))))
        .containsOnly(Map.entry("a", Map.of("email_marketing", "granted")));
    assertThat(state(ConsentHistory.consentAsOf(history, LocalDate.of(2024, 1, 20))))
        .containsOnly(Map.entry("a", Map.of("email_marketing", "granted",
            "analytics", "granted")), Map.entry("b", Map.of("analytics", "withdrawn")));
    // the web channel's grant is still valid, but the latest event on any channel counts
    assertThat(state(ConsentHistory.consentAsOf(history, ts("2024-02-01T00:00:00Z"))).get("a"))
        .isEqualTo(Map.of("email_marketing", "withdrawn", "analytics", "granted"));
    assertThat(state(ConsentHistory.consentAsOf(history, LocalDate.of(2024, 3, 31))).get("a"))
        .isEqualTo(Map.of("email_marketing", "withdrawn", "analytics", "granted"));
    assertThat(state(ConsentHistory.consentAsOf(history, ts("2024-04-01T00:00:00Z"))).get("a"))
        .isEqualTo(Map.of("email_marketing", "withdrawn", "analytics", "withdrawn"));
    // the end of a day is its last microsecond
    assertThat(ConsentHistory.endOf(LocalDate.of(2024, 3, 31)))
        .isEqualTo(Timestamp.valueOf("2024-03-31 23:59:59.999999"));
    history.unpersist();
  }

  @Test
  void modelsLeaveOutWhoHadWithdrawnBeforeTheCutoff() {
    Dataset<Row> history = ConsentHistory.buildHistory(bronze(), membership());
    StructType schema = new StructType().add(MlColumns.CUSTOMER_ID, DataTypes.StringType)
        .add(MlColumns.AS_OF, DataTypes.DateType);
    List<Row> features = List.of(
        RowFactory.create("a", Date.valueOf("2024-01-20")),
        // a withdraws analytics at 2024-04-01T00:00: the cutoff of that day reads events
        // before it, the next day's sees the withdrawal
        RowFactory.create("a", Date.valueOf("2024-04-01")),
        RowFactory.create("a", Date.valueOf("2024-04-02")),
        RowFactory.create("b", Date.valueOf("2024-01-07")),
        RowFactory.create("b", Date.valueOf("2024-01-08")),
        RowFactory.create("n", Date.valueOf("2024-04-02")));
    Dataset<Row> rows = SparkTestSession.spark().createDataFrame(features, schema);
    List<Tuple> kept = ConsentHistory.withoutWithdrawn(rows, history, List.of("analytics"),
            List.of("withdrawn")).collectAsList().stream()
        .map(r -> tuple(r.getString(0), r.getDate(1).toString())).toList();
    assertThat(kept).containsExactlyInAnyOrder(tuple("a", "2024-01-20"),
        tuple("a", "2024-04-01"), tuple("b", "2024-01-07"), tuple("n", "2024-04-02"));
    // email_marketing is withdrawn too, but only modelling purposes count
    assertThat(ConsentHistory.withoutWithdrawn(rows, history, List.of(), List.of("withdrawn"))
        .count()).isEqualTo(6);
  }

  @Test
  void theProfileJobWritesTheHistoryItsConsentColumnsEqual() {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"),
        "cdp.profile.mode", "full");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    lake.append(CdpTable.BRONZE_EVENTS, bronze(), "ingest-test");
    lake.append(CdpTable.SILVER_IDENTITY_RECORDS, records(
        record("web", "k1", "2024-01-01T10:00:00Z", "first_name", "ann")), "identity-test");
    lake.append(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, membership(), "identity-test");

    LocalDate asOf = LocalDate.of(2024, 3, 15);
    new CustomerProfiles(lake, settings, m -> { }).run(asOf);
    Dataset<Row> history = lake.read(CdpTable.SILVER_CONSENT_HISTORY);
    assertThat(rows(history)).containsExactlyInAnyOrderElementsOf(
        rows(ConsentHistory.buildHistory(bronze(), membership())));

    // the profile of 2024-03-15 holds the state the history gives for the end of that day
    Map<String, Row> profiles = new HashMap<>();
    lake.read(CdpTable.GOLD_CUSTOMER_PROFILE).collectAsList()
        .forEach(r -> profiles.put(r.getAs(ProfileColumns.CUSTOMER_ID), r));
    Map<String, Map<String, String>> expected = state(ConsentHistory.consentAsOf(history, asOf));
    assertThat(expected).containsOnlyKeys("a", "b");
    for (String id : List.of("a", "b")) {
      Row p = profiles.get(id);
      assertThat(p.getJavaMap(p.fieldIndex(ProfileColumns.CONSENT_STATUS))).as(id)
          .isEqualTo(expected.get(id));
      List<Tuple> entries = p.<Row>getList(p.fieldIndex(ProfileColumns.CONSENTS)).stream()
          .map(e -> tuple(e.getAs(ProfileColumns.PURPOSE), e.getAs(ProfileColumns.CHANNEL),
              e.getAs(ProfileColumns.STATUS), e.getAs(ProfileColumns.UPDATED_AT),
              e.getAs(ProfileColumns.SOURCE), e.getAs(ProfileColumns.RECORD_KEY))).toList();
      List<Tuple> valid = ConsentHistory.validAt(history, ConsentHistory.endOf(asOf))
          .where(col(PrivacyColumns.CUSTOMER_ID).equalTo(id)).collectAsList().stream()
          .map(r -> tuple(r.getAs(PrivacyColumns.PURPOSE), r.getAs(PrivacyColumns.CHANNEL),
              r.getAs(PrivacyColumns.STATUS), r.getAs(PrivacyColumns.VALID_FROM),
              r.getAs(PrivacyColumns.SOURCE), r.getAs(PrivacyColumns.RECORD_KEY))).toList();
      assertThat(entries).as(id).containsExactlyInAnyOrderElementsOf(valid);
    }

    // a rerun writes nothing; a failed run puts a changed history back
    long version = lake.version(CdpTable.SILVER_CONSENT_HISTORY);
    new CustomerProfiles(lake, settings, m -> { }).run(asOf);
    assertThat(lake.version(CdpTable.SILVER_CONSENT_HISTORY)).isEqualTo(version);
    lake.append(CdpTable.BRONZE_EVENTS, events(consent("web", "k10", "2024-03-20T00:00:00Z",
        "analytics", "granted", "web")), "ingest-test");
    lake.append(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, members(member("web", "k10", "b")),
        "identity-test");
    CustomerProfiles failing = new CustomerProfiles(lake, settings, m -> { }, () -> {
      throw new IllegalStateException("disk full");
    });
    assertThatThrownBy(() -> failing.run(asOf.plusDays(10))).isInstanceOf(CdpException.class)
        .hasMessageEndingWith("failed: disk full");
    assertThat(rows(lake.read(CdpTable.SILVER_CONSENT_HISTORY)))
        .containsExactlyInAnyOrderElementsOf(rows(ConsentHistory.buildHistory(bronze(),
            membership())));
  }
}
