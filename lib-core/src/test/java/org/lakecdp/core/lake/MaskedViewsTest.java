package org.lakecdp.core.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * The masked views: one known person written to every table with PII; no raw value of
 * theirs appears in any masked view, while the other columns read as in the tables.
 */
@ExtendWith(SparkTestSession.class)
class MaskedViewsTest {
  private static final String EMAIL = "ann.smithson@example.com";
  private static final String PHONE = "+447700900123";
  private static final List<String> PII = List.of(EMAIL, PHONE, "CRM-7781", "dev-4242",
      "cookie-9911", "LOY-5550", "annabel", "smithson", "Annabel Smithson", "Harbour Lane",
      "221b", "flat 3", "SW1A 1AA", "1985-03-02", "nick-annie", "annie.s@old-mail.com");

  @TempDir
  Path dir;

  /** A row of {@code schema}: the given values, the rest null or a neutral required value. */
  private static Row row(org.apache.spark.sql.types.StructType schema, Map<String, ?> values) {
    List<Object> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Object v = values.get(f.name());
      out.add(v != null || f.nullable() ? v : neutral(f.dataType()));
    }
    return RowFactory.create(out.toArray());
  }

  private static Object neutral(DataType t) {
    if (t.equals(DataTypes.StringType)) {
      return "n";
    } else if (t.equals(DataTypes.LongType)) {
      return 0L;
    } else if (t.equals(DataTypes.IntegerType)) {
      return 0;
    } else if (t.equals(DataTypes.DoubleType)) {
      return 0.0;
    } else if (t.equals(DataTypes.BooleanType)) {
      return false;
    } else if (t.equals(DataTypes.DateType)) {
      return Date.valueOf("2024-05-01");
    } else if (t.equals(DataTypes.TimestampType)) {
      return Timestamp.from(Instant.parse("2024-05-01T10:00:00Z"));
    } else if (t instanceof DecimalType d) {
      return BigDecimal.ZERO.setScale(d.scale());
    } else if (t instanceof ArrayType) {
      return List.of();
    } else if (t instanceof MapType) {
      return Map.of();
    }
    throw new IllegalArgumentException("no neutral value for " + t);
  }

  private static void write(Lakehouse lake, CdpTable table, Map<String, ?> values) {
    lake.append(table, lake.spark().createDataFrame(List.of(row(table.schema(), values)),
        table.schema()), "test");
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void noRawPiiInAnyMaskedViewAndOtherColumnsIntact() throws Exception {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    String raw = "{\"email\":\"" + EMAIL + "\",\"name\":\"Annabel Smithson\",\"tel\":\"" + PHONE
        + "\",\"street\":\"Harbour Lane\"}";
    write(lake, CdpTable.BRONZE_EVENTS, Map.ofEntries(Map.entry("source", "crm"),
        Map.entry("record_key", "r1"), Map.entry("event_type", "purchase"),
        Map.entry("customer_id", "CRM-7781"), Map.entry("email", EMAIL),
        Map.entry("phone", PHONE), Map.entry("device_id", "dev-4242"),
        Map.entry("cookie_id", "cookie-9911"), Map.entry("loyalty_id", "LOY-5550"),
        Map.entry("attributes", Map.of("first_name", "annabel", "last_name", "smithson",
            "street", "Harbour Lane", "street_number", "221b", "postcode", "SW1A 1AA",
            "date_of_birth", "1985-03-02", "x_nickname", "nick-annie", "amount", "20.00",
            "city", "london")),
        Map.entry("raw", raw)));
    write(lake, CdpTable.BRONZE_QUARANTINE, Map.of("source", "crm", "reason",
        "malformed JSON: not a JSON object", "raw", raw));
    write(lake, CdpTable.SILVER_IDENTITY_RECORDS, Map.ofEntries(Map.entry("source", "crm"),
        Map.entry("record_key", "r1"), Map.entry("customer_id", "CRM-7781"),
        Map.entry("email", EMAIL), Map.entry("phone", PHONE),
        Map.entry("loyalty_id", "LOY-5550"), Map.entry("device_id", "dev-4242"),
        Map.entry("cookie_id", "cookie-9911"), Map.entry("first_name", "annabel"),
        Map.entry("last_name", "smithson"), Map.entry("date_of_birth", Date.valueOf(
            "1985-03-02")), Map.entry("street", "Harbour Lane"),
        Map.entry("street_number", "221b"), Map.entry("address_line2", "flat 3"),
        Map.entry("postcode", "SW1A 1AA"), Map.entry("city", "london"),
        Map.entry("country", "GB"), Map.entry("email_local", "ann.smithson"),
        Map.entry("extra", Map.of("x_nickname", "nick-annie")),
        Map.entry("original", Map.of("email", "Ann.Smithson@Example.com ", "old_email",
            "annie.s@old-mail.com"))));
    write(lake, CdpTable.SILVER_IDENTITY_LINKS, Map.of("customer_id", "c1", "rule",
        "same_email", "value", EMAIL));
    write(lake, CdpTable.SILVER_IDENTITY_ALERTS, Map.of("kind", "over_shared", "subject",
        "phone=" + PHONE));
    write(lake, CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES, Map.of("field", "last_name",
        "value", "smithson", "tf", 0.001));
    write(lake, CdpTable.GOLD_CUSTOMER_PROFILE, Map.ofEntries(Map.entry("customer_id", "c1"),
        Map.entry("first_name", "annabel"), Map.entry("last_name", "smithson"),
        Map.entry("email", EMAIL), Map.entry("phone", PHONE),
        Map.entry("date_of_birth", Date.valueOf("1985-03-02")),
        Map.entry("street", "Harbour Lane"), Map.entry("street_number", "221b"),
        Map.entry("address_line2", "flat 3"), Map.entry("postcode", "SW1A 1AA"),
        Map.entry("city", "london"), Map.entry("emails", List.of(EMAIL,
            "annie.s@old-mail.com")), Map.entry("phones", List.of(PHONE)),
        Map.entry("device_ids", List.of("dev-4242")),
        Map.entry("cookie_ids", List.of("cookie-9911")),
        Map.entry("loyalty_ids", List.of("LOY-5550")),
        Map.entry("source_customer_ids", List.of("CRM-7781")),
        Map.entry("order_count", 3L), Map.entry("top_categories", List.of("shoes"))));

    assertThat(PiiColumns.tagged()).hasSize(7);
    for (CdpTable table : PiiColumns.tagged()) {
      Row[] rows = (Row[]) lake.spark().table(lake.maskedViewName(table)).collect();
      assertThat(rows).as(table.tableName()).hasSize(1);
      String all = String.join("\n", lake.spark().table(lake.maskedViewName(table)).toJSON()
          .collectAsList());
      for (String value : PII) {
        assertThat(all).as(table + " holds " + value).doesNotContainIgnoringCase(value);
      }
      // untagged columns are exactly as in the table; dropped ones are gone
      List<String> viewColumns = List.of(lake.spark().table(lake.maskedViewName(table))
          .columns());
      for (StructField f : table.schema().fields()) {
        PiiColumns.Tag tag = PiiColumns.of(table).get(f.name());
        if (tag != null && tag.treatment() == PiiColumns.Treatment.DROP) {
          assertThat(viewColumns).as(table.tableName()).doesNotContain(f.name());
        } else if (tag == null) {
          assertThat(rows[0].<Object>getAs(f.name())).as(table + "." + f.name())
              .isEqualTo(lake.read(table).first().getAs(f.name()));
        }
      }
    }

    Row profile = lake.spark().table(lake.maskedViewName(CdpTable.GOLD_CUSTOMER_PROFILE))
        .first();
    assertThat((String) profile.getAs("email")).isEqualTo("a***@example.com");
    assertThat((String) profile.getAs("phone")).isEqualTo("***23");
    assertThat((String) profile.getAs("first_name")).isEqualTo("a***");
    assertThat(profile.<String>getList(profile.fieldIndex("emails")))
        .containsExactly("a***@example.com", "a***@old-mail.com");
    assertThat(profile.<String>getList(profile.fieldIndex("device_ids")))
        .containsExactly(sha256("dev-4242"));
    assertThat((String) profile.getAs("city")).isEqualTo("london");
    assertThat((long) profile.getAs("order_count")).isEqualTo(3L);
    Row event = lake.spark().table(lake.maskedViewName(CdpTable.BRONZE_EVENTS)).first();
    assertThat((String) event.getAs("customer_id")).isEqualTo(sha256("CRM-7781"));
    assertThat(event.<String, String>getJavaMap(event.fieldIndex("attributes")))
        .containsEntry("amount", "20.00").containsEntry("city", "london")
        .containsEntry("first_name", "a***").containsEntry("x_nickname", "n***");
    // the identity link's shared value is joinable with the hashed identifiers
    assertThat((String) lake.spark().table(lake.maskedViewName(
        CdpTable.SILVER_IDENTITY_LINKS)).first().getAs("value")).isEqualTo(sha256(EMAIL));
    // refreshing the views is idempotent
    lake.ensureTables();
    assertThat(lake.spark().table(lake.maskedViewName(CdpTable.BRONZE_QUARANTINE)).count())
        .isEqualTo(1);
  }
}
