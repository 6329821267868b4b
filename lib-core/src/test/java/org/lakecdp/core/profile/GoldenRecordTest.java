package org.lakecdp.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lakecdp.core.profile.ProfileRows.member;
import static org.lakecdp.core.profile.ProfileRows.members;
import static org.lakecdp.core.profile.ProfileRows.record;
import static org.lakecdp.core.profile.ProfileRows.records;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

/** Survivorship rules and provenance of the golden record, on hand-made identity records. */
@ExtendWith(SparkTestSession.class)
class GoldenRecordTest {
  static final LocalDate AS_OF = LocalDate.of(2024, 5, 10);

  static final String SOURCES = """
      cdp.sources {
        crm { format = csv, path = "l/crm/{date}/*.csv", event-time.field = ts }
        orders { format = json, path = "l/orders/{date}/*.jsonl", event-time.field = ts }
        web { format = json, path = "l/web/{date}/*.jsonl", event-time.field = ts }
        app { format = json, path = "l/app/{date}/*.jsonl", event-time.field = ts }
        pos { format = csv, path = "l/pos/{date}/*.csv", event-time.field = ts }
        email { format = json, path = "l/email/{date}/*.jsonl", event-time.field = ts }
        support { format = csv, path = "l/support/{date}/*.csv", event-time.field = ts }
        consent { format = json, path = "l/consent/{date}/*.jsonl", event-time.field = ts }
      }
      """;

  static ProfileSettings settings(String hocon) {
    return TestConfig.fromHocon(Path.of("unused-lake"), SOURCES + hocon).profile();
  }

  private static final Dataset<Row> MEMBERS = members(member("crm", "C1", "c1"),
      member("crm", "C9", "c1"), member("orders", "O1", "c1"), member("web", "W1", "c1"),
      member("support", "S1", "c1"), member("orders", "O2", "c2"));

  private static final Dataset<Row> RECORDS = records(
      record("crm", "C1", "2024-05-01T10:00:00Z", "first_name", "ann", "last_name", "lee",
          "email", "ann@x.com", "city", "london", "street", "high st", "date_of_birth",
          "1990-01-02", "gender", "female"),
      record("orders", "O1", "2024-05-03T09:00:00Z", "first_name", "anne", "last_name",
          "lee smith", "email", "ann.new@x.com", "city", "london", "street", "high street"),
      // a placeholder email the guardrails withheld, and a surname shared by many customers
      record("web", "W1", "2024-05-04T09:00:00Z", "email", "none@x.com", "last_name", "lee",
          "unusable", "email: null-like|last_name: over-shared"),
      // newest of all, but its email is invalid
      record("support", "S1", "2024-05-05T09:00:00Z", "email", "ann@", "email_valid", "false",
          "city", "paris", "date_of_birth", "1990-02-01"),
      // after the as-of date: never a candidate
      record("crm", "C9", "2024-05-20T09:00:00Z", "first_name", "zed", "email", "zed@x.com"),
      record("orders", "O2", "2024-05-02T09:00:00Z", "first_name", "bob"));

  private static Map<String, Row> golden(ProfileSettings settings) {
    Dataset<Row> out = GoldenRecord.surviveAttributes(
        GoldenRecord.collectCandidates(RECORDS, MEMBERS, AS_OF), settings);
    Map<String, Row> byCustomer = new java.util.HashMap<>();
    out.collectAsList().forEach(r -> byCustomer.put(r.getAs(ProfileColumns.CUSTOMER_ID), r));
    return byCustomer;
  }

  private static String provenance(Row r, String attribute) {
    Map<String, Row> p = r.getJavaMap(r.fieldIndex(ProfileColumns.PROVENANCE));
    Row e = p.get(attribute);
    return e == null ? null : e.getAs(ProfileColumns.SOURCE) + "/"
        + e.getAs(ProfileColumns.RECORD_KEY) + "@" + e.getAs(ProfileColumns.EVENT_TIME) + " "
        + e.getAs(ProfileColumns.RULE);
  }

  @Test
  void eachRuleChoosesItsValueAndProvenanceNamesTheRecord() {
    Row c1 = golden(settings("""
        cdp.profile.survivorship {
          first_name { rule = source-priority, sources = [crm, orders] }
          last_name.rule = longest
          email.rule = most-recent
          city.rule = most-frequent
        }
        """)).get("c1");
    assertThat((String) c1.getAs("first_name")).isEqualTo("ann");
    assertThat((String) c1.getAs("last_name")).isEqualTo("lee smith");
    assertThat((String) c1.getAs("email")).isEqualTo("ann.new@x.com");
    assertThat((String) c1.getAs("city")).isEqualTo("london");
    assertThat(provenance(c1, "first_name"))
        .isEqualTo("crm/C1@2024-05-01 10:00:00.0 source-priority");
    assertThat(provenance(c1, "last_name"))
        .isEqualTo("orders/O1@2024-05-03 09:00:00.0 longest");
    assertThat(provenance(c1, "email"))
        .isEqualTo("orders/O1@2024-05-03 09:00:00.0 most-recent");
    // two records say london; the most recent of them is the provenance
    assertThat(provenance(c1, "city")).isEqualTo("orders/O1@2024-05-03 09:00:00.0 most-frequent");
    // one record each: most-frequent falls back to the most recent
    assertThat(c1.getAs("date_of_birth").toString()).isEqualTo("1990-02-01");
    assertThat(provenance(c1, "phone")).isNull();
    assertThat((String) c1.getAs("phone")).isNull();
  }

  @Test
  void switchingTheRuleSwitchesTheSurvivor() {
    Row c1 = golden(settings("""
        cdp.profile.survivorship {
          first_name.rule = most-recent
          last_name.rule = most-frequent
          email { rule = source-priority, sources = [crm] }
          city.rule = most-recent
          street.rule = longest
          date_of_birth { rule = source-priority, sources = [support, crm] }
        }
        """)).get("c1");
    assertThat((String) c1.getAs("first_name")).isEqualTo("anne");
    // "lee" is on two records (one with the surname withheld from linking: still a name)
    assertThat((String) c1.getAs("last_name")).isEqualTo("lee");
    assertThat((String) c1.getAs("email")).isEqualTo("ann@x.com");
    assertThat((String) c1.getAs("city")).isEqualTo("paris");
    assertThat((String) c1.getAs("street")).isEqualTo("high street");
    assertThat(c1.getAs("date_of_birth").toString()).isEqualTo("1990-02-01");
    assertThat(provenance(c1, "date_of_birth"))
        .isEqualTo("support/S1@2024-05-05 09:00:00.0 source-priority");
  }

  @Test
  void sourcePriorityFallsBackToRecencyForUnlistedSources() {
    Map<String, Row> all = golden(settings("""
        cdp.profile.survivorship.first_name { rule = source-priority, sources = [pos] }
        """));
    // neither crm nor orders is listed: the most recent record wins
    assertThat((String) all.get("c1").getAs("first_name")).isEqualTo("anne");
    assertThat((String) all.get("c2").getAs("first_name")).isEqualTo("bob");
    assertThat((String) all.get("c2").getAs("email")).isNull();
  }
}
