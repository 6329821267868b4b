package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

@ExtendWith(SparkTestSession.class)
class BronzeIngestTest {
  private static final LocalDate D1 = LocalDate.of(2024, 5, 1);
  private static final LocalDate D2 = LocalDate.of(2024, 5, 2);
  private static final LocalDate TODAY = LocalDate.of(2024, 6, 1);

  @TempDir
  Path dir;
  private Path landing;
  private final List<String> progress = new ArrayList<>();

  @BeforeEach
  void landing() {
    landing = dir.resolve("landing");
  }

  private CdpSettings settings(String extra) {
    return TestConfig.fromHocon(dir.resolve("lake"), sources() + extra);
  }

  private String sources() {
    return """
        cdp.lakehouse.databases { bronze = %1$s_bronze, silver = %1$s_silver,
                                  gold = %1$s_gold, ops = %1$s_ops }
        cdp.sources.web {
          format = json
          path = "%2$s/web/{date}/*.jsonl"
          event-time.field = ts
          event-type.field = event
          record-key = id
          mapping { email = [user_email, "user.email"], cookie_id = cookie }
        }
        cdp.sources.crm {
          format = csv
          path = "%2$s/crm/*.csv"
          event-time { field = updated_at, formats = ["yyyy-MM-dd HH:mm:ss"] }
          event-type.value = customer_update
          record-key = crm_id
          mapping { customer_id = crm_id, email = email, phone = [phone, mobile],
                    last_name = last_name }
        }
        """.formatted("ib" + Math.abs(dir.hashCode() % 100000), landing);
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static String web(String id, String ts, String event, String email) {
    return "{\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"event\":\"" + event
        + "\",\"cookie\":\"ck-" + id + "\"" + (email == null ? "" : ",\"user_email\":\"" + email
        + "\"") + "}";
  }

  private void dayOne() throws IOException {
    write(landing.resolve("web/2024-05-01/part-0.jsonl"),
        web("w1", "2024-05-01T09:00:00Z", "page_view", null),
        web("w2", "2024-05-01T09:05:00Z", "login", "ann@example.com"),
        "{\"id\":\"w3\",\"ts\":\"2024-05-01T09:0",
        web("w4", "2024-13-45T25:61:00Z", "page_view", null));
    write(landing.resolve("crm/export-1.csv"),
        "crm_id,email,phone,last_name,updated_at",
        "C1,ann@example.com,07700 900123,\"Smith, Jr\",2024-05-01 08:00:00",
        "C2,bob@example.com,,\"Jones \"\"Bob\"\"\",2024-05-01 08:30:00",
        "C3,too,many,fields,2024-05-01 08:30:00,extra");
  }

  private IngestReport ingest(Lakehouse lake, CdpSettings settings, IngestRequest request) {
    return new BronzeIngest(lake, settings, progress::add).run(request);
  }

  private static IngestRequest catchUp() {
    return new IngestRequest(TODAY, false, false, List.of());
  }

  private static List<Row> bronze(Lakehouse lake) {
    return lake.read(CdpTable.BRONZE_EVENTS)
        .select("source", "record_key", "event_type", "event_time", "email", "phone",
            "customer_id", "cookie_id", "logical_date", "run_id", "attributes")
        .orderBy("source", "record_key").collectAsList();
  }

  @Test
  void firstRunLoadsEverySourceWithEnvelopeAndQuarantine(SparkSession spark) throws Exception {
    dayOne();
    CdpSettings settings = settings("");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    IngestReport report = ingest(lake, settings, catchUp());

    assertThat(report.sources()).extracting(IngestReport.SourceReport::source,
            IngestReport.SourceReport::files, IngestReport.SourceReport::rows,
            IngestReport.SourceReport::quarantined)
        .containsExactlyInAnyOrder(tuple("web", 1, 2L, 2L), tuple("crm", 1, 2L, 1L));
    assertThat(bronze(lake)).extracting(r -> r.getString(0), r -> r.getString(1),
            r -> r.getString(2), r -> r.getTimestamp(3).toInstant(), r -> r.getString(4),
            r -> r.getString(5), r -> r.getString(6), r -> r.getString(7),
            r -> r.getDate(8).toLocalDate())
        .containsExactly(
            tuple("crm", "C1", "customer_update", Instant.parse("2024-05-01T08:00:00Z"),
                "ann@example.com", "07700 900123", "C1", null, TODAY),
            tuple("crm", "C2", "customer_update", Instant.parse("2024-05-01T08:30:00Z"),
                "bob@example.com", null, "C2", null, TODAY),
            tuple("web", "w1", "page_view", Instant.parse("2024-05-01T09:00:00Z"), null, null,
                null, "ck-w1", D1),
            tuple("web", "w2", "login", Instant.parse("2024-05-01T09:05:00Z"),
                "ann@example.com", null, null, "ck-w2", D1));
    assertThat(lake.read(CdpTable.BRONZE_QUARANTINE).select("source", "reason", "raw")
        .collectAsList()).extracting(r -> r.getString(0), r -> r.getString(1),
            r -> r.getString(2))
        .containsExactlyInAnyOrder(
            tuple("web", "malformed JSON: not a JSON object",
                "{\"id\":\"w3\",\"ts\":\"2024-05-01T09:0"),
            tuple("web", "bad event time in field 'ts': '2024-13-45T25:61:00Z'",
                web("w4", "2024-13-45T25:61:00Z", "page_view", null)),
            tuple("crm", "malformed CSV row: expected 5 fields [crm_id, email, phone, last_name,"
                + " updated_at]", "C3,too,many,fields,2024-05-01 08:30:00,extra"));
    assertThat(bronze(lake).get(1).getJavaMap(10)).containsEntry("last_name", "Jones \"Bob\"");
    String crmRaw = lake.read(CdpTable.BRONZE_EVENTS).filter(col("record_key").equalTo("C1"))
        .select("raw").first().getString(0);
    assertThat(crmRaw).isEqualTo("{\"crm_id\":\"C1\",\"email\":\"ann@example.com\","
        + "\"phone\":\"07700 900123\",\"last_name\":\"Smith, Jr\","
        + "\"updated_at\":\"2024-05-01 08:00:00\"}");

    Row run = lake.read(CdpTable.OPS_RUNS).first();
    assertThat(run.getString(run.fieldIndex("status"))).isEqualTo("SUCCEEDED");
    assertThat(run.getLong(run.fieldIndex("input_rows"))).isEqualTo(7);
    assertThat(run.getLong(run.fieldIndex("output_rows"))).isEqualTo(4);
    assertThat(run.getLong(run.fieldIndex("quarantined_rows"))).isEqualTo(3);
    assertThat(run.getJavaMap(run.fieldIndex("table_versions")))
        .containsKeys(lake.name(CdpTable.BRONZE_EVENTS));
    assertThat(run.getString(run.fieldIndex("config_hash"))).isEqualTo(settings.configHash());
    assertThat(lake.read(CdpTable.OPS_INGESTED_FILES).count()).isEqualTo(2);
    assertThat(spark.sql("SELECT count(*) FROM " + lake.name(CdpTable.BRONZE_EVENTS)).first()
        .getLong(0)).isEqualTo(4);
  }

  @Test
  void aSingleFilePathIsCountedAndForcedRerunsReplaceIt() throws Exception {
    Path master = dir.resolve("master.csv");
    write(master, "rec_id, name", "r1, Ann", "r2, Bob", "r3");
    CdpSettings settings = TestConfig.fromHocon(dir.resolve("lake"), """
        cdp.lakehouse.databases { bronze = sf_bronze, silver = sf_silver,
                                  gold = sf_gold, ops = sf_ops }
        cdp.ingest.max-quarantine-fraction = 1.0
        cdp.sources.master {
          format = csv
          path = "%s"
          options { ignoreLeadingWhiteSpace = "true" }
          event-time {}
          event-type.value = customer_profile
          record-key = rec_id
          mapping { last_name = name }
        }
        """.formatted(master));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    IngestReport first = ingest(lake, settings, catchUp());
    IngestReport forced = ingest(lake, settings, new IngestRequest(TODAY, true, true,
        List.of()));

    assertThat(List.of(first, forced)).allSatisfy(r -> assertThat(r.sources())
        .extracting(IngestReport.SourceReport::rows, IngestReport.SourceReport::quarantined)
        .containsExactly(tuple(2L, 1L)));
    assertThat(bronze(lake)).extracting(r -> r.getString(1), r -> r.getTimestamp(3)
            .toInstant(), r -> r.getDate(8).toLocalDate())
        .containsExactly(tuple("r1", TODAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
            TODAY), tuple("r2", TODAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
            TODAY));
    assertThat(lake.read(CdpTable.BRONZE_QUARANTINE).count()).isEqualTo(1);
  }

  @Test
  void rerunningChangesNothingAndNewFilesAreIngestedIncrementally() throws Exception {
    dayOne();
    CdpSettings settings = settings("");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    ingest(lake, settings, catchUp());
    List<Row> before = bronze(lake);
    long version = lake.version(CdpTable.BRONZE_EVENTS);

    IngestReport again = ingest(lake, settings, catchUp());
    assertThat(again.sources()).isEmpty();
    assertThat(lake.version(CdpTable.BRONZE_EVENTS)).isEqualTo(version);
    assertThat(bronze(lake)).isEqualTo(before);

    write(landing.resolve("web/2024-05-02/part-0.jsonl"),
        web("w5", "2024-05-02T10:00:00Z", "page_view", null));
    write(landing.resolve("crm/export-2.csv"),
        "crm_id,email,mobile,last_name,updated_at,loyalty_tier",
        "C4,cy@example.com,+447700900999,Young,2024-05-02 08:00:00,gold");
    IngestReport next = ingest(lake, settings, catchUp());
    assertThat(next.rows()).isEqualTo(2);
    List<Row> after = bronze(lake);
    assertThat(after).hasSize(6).containsAll(before);
    Row c4 = lake.read(CdpTable.BRONZE_EVENTS).filter(col("record_key").equalTo("C4")).first();
    assertThat(c4.getString(c4.fieldIndex("phone"))).isEqualTo("+447700900999");
    assertThat(c4.getString(c4.fieldIndex("raw"))).contains("\"loyalty_tier\":\"gold\"");
    assertThat(c4.getString(c4.fieldIndex("run_id"))).isEqualTo(next.runId());
    Row w5 = lake.read(CdpTable.BRONZE_EVENTS).filter(col("record_key").equalTo("w5")).first();
    assertThat(w5.getDate(w5.fieldIndex("logical_date")).toLocalDate()).isEqualTo(D2);
  }

  @Test
  void changedFileReplacesItsRowsAndForcedRerunOfADayReplacesOnlyThatDay() throws Exception {
    dayOne();
    write(landing.resolve("web/2024-05-02/part-0.jsonl"),
        web("w5", "2024-05-02T10:00:00Z", "page_view", null));
    CdpSettings settings = settings("");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    IngestReport first = ingest(lake, settings, catchUp());

    Path changed = landing.resolve("web/2024-05-02/part-0.jsonl");
    write(changed, web("w5", "2024-05-02T10:00:00Z", "page_view", null),
        web("w6", "2024-05-02T11:00:00Z", "page_view", null));
    Files.setLastModifiedTime(changed, FileTime.from(Instant.now().plusSeconds(5)));
    IngestReport second = ingest(lake, settings, catchUp());
    assertThat(second.files()).isEqualTo(1);
    assertThat(lake.read(CdpTable.BRONZE_EVENTS).filter(col("source").equalTo("web"))
        .select("record_key").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("w1", "w2", "w5", "w6");

    IngestReport forced = ingest(lake, settings, new IngestRequest(D1, true, true,
        List.of("web")));
    assertThat(forced.rows()).isEqualTo(2);
    List<Row> web = lake.read(CdpTable.BRONZE_EVENTS).filter(col("source").equalTo("web"))
        .select("record_key", "run_id").orderBy("record_key").collectAsList();
    assertThat(web).extracting(r -> r.getString(0), r -> r.getString(1)).containsExactly(
        tuple("w1", forced.runId()), tuple("w2", forced.runId()),
        tuple("w5", second.runId()), tuple("w6", second.runId()));
    assertThat(lake.read(CdpTable.BRONZE_QUARANTINE).filter(col("source").equalTo("web"))
        .count()).isEqualTo(2);
    assertThat(lake.read(CdpTable.BRONZE_EVENTS).filter(col("source").equalTo("crm"))
        .select("run_id").distinct().first().getString(0)).isEqualTo(first.runId());
  }

  /** 3 quarantined records in 2 files: kept while reading (limit 3), or read again (2, 0). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "3 | (3 record(s), kept while reading)",
      "2 | (3 record(s), more than cdp.ingest.quarantine-in-memory-rows: re-reading the 2 file(s)"
          + " that held them)",
      "0 | (3 record(s), more than cdp.ingest.quarantine-in-memory-rows: re-reading the 2 file(s)"
          + " that held them)"})
  void quarantinedRecordsAreKeptOrOnlyTheirFilesReadAgainAndAFixedFileLeavesQuarantine(
      int inMemory, String firstWrite) throws Exception {
    dayOne();
    write(landing.resolve("web/2024-05-02/part-0.jsonl"),
        web("w5", "2024-05-02T10:00:00Z", "page_view", null));
    CdpSettings settings = settings("cdp.ingest.max-quarantine-fraction = 1.0\n"
        + "cdp.ingest.quarantine-in-memory-rows = " + inMemory + "\n");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    IngestReport first = ingest(lake, settings, catchUp());
    assertThat(progress).contains("  writing " + lake.name(CdpTable.BRONZE_QUARANTINE) + " "
        + firstWrite);
    assertThat(quarantinedKeys(lake)).containsExactlyInAnyOrder("crm", "web", "web");
    assertThat(lake.read(CdpTable.BRONZE_QUARANTINE).filter(col("source").equalTo("web"))
        .select("source_file", "logical_date", "run_id").distinct().collectAsList())
        .extracting(r -> r.getString(0).replaceAll(".*/web/", "web/"), r -> r.getDate(1)
            .toLocalDate(), r -> r.getString(2))
        .containsExactly(tuple("web/2024-05-01/part-0.jsonl", D1, first.runId()));
    assertThat(first.sources()).extracting(IngestReport.SourceReport::source,
            IngestReport.SourceReport::rows, IngestReport.SourceReport::quarantined)
        .contains(tuple("web", 3L, 2L), tuple("crm", 2L, 1L));

    Path fixed = landing.resolve("web/2024-05-01/part-0.jsonl");
    write(fixed, web("w1", "2024-05-01T09:00:00Z", "page_view", null),
        web("w3", "2024-05-01T09:02:00Z", "page_view", null));
    Files.setLastModifiedTime(fixed, FileTime.from(Instant.now().plusSeconds(5)));
    progress.clear();
    IngestReport second = ingest(lake, settings, catchUp());
    assertThat(second.files()).isEqualTo(1);
    assertThat(progress).contains("  writing " + lake.name(CdpTable.BRONZE_QUARANTINE)
        + " (0 record(s), kept while reading)");
    assertThat(quarantinedKeys(lake)).containsExactly("crm");
    assertThat(lake.read(CdpTable.BRONZE_EVENTS).filter(col("source").equalTo("web"))
        .select("record_key").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("w1", "w3", "w5");
  }

  private static List<String> quarantinedKeys(Lakehouse lake) {
    return lake.read(CdpTable.BRONZE_QUARANTINE).select("source")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void aGivenDateReadsOnlyThatDaysFiles() throws Exception {
    dayOne();
    write(landing.resolve("web/2024-05-02/part-0.jsonl"),
        web("w5", "2024-05-02T10:00:00Z", "page_view", null));
    CdpSettings settings = settings("");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    IngestReport report = ingest(lake, settings, new IngestRequest(D2, true, false,
        List.of("web")));
    assertThat(report.rows()).isEqualTo(1);
    assertThat(bronze(lake)).extracting(r -> r.getString(1)).containsExactly("w5");
  }

  @Test
  void aCommitThatAddedOtherThanTheCountedRowsFailsTheRun() {
    // a merge-free append: every output row is new
    BronzeIngest.checkWritten(5, Map.of("numOutputRows", "5"), "r1", "t version 3");
    // a replaceWhere that rewrote files: the copied rows are not this run's
    BronzeIngest.checkWritten(5, Map.of("numOutputRows", "12", "numCopiedRows", "7"),
        "r1", "t version 3");
    // no row count recorded: nothing to compare, logged only
    BronzeIngest.checkWritten(5, Map.of(), "r1", "t version 3");
    assertThatThrownBy(() -> BronzeIngest.checkWritten(1234, Map.of(
        "numOutputRows", "1240", "numCopiedRows", "7"), "r1", "cdp_bronze.events version 3"))
        .isInstanceOf(CdpException.class)
        .hasMessage("ingest run r1: 1,234 valid records counted but 1,233 written to"
            + " cdp_bronze.events version 3; not recording this run");
  }

  @ParameterizedTest(name = "task-megabytes = {0}: {1} bronze file(s)")
  @CsvSource({"64, 1", "1, 2"})
  void aSourcesFilesAreReadInTasksOfAboutTheConfiguredSize(int megabytes, long files,
      SparkSession spark) throws Exception {
    // three files of about 0.6 MB: Spark alone would read (and write) them in three tasks
    int perFile = 6000;
    for (int f = 0; f < 3; f++) {
      String[] lines = new String[perFile];
      for (int i = 0; i < perFile; i++) {
        lines[i] = web("f" + f + "-" + i, "2024-05-0" + (f + 1) + "T09:00:00Z", "page_view",
            null);
      }
      write(landing.resolve("web/2024-05-0" + (f + 1) + "/part-0.jsonl"), lines);
    }
    CdpSettings settings = settings("cdp.ingest.task-megabytes = " + megabytes + "\n");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    IngestReport report = ingest(lake, settings, catchUp());

    assertThat(report.rows()).isEqualTo(3L * perFile);
    assertThat(lake.read(CdpTable.BRONZE_EVENTS).select("record_key").distinct().count())
        .isEqualTo(3L * perFile);
    assertThat(spark.sql("DESCRIBE DETAIL " + lake.name(CdpTable.BRONZE_EVENTS)).first()
        .<Long>getAs("numFiles")).isEqualTo(files);
  }

  @Test
  void aFailedRunLeavesEveryTableAsItWas() throws Exception {
    dayOne();
    CdpSettings settings = settings("cdp.ingest.max-quarantine-fraction = 0.4\n");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    ingest(lake, settings, new IngestRequest(TODAY, false, false, List.of("crm")));
    List<Row> bronzeBefore = bronze(lake);
    long[] versions = {lake.version(CdpTable.BRONZE_EVENTS),
        lake.version(CdpTable.BRONZE_QUARANTINE), lake.version(CdpTable.OPS_INGESTED_FILES)};

    assertThatThrownBy(() -> ingest(lake, settings, catchUp()))
        .isInstanceOf(CdpException.class)
        .hasMessage("source 'web': 2 of 4 records quarantined (50%), above"
            + " cdp.ingest.max-quarantine-fraction = 0.4; most common reason:"
            + " bad event time in field 'ts': '2024-13-45T25:61:00Z'");

    assertThat(bronze(lake)).isEqualTo(bronzeBefore);
    assertThat(lake.read(CdpTable.BRONZE_QUARANTINE).count()).isEqualTo(1);
    assertThat(lake.read(CdpTable.OPS_INGESTED_FILES).count()).isEqualTo(1);
    // each table was written, then restored by a commit of its own
    for (int i = 0; i < versions.length; i++) {
      assertThat(lake.version(List.of(CdpTable.BRONZE_EVENTS, CdpTable.BRONZE_QUARANTINE,
          CdpTable.OPS_INGESTED_FILES).get(i))).isEqualTo(versions[i] + 2);
    }
    List<Row> runs = lake.read(CdpTable.OPS_RUNS).orderBy("started_at")
        .select("status", "message").collectAsList();
    assertThat(runs).extracting(r -> r.getString(0)).containsExactly("SUCCEEDED", "FAILED");
    assertThat(runs.get(1).getString(1)).startsWith("source 'web': 2 of 4 records");
  }

  @Test
  void parquetSourcesKeepNewColumnsInTheRawRecord(SparkSession spark) throws Exception {
    Path p1 = landing.resolve("events/2024-05-01");
    Path p2 = landing.resolve("events/2024-05-02");
    spark.sql("SELECT 'e1' AS id, TIMESTAMP '2024-05-01 10:00:00' AS ts, 'a@x.io' AS mail")
        .coalesce(1).write().parquet(p1.toString());
    spark.sql("SELECT 'e2' AS id, TIMESTAMP '2024-05-02 10:00:00' AS ts, 'b@x.io' AS mail,"
        + " 42 AS score").coalesce(1).write().parquet(p2.toString());
    CdpSettings settings = TestConfig.fromHocon(dir.resolve("lake"), """
        cdp.lakehouse.databases { bronze = pq_bronze, silver = pq_silver, gold = pq_gold,
                                  ops = pq_ops }
        cdp.sources.events {
          format = parquet, path = "%s/events/{date}/*.parquet",
          event-time.field = ts, event-type.value = event, record-key = id,
          mapping.email = mail
        }
        """.formatted(landing));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    ingest(lake, settings, catchUp());
    List<Row> rows = lake.read(CdpTable.BRONZE_EVENTS).orderBy("record_key")
        .select("record_key", "email", "event_time", "raw", "logical_date").collectAsList();
    assertThat(rows).extracting(r -> r.getString(0), r -> r.getString(1),
            r -> r.getTimestamp(2).toInstant(), r -> r.getDate(4).toLocalDate())
        .containsExactly(tuple("e1", "a@x.io", Instant.parse("2024-05-01T10:00:00Z"), D1),
            tuple("e2", "b@x.io", Instant.parse("2024-05-02T10:00:00Z"), D2));
    assertThat(rows.get(0).getString(3)).contains("\"score\":null");
    assertThat(rows.get(1).getString(3)).contains("\"score\":42");
  }

  @Test
  void fileDiscoveryReadsTheDateFromThePathAndSkipsHiddenFiles() throws Exception {
    write(landing.resolve("web/2024-05-01/part-0.jsonl"), "{}");
    write(landing.resolve("web/2024-05-01/_SUCCESS"), "");
    write(landing.resolve("web/2024-05-01/.part-0.jsonl.crc"), "");
    write(landing.resolve("web/latest/part-0.jsonl"), "{}");
    CdpSettings settings = settings("");
    List<SourceFile> files = FileDiscovery.discover(new org.apache.hadoop.conf.Configuration(),
        settings.source("web"), null, TODAY);
    assertThat(files).extracting(SourceFile::logicalDate).containsExactly(D1);
    assertThat(files.get(0).path()).startsWith("file:/").endsWith("/web/2024-05-01/part-0.jsonl");
    assertThatThrownBy(() -> FileDiscovery.dateOf("web", "file:/l/web/2024-13-45/x", 1))
        .hasMessage("source 'web': file file:/l/web/2024-13-45/x has an invalid date"
            + " '2024-13-45' in its path");
  }

  @Test
  void csvHeadersSplitOnQuotesAndNameBlankColumns() {
    assertThat(RawRecordReader.headerFields("a,\"b,c\", d ,,a", ","))
        .containsExactly("a", "b,c", "d", "_c3", "a_2");
    assertThat(RawRecordReader.headerFields("x;y", ";")).containsExactly("x", "y");
  }
}
