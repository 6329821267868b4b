package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SampleSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestReport;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PiiCipher;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.profile.CustomerProfiles;
import org.lakecdp.core.sample.SampleDataGenerator;
import org.lakecdp.core.segment.Segments;
import org.lakecdp.core.segment.export.ExportReport;
import org.lakecdp.core.segment.export.Exports;
import org.lakecdp.core.segment.export.Hashing;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Access and erasure on generated sample data, driven by the sample's own request queue
 * (three erasures and one access, by email). After erasure no table, and no table version
 * still readable, holds an erased person's emails, phones or customer ids; identity is
 * re-resolved; a forced re-ingest of their old files brings nothing back; a rerun of the
 * queue changes nothing.
 */
@ExtendWith(SparkTestSession.class)
class PrivacyTest {
  private static final LocalDate END = LocalDate.of(2024, 12, 31);

  @TempDir
  Path dir;

  private static final String KEY = java.util.Base64.getEncoder().encodeToString(
      "a 256-bit key for the tests only".getBytes(
          java.nio.charset.StandardCharsets.US_ASCII));

  /** Run plain, and with every layer's PII encrypted at rest (then nothing plain is stored). */
  @ParameterizedTest(name = "encrypted at rest: {0}")
  @ValueSource(booleans = {false, true})
  void erasureLeavesNoTraceAndAccessWritesEverything(boolean encrypted) throws Exception {
    Path sample = dir.resolve("sample");
    SampleDataGenerator.generate(new SampleSettings(sample.toString(), 60, 30, END, 23),
        m -> { });
    Map<String, String> overrides = new HashMap<>();
    overrides.put("cdp.sample.root", sample.toString());
    overrides.put("cdp.lakehouse.root", dir.resolve("lake").toString());
    for (String layer : List.of("bronze", "silver", "gold", "ops")) {
      overrides.put("cdp.lakehouse.databases." + layer, (encrypted ? "pve_" : "pv_") + layer);
    }
    overrides.put("cdp.privacy.encryption.enabled", Boolean.toString(encrypted));
    overrides.put("cdp.privacy.salt", "a-test-salt-of-some-length");
    overrides.put("cdp.privacy.requests", sample.resolve("privacy-requests").toString());
    overrides.put("cdp.privacy.access-dir", dir.resolve("access").toString());
    // one segment of everyone, exported with plain and hashed emails
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, """
        include file("%s")
        cdp.segments.everyone { owner = "test", where = "customer_id IS NOT NULL" }
        cdp.destinations.everyone_file {
          purpose = email_marketing, segments = [everyone], format = csv, mode = full
          columns = [customer_id, email, email_sha256, phone_sha256, segment]
          location = "%s"
        }
        """.formatted(Path.of("../conf/sources/sample.conf").toAbsolutePath().normalize(),
        dir.resolve("exports")));
    CdpSettings settings = CdpConfigLoader.load(conf, overrides);
    Lakehouse lake = SparkTestSession.lakehouse(settings).withCipher(PiiCipher.fromSettings(
        settings.privacy(), Map.of("CDP_PII_KEY", KEY)));
    new BronzeIngest(lake, settings, m -> { }).run(new IngestRequest(END, false, false,
        List.of()));
    new IdentityResolution(lake, settings, m -> { }).run(END);
    new CustomerProfiles(lake, settings, m -> { }).run(END);

    Privacy privacy = new Privacy(lake, settings, m -> { });
    List<PrivacyRequest> queue = privacy.queued();
    assertThat(queue).extracting(PrivacyRequest::type).containsExactly(
        PrivacyRequest.Type.ERASE, PrivacyRequest.Type.ERASE, PrivacyRequest.Type.ERASE,
        PrivacyRequest.Type.ACCESS);

