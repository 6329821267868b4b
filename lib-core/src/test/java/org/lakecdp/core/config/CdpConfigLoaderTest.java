package org.lakecdp.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SourceSettings.SourceFormat;
import org.lakecdp.core.testing.TestConfig;

class CdpConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void referenceDefaultsAreValidAndRelativePathsBecomeAbsolute() {
    CdpSettings s = CdpConfigLoader.load(null, Map.of());
    assertThat(s.lakehouse().root()).isEqualTo(Path.of("lakehouse").toAbsolutePath().toString());
    assertThat(s.lakehouse().metastore()).isEqualTo(LakehouseSettings.Metastore.EMBEDDED);
    assertThat(s.lakehouse().bronzeDb()).isEqualTo("cdp_bronze");
    assertThat(s.sources()).isEmpty();
    assertThat(s.ingest().defaultTimezone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(s.ingest().taskMegabytes()).isEqualTo(64);
    assertThat(s.sample().endDate()).isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(s.configHash()).hasSize(16);
  }

  /**
   * conf/production.conf, the documented cluster example: without its required environment it
   * fails naming the file, line and a variable it lacks; with it, it validates into an S3 lakehouse, a Hive metastore and
   * its two sources.
   */
  @Test
  void theProductionExampleNamesItsMissingEnvironmentAndValidatesWithIt() {
    Path production = Path.of("..", "conf", "production.conf");
    assertThatThrownBy(() -> CdpConfigLoader.load(production, Map.of()))
        .isInstanceOf(CdpException.class).hasMessageMatching("invalid configuration: .*"
            + "production\\.conf: \\d+: Could not resolve substitution to a value: \\$\\{("
            + "CDP_LAKEHOUSE_ROOT|CDP_METASTORE_URIS|CRM_JDBC_URL|CRM_USER|CRM_PASSWORD)\\}");
    CdpSettings s = CdpConfigLoader.load(production, Map.of(
        "CDP_LAKEHOUSE_ROOT", "s3a://acme-cdp/lakehouse",
        "CDP_METASTORE_URIS", "thrift://metastore.internal:9083",
        "CRM_JDBC_URL", "jdbc:postgresql://crm.internal:5432/crm",
        "CRM_USER", "cdp", "CRM_PASSWORD", "from-the-environment"));
    assertThat(s.lakehouse().root()).isEqualTo("s3a://acme-cdp/lakehouse");
    assertThat(s.lakehouse().metastore()).isEqualTo(LakehouseSettings.Metastore.HIVE);
    assertThat(s.lakehouse().metastoreUris()).isEqualTo("thrift://metastore.internal:9083");
    assertThat(s.enabledSources()).extracting(SourceSettings::name, SourceSettings::format)
        .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("web", SourceFormat.JSON),
            org.assertj.core.api.Assertions.tuple("crm", SourceFormat.JDBC));
    assertThat(s.spark().master()).isEmpty();
  }

  @Test
  void fileOverridesReferenceAndCommandLineOverridesFile() throws Exception {
    Path conf = dir.resolve("a.conf");
    Files.writeString(conf, "cdp.sample.persons = 77\ncdp.sample.days = 30\n"
        + "cdp.lakehouse.root = \"s3a://bucket/lake/\"\n");
    CdpSettings s = CdpConfigLoader.load(conf, Map.of("cdp.sample.days", "9"));
    assertThat(s.sample().persons()).isEqualTo(77);
    assertThat(s.sample().days()).isEqualTo(9);
    assertThat(s.lakehouse().root()).isEqualTo("s3a://bucket/lake");
    assertThat(s.lakehouse().onObjectStore()).isTrue();
  }

  @Test
  void environmentOverridesThroughOptionalSubstitution() throws Exception {
    Path conf = dir.resolve("env.conf");
    Files.writeString(conf, "cdp.spark.app-name = \"from-file\"\n"
        + "cdp.spark.app-name = ${?CDP_TEST_SURELY_UNSET_VAR}\n"
        + "cdp.sample.root = \"x\"\ncdp.sample.root = ${?HOME}\n");
    CdpSettings s = CdpConfigLoader.load(conf, Map.of());
    assertThat(s.spark().appName()).isEqualTo("from-file");
    assertThat(s.sample().root()).isEqualTo(System.getenv("HOME"));
  }

  @Test
  void identityDefaultsAndBadIdentitySettingsAreNamed() throws Exception {
    IdentitySettings id = CdpConfigLoader.load(null, Map.of()).identity();
    assertThat(id.rules()).extracting(IdentitySettings.Rule::id).containsExactly(
        "same_customer_id", "same_email", "same_phone", "same_loyalty_id", "same_device_id",
        "same_cookie_id");
    assertThat(id.probabilistic().threshold()).isEqualTo(0.99);
    assertThat(id.probabilistic().minAgreeingFields()).isEqualTo(3);
    assertThat(id.probabilistic().comparisons().subList(0, 3))
        .extracting(IdentitySettings.ComparisonSpec::swapWith)
        .containsExactly("last_name", "first_name", null);
    assertThat(id.probabilistic().comparisons())
        .filteredOn(IdentitySettings.ComparisonSpec::vetoOnDisagreement)
        .extracting(IdentitySettings.ComparisonSpec::field).containsExactly("first_name");

    Path conf = dir.resolve("identity.conf");
    Files.writeString(conf, "cdp.identity.probabilistic.comparisons = "
        + "[{ field = first_name, kind = fuzzy }]\n");
    assertThatThrownBy(() -> CdpConfigLoader.load(conf, Map.of()))
        .isInstanceOf(CdpException.class)
        .hasMessageContaining("cdp.identity.probabilistic.comparisons.first_name.kind")
        .hasMessageContaining("fuzzy");
    Files.writeString(conf, "cdp.identity.probabilistic.comparisons = "
        + "[{ field = street, kind = string, swap-with = adress_line2 }]\n");
    assertThatThrownBy(() -> CdpConfigLoader.load(conf, Map.of()))
        .hasMessageContaining("cdp.identity.probabilistic.comparisons[0].swap-with")
        .hasMessageContaining("adress_line2");
    Files.writeString(conf, "cdp.identity.probabilistic.comparisons = "
        + "[{ field = street, kind = string, swap-with = street }]\n");
    assertThatThrownBy(() -> CdpConfigLoader.load(conf, Map.of()))
        .hasMessage("cdp.identity.probabilistic.comparisons.street.swap-with must name another"
            + " field: 'street'");
    Files.writeString(conf, "cdp.identity.probabilistic.comparisons = "
        + "[{ field = first_name, kind = name, veto-on-disagreement = sometimes }]\n");
    assertThatThrownBy(() -> CdpConfigLoader.load(conf, Map.of()))
        .hasMessageContaining("veto-on-disagreement").hasMessageContaining("sometimes");
    Files.writeString(conf, "cdp.identity.rules = [{ id = by_mail, fields = [e_mail] }]\n");
    assertThatThrownBy(() -> CdpConfigLoader.load(conf, Map.of()))
        .hasMessageContaining("cdp.identity.rules[0].fields").hasMessageContaining("e_mail");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.identity.probabilistic.threshold", "1.5")))
        .hasMessage("cdp.identity.probabilistic.threshold must be in (0,1): 1.5");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.identity.default-region", "uk")))
        .hasMessageContaining("cdp.identity.default-region").hasMessageContaining("uk");
    assertThat(id.probabilistic().mFromRuleLinks()).isTrue();
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.identity.probabilistic.m-estimation", "labels")))
        .hasMessage("cdp.identity.probabilistic.m-estimation must be one of [rule-links, em]:"
            + " 'labels'");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.identity.probabilistic.u-estimation", "blocks")))
        .hasMessage("cdp.identity.probabilistic.u-estimation must be one of [blocked-pairs,"
            + " random-pairs]: 'blocks'");
    assertThat(id.mode()).isEqualTo(IdentitySettings.Mode.INCREMENTAL);
    assertThat(id.refitModel()).isTrue();
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.identity.mode", "partial")))
        .hasMessageContaining("cdp.identity.mode").hasMessageContaining("partial")
        .hasMessageContaining("incremental");
  }

  @Test
  void identityFingerprintIgnoresModeAndFollowsWhatChangesResults() {
    String base = CdpConfigLoader.load(null, Map.of()).identity().fingerprint();
    assertThat(CdpConfigLoader.load(null, Map.of("cdp.identity.mode", "full",
        "cdp.identity.refit-model", "false")).identity().fingerprint()).isEqualTo(base);
    assertThat(CdpConfigLoader.load(null, Map.of("cdp.identity.probabilistic.threshold",
        "0.995")).identity().fingerprint()).isNotEqualTo(base);
    assertThat(CdpConfigLoader.load(null, Map.of(
        "cdp.identity.guardrails.max-distinct-per-value", "7")).identity().fingerprint())
        .isNotEqualTo(base);
    assertThat(CdpConfigLoader.load(null, Map.of("cdp.identity.probabilistic.m-estimation",
        "em")).identity().fingerprint()).isNotEqualTo(base);
  }

  @Test
  void configHashChangesWithConfiguration() {
    String a = CdpConfigLoader.load(null, Map.of()).configHash();
    String b = CdpConfigLoader.load(null, Map.of("cdp.sample.persons", "3")).configHash();
    assertThat(a).isNotEqualTo(b).isEqualTo(CdpConfigLoader.load(null, Map.of()).configHash());
  }

  @Test
  void unknownKeyFailsWithSuggestion() {
    assertThatThrownBy(() -> CdpConfigLoader.load(null, Map.of("cdp.lakehouse.rooot", "x")))
        .isInstanceOf(CdpException.class)
        .hasMessage("unknown configuration key cdp.lakehouse.rooot"
            + " (did you mean cdp.lakehouse.root?)");
  }

  @Test
  void badValuesNameKeyAndValue() {
    assertThatThrownBy(() -> CdpConfigLoader.load(null, Map.of("cdp.sample.persons", "many")))
        .hasMessageStartingWith("cdp.sample.persons has the wrong type")
        .hasMessageEndingWith(": 'many'");
    assertThatThrownBy(() -> CdpConfigLoader.load(null, Map.of("cdp.sample.persons", "0")))
        .hasMessage("cdp.sample.persons must be at least 1: 0");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.ingest.max-quarantine-fraction", "1.7")))
        .hasMessage("cdp.ingest.max-quarantine-fraction must be in [0,1]: 1.7");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.ingest.task-megabytes", "0")))
        .hasMessage("cdp.ingest.task-megabytes must be in [1, 1048576]: 0");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.lakehouse.metastore", "glue")))
        .hasMessage("cdp.lakehouse.metastore must be one of [embedded, hive, in-memory]: 'glue'");
    assertThatThrownBy(() -> CdpConfigLoader.load(null,
        Map.of("cdp.ingest.default-timezone", "Mars/Base")))
        .hasMessage("cdp.ingest.default-timezone must be a time zone id such as UTC or"
            + " Europe/Paris: 'Mars/Base'");
    assertThatThrownBy(() -> CdpConfigLoader.load(null, Map.of("cdp.lakehouse.metastore",
        "hive")))
        .hasMessageStartingWith("cdp.lakehouse.metastore-uris must name a thrift:// URI");
  }

  @Test
  void missingConfigFileIsAClearError() {
    assertThatThrownBy(() -> CdpConfigLoader.load(dir.resolve("nope.conf"), Map.of()))
        .hasMessageStartingWith("configuration file not found: ");
  }

  @Test
  void sourcesAreParsedWithDefaults() {
    CdpSettings s = TestConfig.fromHocon(dir, """
        cdp.sources.web {
          format = json
          path = "landing/web/{date}/*.jsonl"
          event-time.field = ts
          event-type { field = event, map { pv = page_view } }
          record-key = event_id
          mapping { email = [user_email, "user.email"], cookie_id = cookie, x_campaign = c }
        }
        cdp.sources.crm {
          format = jdbc
          event-time { field = updated_at, formats = [iso, "yyyy-MM-dd HH:mm:ss"],
                       timezone = "Europe/London" }
          event-type.value = customer_update
          jdbc { url = "jdbc:postgresql://127.0.0.1/crm", table = customers,
                 watermark-column = updated_at }
        }
        """);
    SourceSettings web = s.source("web");
    assertThat(web.format()).isEqualTo(SourceFormat.JSON);
    assertThat(web.datedPath()).isTrue();
    assertThat(web.path()).isEqualTo(Path.of("landing/web/{date}/*.jsonl").toAbsolutePath()
        .toString());
    assertThat(web.eventTime().formats()).containsExactly("iso");
    assertThat(web.eventTime().timezone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(web.eventType().valueMap()).containsEntry("pv", "page_view");
    assertThat(web.recordKey()).containsExactly("event_id");
    assertThat(web.pathsOf("email")).containsExactly("user_email", "user.email");
    assertThat(web.pathsOf("x_campaign")).containsExactly("c");
    assertThat(web.enabled()).isTrue();
    SourceSettings crm = s.source("crm");
    assertThat(crm.jdbc().relation()).isEqualTo("customers");
    assertThat(crm.jdbc().fetchSize()).isEqualTo(10_000);
    assertThat(crm.eventTime().timezone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(crm.eventType().value()).isEqualTo("customer_update");
    assertThat(s.enabledSources()).extracting(SourceSettings::name)
        .containsExactly("crm", "web");
    assertThatThrownBy(() -> s.source("pos"))
        .hasMessage("source must be one of [crm, web]: 'pos'");
  }

  @Test
  void sourceMistakesAreNamed() {
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.web { format = json, pathh = "x", event-time.field = ts }
        """)).hasMessage("unknown configuration key cdp.sources.web.pathh"
        + " (did you mean cdp.sources.web.path?)");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.web { format = xml, path = "x", event-time.field = ts }
        """)).hasMessage("cdp.sources.web.format must be one of [json, csv, parquet, jdbc]:"
        + " 'xml'");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.web { format = json, path = "x" }
        """)).hasMessage("missing required configuration key cdp.sources.web.event-time");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.web { format = json, event-time.field = ts }
        """)).hasMessage("missing required configuration key cdp.sources.web.path");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.web { format = json, path = x, event-time.field = ts,
                          mapping { emial = e } }
        """)).hasMessageStartingWith("cdp.sources.web.mapping: unknown canonical field 'emial'"
        + " (did you mean 'email'?); known fields are [customer_id, email,");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.Web { format = json, path = x, event-time.field = ts }
        """)).hasMessage("cdp.sources.Web name must be lower case letters, digits and _: 'Web'");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.db { format = jdbc, event-time.field = ts,
                         jdbc { url = "postgres://x", table = t, watermark-column = id } }
        """)).hasMessage("cdp.sources.db.jdbc.url must start with 'jdbc:': 'postgres://x'");
    assertThatThrownBy(() -> TestConfig.fromHocon(dir, """
        cdp.sources.web { format = json, path = x, event-time.field = ts,
                          event-type { field = a, value = b } }
        """)).hasMessage("cdp.sources.web.event-type must set exactly one of field or value");
  }

  @Test
  void suggestFindsCloseNamesOnly() {
    assertThat(Suggest.closest("demo", List.of("demo", "run"))).isEqualTo("demo");
    assertThat(Suggest.closest("nightyl", List.of("nightly", "run"))).isEqualTo("nightly");
    assertThat(Suggest.closest("completely-different", List.of("run", "sql"))).isNull();
  }
}
