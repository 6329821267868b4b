package org.lakecdp.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lakecdp.core.profile.ProfileRows.event;
import static org.lakecdp.core.profile.ProfileRows.events;
import static org.lakecdp.core.profile.ProfileRows.member;
import static org.lakecdp.core.profile.ProfileRows.members;
import static org.lakecdp.core.profile.ProfileRows.record;
import static org.lakecdp.core.profile.ProfileRows.records;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PiiCipher;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * The profile written with cdp.privacy.encryption: no plain PII at rest, plain through the
 * lakehouse opened with the key, a clear failure with another key or none.
 */
@ExtendWith(SparkTestSession.class)
class EncryptedProfileTest {
  private static final LocalDate AS_OF = LocalDate.of(2024, 5, 10);
  private static final String KEY = Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  private static final String OTHER = Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir
  Path dir;

  @Test
  void thePiiColumnsAreStoredEncryptedAndReadBackWithTheKey() {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"),
        "cdp.privacy.encryption.enabled", "true", "cdp.profile.mode", "full");
    Lakehouse plain = SparkTestSession.lakehouse(settings);
    Map<String, String> env = Map.of("CDP_PII_KEY", KEY);
    Lakehouse lake = plain.withCipher(PiiCipher.fromSettings(settings.privacy(), env));
    lake.append(CdpTable.BRONZE_EVENTS, events(
        event("crm", "C1", "2024-05-01T10:00:00Z", "customer_profile", "email",
            "Ann.Lee@Example.com"),
        event("orders", "O1", "2024-05-03T09:00:00Z", "purchase", "order_id", "O1",
            "amount", "20.00")), "ingest-test");
    lake.append(CdpTable.SILVER_IDENTITY_RECORDS, records(
        record("crm", "C1", "2024-05-01T10:00:00Z", "first_name", "annabel", "last_name",
            "leeson", "email", "ann.lee@example.com", "customer_id", "CRM-4711"),
        record("orders", "O1", "2024-05-03T09:00:00Z", "phone", "+447700900123")),
        "identity-test");
    lake.append(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, members(member("crm", "C1", "a"),
        member("orders", "O1", "a")), "identity-test");

    // opened without the key: the run is refused before writing anything
    long before = lake.version(CdpTable.GOLD_CUSTOMER_PROFILE);
    assertThatThrownBy(() -> new CustomerProfiles(plain, settings, m -> { }).run(AS_OF))
        .isInstanceOf(CdpException.class)
        .hasMessageContaining("opened without the key in CDP_PII_KEY");
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isEqualTo(before);

    new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    for (CdpTable t : List.of(CdpTable.BRONZE_EVENTS, CdpTable.SILVER_IDENTITY_RECORDS,
        CdpTable.GOLD_CUSTOMER_PROFILE)) {
      String stored = String.join("\n", lake.readStored(t).toJSON().collectAsList());
      for (String value : List.of("ann.lee@example.com", "+447700900123", "annabel",
          "leeson", "CRM-4711")) {
        assertThat(stored).as(t + ": " + value).doesNotContainIgnoringCase(value);
      }
    }
    Row raw = lake.readStored(CdpTable.GOLD_CUSTOMER_PROFILE).first();
    assertThat((String) raw.getAs(ProfileColumns.EMAIL)).startsWith(PiiCipher.PREFIX);
    assertThat(raw.<String>getList(raw.fieldIndex(ProfileColumns.PHONES)))
        .allMatch(p -> p.startsWith(PiiCipher.PREFIX)).hasSize(1);
    assertThat((long) raw.getAs(ProfileColumns.ORDER_COUNT)).isEqualTo(1);
    // the masked view shows masked ciphertext, never the plain value
    assertThat(String.join("\n", lake.spark().table(lake.maskedViewName(
        CdpTable.GOLD_CUSTOMER_PROFILE)).toJSON().collectAsList()))
        .doesNotContain("ann.lee@example.com").doesNotContain("annabel");

    Row read = lake.read(CdpTable.GOLD_CUSTOMER_PROFILE).first();
    assertThat((String) read.getAs(ProfileColumns.EMAIL)).isEqualTo("ann.lee@example.com");
    assertThat((String) read.getAs(ProfileColumns.FIRST_NAME)).isEqualTo("annabel");
    assertThat(read.<String>getList(read.fieldIndex(ProfileColumns.PHONES)))
        .containsExactly("+447700900123");
    assertThat(read.<String>getList(read.fieldIndex(ProfileColumns.SOURCE_CUSTOMER_IDS)))
        .containsExactly("CRM-4711");

    // a rerun: nothing changed, nothing written
    long version = lake.version(CdpTable.GOLD_CUSTOMER_PROFILE);
    ProfileReport again = new CustomerProfiles(lake, settings, m -> { }).run(AS_OF);
    assertThat(again.changed()).isZero();
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isEqualTo(version);

    // another key: a clear failure, no garbage
    Lakehouse wrong = plain.withCipher(PiiCipher.fromSettings(settings.privacy(),
        Map.of("CDP_PII_KEY", OTHER)));
    assertThatThrownBy(() -> wrong.read(CdpTable.GOLD_CUSTOMER_PROFILE))
        .isInstanceOf(CdpException.class)
        .hasMessageStartingWith("cannot decrypt a PII value with the key in CDP_PII_KEY");
    assertThatThrownBy(() -> new CustomerProfiles(plain.withCipher(PiiCipher.fromSettings(
            settings.privacy(), Map.of("CDP_PII_KEY", OTHER))), settings, m -> { })
            .run(AS_OF)).isInstanceOf(CdpException.class)
        .hasMessageContaining("cannot decrypt a PII value with the key in CDP_PII_KEY");
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isEqualTo(version);
  }
}