    // what the lakehouse holds about the erased persons, found the way an analyst would
    Set<String> erasedValues = new TreeSet<>();
    Set<String> erasedCustomers = new TreeSet<>();
    Set<String> erasedKeys = new TreeSet<>();
    for (PrivacyRequest r : queue.subList(0, 3)) {
      String email = r.identifier().value().toLowerCase();
      List<Row> customers = lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
          .where(col(IdentityColumns.EMAIL).equalTo(email))
          .select(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY)
          .join(lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP),
              new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY})
          .select(IdentityColumns.CUSTOMER_ID).distinct().collectAsList();
      assertThat(customers).as("customers of " + r.requestId()).isNotEmpty();
      customers.forEach(c -> erasedCustomers.add(c.getString(0)));
      erasedValues.add(email);
    }
    Dataset<Row> theirRecords = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .where(col(IdentityColumns.CUSTOMER_ID).isin(erasedCustomers.toArray()))
        .select(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY)
        .join(lake.read(CdpTable.SILVER_IDENTITY_RECORDS),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY});
    for (Row r : theirRecords.select(IdentityColumns.EMAIL, IdentityColumns.PHONE,
        IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY).collectAsList()) {
      for (int i = 0; i < 2; i++) {
        if (!r.isNullAt(i) && r.getString(i).length() >= 6) {
          erasedValues.add(r.getString(i).toLowerCase());
        }
      }
      erasedKeys.add(r.getString(2) + ":" + r.getString(3));
    }
    Row oldRow = lake.read(CdpTable.BRONZE_EVENTS).where(
            org.apache.spark.sql.functions.concat(col(BronzeColumns.SOURCE), lit(":"),
                col(BronzeColumns.RECORD_KEY)).isin(erasedKeys.toArray()))
        .select(BronzeColumns.LOGICAL_DATE, BronzeColumns.SOURCE).first();
    long bronzeBefore = lake.read(CdpTable.BRONZE_EVENTS).count();
    long recordsBefore = lake.read(CdpTable.SILVER_IDENTITY_RECORDS).count();
    String accessEmail = queue.get(3).identifier().value().toLowerCase();
    long bronzeVersionBefore = lake.version(CdpTable.BRONZE_EVENTS);
    if (encrypted) {
      // read decrypted above; stored, no table and no Delta log holds a plain value
      Set<String> plain = new TreeSet<>(erasedValues);
      plain.add(accessEmail);
      List<String> stored = new ArrayList<>();
      for (CdpTable t : CdpTable.values()) {
        if (lake.version(t) >= 0 && lake.readStored(t).where(mentions(plain)).count() > 0) {
          stored.add(lake.name(t));
        }
      }
      assertThat(stored).as("tables storing a plain identifier").isEmpty();
      assertThat(logTraces(lake, dir.resolve("lake"), plain)).isEmpty();
      assertThat(lake.readStored(CdpTable.SILVER_IDENTITY_RECORDS)
          .where(col(IdentityColumns.EMAIL).isNotNull()
              .and(not(col(IdentityColumns.EMAIL).startsWith(PiiCipher.PREFIX))))
          .count()).as("identity records with a plain email").isZero();
    }

    PrivacyReport report = privacy.run(queue, END);

    assertThat(report.receipts()).hasSize(4);
    for (PrivacyReport.Receipt r : report.receipts().subList(0, 3)) {
      assertThat(r.type()).isEqualTo("erase");
      assertThat(r.status()).isEqualTo("done");
      assertThat(r.rowsRemoved()).containsKey(lake.name(CdpTable.BRONZE_EVENTS));
      assertThat(r.rowsRemoved()).containsKey(lake.name(CdpTable.GOLD_CUSTOMER_PROFILE));
      assertThat(r.identifierHash()).hasSize(64).doesNotContain("@");
    }
    long removedFromBronze = report.receipts().stream().mapToLong(r ->
        r.rowsRemoved().getOrDefault(lake.name(CdpTable.BRONZE_EVENTS), 0L)).sum();
    assertThat(lake.read(CdpTable.BRONZE_EVENTS).count())
        .isEqualTo(bronzeBefore - removedFromBronze);
    assertThat(lake.read(CdpTable.SILVER_IDENTITY_RECORDS).count()).isLessThan(recordsBefore);

    // no table holds them, nor any version still readable
    assertThat(tracesInAnyTable(lake, erasedValues, erasedCustomers)).isEmpty();
    for (CdpTable t : CdpTable.values()) {
      for (long v = 0; v < lake.version(t); v++) {
        assertThat(traces(lake, erasedValues, erasedCustomers, t, v))
            .as(lake.name(t) + " version " + v).isZero();
      }
    }
    assertThat(readable(lake, CdpTable.BRONZE_EVENTS, bronzeVersionBefore))
        .as("bronze before the erasure can no longer be read").isFalse();
    // nor any Delta log: no file statistics, no commit description holds them
    Set<String> logged = new TreeSet<>(erasedValues);
    logged.addAll(erasedCustomers);
    assertThat(logTraces(lake, dir.resolve("lake"), logged)).isEmpty();
    // the receipts and the audit log name no identifier
    assertThat(traces(lake, Set.of(accessEmail), Set.of(), CdpTable.OPS_PRIVACY_RECEIPTS, -1))
        .isZero();
    assertThat(lake.read(CdpTable.OPS_AUDIT_LOG)
        .where(col(PrivacyColumns.EVENT).equalTo("privacy_request")).count()).isEqualTo(4);

    // access: one JSON with the person's records, profile and consent events
    PrivacyReport.Receipt access = report.receipts().get(3);
    assertThat(access.status()).isEqualTo("done");
    String json = Files.readString(Path.of(java.net.URI.create(access.output())));
    assertThat(json).contains(accessEmail).contains("\"profile\"").contains("\"sources\"")
        .contains("\"consent_events\"").contains("cus_");

    // re-ingesting a day of their old data brings nothing back
    IngestReport again = new BronzeIngest(lake, settings, m -> { }).run(new IngestRequest(
        oldRow.getDate(0).toLocalDate(), true, true, List.of(oldRow.getString(1))));
    assertThat(again.suppressed()).isPositive();
    new IdentityResolution(lake, settings, m -> { }).run(END);
    assertThat(tracesInAnyTable(lake, erasedValues, erasedCustomers)).isEmpty();

    // a new export cannot hold them: no customer id, email or hashed email or phone
    new Segments(lake, settings, m -> { }).run(END);
    ExportReport exported = new Exports(lake, settings, m -> { }).run(END, false);
    assertThat(exported.exports()).hasSize(1);
    assertThat(exported.exports().get(0).rows()).isPositive();
    Set<String> forbidden = new TreeSet<>(erasedValues);
    erasedValues.forEach(v -> forbidden.add(Hashing.sha256Hex(v)));
    forbidden.addAll(erasedCustomers);
    try (var files = Files.walk(Path.of(exported.exports().get(0).location()
        .replaceFirst("^file:", "")))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f).toLowerCase();
        for (String v : forbidden) {
          assertThat(text).as(f + " holds an erased identifier").doesNotContain(v);
        }
      }
    }

    // the same queue again: every request has a receipt, nothing changes
    Map<CdpTable, Long> versions = new HashMap<>();
    for (CdpTable t : List.of(CdpTable.BRONZE_EVENTS, CdpTable.SILVER_IDENTITY_RECORDS,
        CdpTable.OPS_SUPPRESSION_LIST, CdpTable.OPS_PRIVACY_RECEIPTS)) {
      versions.put(t, lake.version(t));
    }
    PrivacyReport rerun = privacy.run(privacy.queued(), END);
    assertThat(rerun.receipts()).isEmpty();
    assertThat(rerun.skipped()).hasSize(4);
    versions.forEach((t, v) -> assertThat(lake.version(t)).as(lake.name(t)).isEqualTo(v));
  }

  /** Delta log files (commits, checksums, checkpoints) under {@code root} naming a value. */
  private static List<String> logTraces(Lakehouse lake, Path root, Set<String> values)
      throws java.io.IOException {
    List<String> out = new ArrayList<>();
    List<Path> logs;
    try (var files = Files.walk(root)) {
      logs = files.filter(Files::isRegularFile)
          .filter(f -> f.toString().contains("/_delta_log/"))
          .filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }
    assertThat(logs).as("Delta log files").hasSizeGreaterThan(CdpTable.values().length);
    for (Path f : logs) {
      String text = f.toString().endsWith(".parquet")
          ? String.join("\n", lake.spark().read().parquet(f.toString()).toJSON()
              .collectAsList())
          : Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
      text = text.toLowerCase(java.util.Locale.ROOT);
      for (String v : values) {
        if (text.contains(v.toLowerCase(java.util.Locale.ROOT))) {
          out.add(root.relativize(f) + ": " + v);
        }
      }
    }
    return out;
  }

  /** Tables (current versions) whose rows mention a value or customer id. */
  private static List<String> tracesInAnyTable(Lakehouse lake, Set<String> values,
      Set<String> customers) {
    List<String> out = new ArrayList<>();
    for (CdpTable t : CdpTable.values()) {
      long n = traces(lake, values, customers, t, -1);
      if (n > 0) {
        out.add(lake.name(t) + ": " + n);
      }
    }
    return out;
  }

  /** Rows of one table version (-1: current; unreadable: 0) mentioning a value or id. */
  private static long traces(Lakehouse lake, Set<String> values, Set<String> customers,
      CdpTable table, long version) {
    if (lake.version(table) < 0) {
      return 0;
    }
    Dataset<Row> rows;
    try {
      rows = version < 0 ? lake.read(table) : lake.readAt(table, version);
      Column hit = mentions(values);
      Column text = lower(to_json(struct(col("*"))));
      for (String c : customers) {
        hit = hit.or(text.contains("\"" + c + "\""));
      }
      return rows.where(hit).count();
    } catch (Exception e) {
      if (version >= 0 && !readable(lake, table, version)) {
        return 0;
      }
      throw e;
    }
  }

  /** Whether a row's JSON (lower case) contains one of the values. */
  private static Column mentions(Set<String> values) {
    Column text = lower(to_json(struct(col("*"))));
    Column hit = lit(false);
    for (String v : values) {
      hit = hit.or(text.contains(v));
    }
    return hit;
  }

  /** Whether every data file of a version can be read (a plain count may use log stats). */
  private static boolean readable(Lakehouse lake, CdpTable table, long version) {
    try {
      lake.readAt(table, version).toJavaRDD().count();
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
