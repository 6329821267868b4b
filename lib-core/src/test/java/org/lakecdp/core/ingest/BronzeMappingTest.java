package org.lakecdp.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

@ExtendWith(SparkTestSession.class)
class BronzeMappingTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 2);
  private static final RunContext RUN = new RunContext("ingest-test", "ingest", DAY,
      Instant.parse("2024-05-03T00:00:00Z"), "hash");

  private static Dataset<Row> raw(SparkSession spark, CdpSettings s, String... records) {
    StructType schema = new StructType().add("raw", DataTypes.StringType)
        .add("source_file", DataTypes.StringType);
    List<Row> rows = Stream.of(records).map(r -> RowFactory.create(r, "file:/x.jsonl"))
        .toList();
    return RawRecordReader.withJsonFields(spark.createDataFrame(rows, schema),
        new RecordFields(s.source("s")));
  }

  private static CdpSettings source(String body) {
    return TestConfig.fromHocon(Path.of("/tmp"), "cdp.sources.s { " + body + " }");
  }

  private static List<Row> map(SparkSession spark, CdpSettings s, String... records) {
    return BronzeMapping.mapToBronze(raw(spark, s, records), s.source("s"), s.ingest(), RUN, DAY)
        .collectAsList();
  }

  @Test
  void eventTimesInEveryDeclaredFormatBecomeUtcInstants(SparkSession spark) {
    CdpSettings s = source("""
        format = json, path = x,
        event-time { field = [ts, t2], formats = [iso, epoch-millis, "dd/MM/yyyy HH:mm"],
                     timezone = "Europe/London" }
        """);
    List<Row> rows = map(spark, s,
        "{\"ts\":\"2024-05-02T09:00:00Z\"}",
        "{\"ts\":\"2024-05-02T09:00:00.000000Z\"}",
        // a Z ending a zone name is no UTC designator: New Zealand's time, twelve hours ahead
        "{\"ts\":\"2024-05-02T21:00:00NZ\"}",
        "{\"ts\":\"2024-05-02T11:00:00+02:00\"}",
        "{\"ts\":\"2024-05-02 10:00:00\"}",
        "{\"t2\":1714640400000}",
        "{\"ts\":\"02/05/2024 10:00\"}",
        "{\"ts\":\"  \", \"t2\":\"02/05/2024 10:00\"}");
    assertThat(rows).extracting(r -> r.getTimestamp(r.fieldIndex("event_time")).toInstant())
        .containsOnly(Instant.parse("2024-05-02T09:00:00Z"));
    assertThat(rows).extracting(r -> r.getDate(r.fieldIndex("event_date")).toLocalDate())
        .containsOnly(DAY);
    assertThat(rows).extracting(r -> r.get(r.fieldIndex("reason"))).containsOnlyNulls();
  }

  @Test
  void epochSecondsAreUnderstood(SparkSession spark) {
    CdpSettings s = source("format = json, path = x,"
        + " event-time { field = ts, formats = [epoch-seconds] }");
    List<Row> rows = map(spark, s, "{\"ts\":1714640400}", "{\"ts\":\"1714640400.5\"}");
    assertThat(rows).extracting(r -> r.getTimestamp(r.fieldIndex("event_time")).toInstant())
        .containsExactly(Instant.parse("2024-05-02T09:00:00Z"),
            Instant.parse("2024-05-02T09:00:00.500Z"));
  }

  @Test
  void aLaterRunReusesTheCompiledMappingWithItsOwnTimes(SparkSession spark, @TempDir Path dir)
      throws IOException {
    CdpSettings s = source("format = json, path = x, event-time.field = ts");
    Path file = dir.resolve("events.jsonl");
    // within max-future-hours (24) of the second run's start but not of the first's
    Files.writeString(file, "{\"ts\":\"2024-05-02T09:00:00Z\"}\n"
        + "{\"ts\":\"2024-05-04T12:00:00Z\"}\n");
    RunContext first = new RunContext("ingest-1", "ingest", DAY,
        Instant.parse("2024-05-03T00:00:00Z"), "hash");
    RunContext second = new RunContext("ingest-2", "ingest", DAY.plusDays(1),
        Instant.parse("2024-05-04T00:00:00.123456Z"), "hash");
    // the shared test session interprets expressions; the ingest generates code
    String[][] codegen = {{"spark.sql.codegen.wholeStage", "true"},
        {"spark.sql.codegen.factoryMode", "CODEGEN_ONLY"}};
    String[] before = new String[codegen.length];
    for (int i = 0; i < codegen.length; i++) {
      before[i] = spark.conf().get(codegen[i][0]);
      spark.conf().set(codegen[i][0], codegen[i][1]);
    }
    try {
      List<Row> early = mapFile(spark, s, file, first);
      long compiled = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
      List<Row> late = mapFile(spark, s, file, second);
      assertThat(CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - compiled)
          .as("classes compiled for the second run").isZero();

      assertThat(early).extracting(r -> r.getString(r.fieldIndex("reason")))
          .containsExactly(null, "event time out of range in field 'ts':"
              + " '2024-05-04T12:00:00Z'");
      assertThat(late).extracting(r -> r.getString(r.fieldIndex("reason")))
          .containsExactly(null, null);
      assertThat(late).extracting(r -> r.getTimestamp(r.fieldIndex("ingested_at")).toInstant(),
              r -> r.getDate(r.fieldIndex("logical_date")).toLocalDate())
          .containsOnly(tuple(second.startedAt(), second.logicalDate()));
      assertThat(early).extracting(r -> r.getTimestamp(r.fieldIndex("ingested_at")).toInstant(),
              r -> r.getDate(r.fieldIndex("logical_date")).toLocalDate())
          .containsOnly(tuple(first.startedAt(), first.logicalDate()));
    } finally {
      for (int i = 0; i < codegen.length; i++) {
        spark.conf().set(codegen[i][0], before[i]);
      }
    }
  }

  private static List<Row> mapFile(SparkSession spark, CdpSettings s, Path file,
      RunContext run) {
    Dataset<Row> raw = RawRecordReader.readJsonLines(spark, s.source("s"),
        List.of(file.toUri().toString()), new RecordFields(s.source("s")));
    return BronzeMapping.mapToBronze(raw, s.source("s"), s.ingest(), run, run.logicalDate())
        .collectAsList();
  }

  @Test
  void badRecordsGetOneLineReasonsNamingFieldAndValue(SparkSession spark) {
    CdpSettings s = source("format = json, path = x, event-time.field = ts,"
        + " record-key = [order.id, line]");
    List<Row> rows = map(spark, s,
        "{\"ts\":\"2024-05-02T09:00:00Z\", \"order\":{\"id\":\"o1\"}, \"line\":2}",
        "{\"order\":{\"id\":\"o2\"}, \"line\":1}",
        "{\"ts\":\"2024-13-45T25:61:00Z\", \"order\":{\"id\":\"o3\"}, \"line\":1}",
        "{\"ts\":\"1850-01-01T00:00:00Z\", \"order\":{\"id\":\"o4\"}, \"line\":1}",
        "{\"ts\":\"2030-01-01T00:00:00Z\", \"order\":{\"id\":\"o5\"}, \"line\":1}",
        "{\"ts\":\"2024-05-02T09:00:00Z\", \"line\":1}",
        "{\"ts\":\"2024-05-02T09:00:00Z\", \"order\":", "",
        "{\"ts\":\"2024-05-02T09:00:00Z\", \"order\":{\"id\":\"o6\"}, \"line\":1, \"line\":3}");
    assertThat(rows).extracting(r -> r.getString(r.fieldIndex("record_key")),
            r -> r.getString(r.fieldIndex("reason")))
        .containsExactly(
            tuple("o1|2", null),
            tuple("o2|1", "missing event time: no value in field 'ts'"),
            tuple("o3|1", "bad event time in field 'ts': '2024-13-45T25:61:00Z'"),
            tuple("o4|1", "event time out of range in field 'ts': '1850-01-01T00:00:00Z'"),
            tuple("o5|1", "event time out of range in field 'ts': '2030-01-01T00:00:00Z'"),
            tuple("1", "missing record key field 'order.id'"),
            tuple("", "malformed JSON: not a JSON object"),
            tuple("", "malformed JSON: not a JSON object"),
            // a repeated key: its first value is read; raw keeps both
            tuple("o6|1", null));
  }

  @Test
  void identifiersAttributesAndEventTypesFollowTheMapping(SparkSession spark) {
    CdpSettings s = source("""
        format = json, path = x, event-time.field = ts,
        event-type { field = kind, map { PV = page_view } },
        mapping { email = [customer.email, customer.email_address], phone = tel,
                  first_name = name.first, amount = total, x_coupon = coupon }
        """);
    List<Row> rows = map(spark, s,
        "{\"ts\":\"2024-05-02T09:00:00Z\",\"kind\":\"pv\",\"customer\":{\"email\":\" A@B.com \"},"
            + "\"tel\":\"+44 7700 900123\",\"name\":{\"first\":\"Ann\"},\"total\":12.5}",
        "{\"ts\":\"2024-05-02T09:00:00Z\",\"kind\":\"Purchase\","
            + "\"customer\":{\"email_address\":\"c@d.org\"},\"coupon\":\"X1\",\"new_field\":1}",
        "{\"ts\":\"2024-05-02T09:00:00Z\"}");
    assertThat(rows).extracting(r -> r.getString(r.fieldIndex("event_type")),
            r -> r.getString(r.fieldIndex("email")), r -> r.getString(r.fieldIndex("phone")),
            r -> r.getString(r.fieldIndex("cookie_id")),
            r -> r.getJavaMap(r.fieldIndex("attributes")))
        .containsExactly(
            tuple("page_view", "A@B.com", "+44 7700 900123", null,
                java.util.Map.of("first_name", "Ann", "amount", "12.5")),
            tuple("purchase", "c@d.org", null, null, java.util.Map.of("x_coupon", "X1")),
            tuple("unknown", null, null, null, java.util.Map.of()));
    assertThat(rows.get(1).getString(rows.get(1).fieldIndex("raw"))).contains("\"new_field\":1");
  }

  @Test
  void recordsWithoutDeclaredKeyAreKeyedByContentHash(SparkSession spark) {
    CdpSettings s = source("format = json, path = x, event-time.field = ts,"
        + " event-type.value = visit");
    String line = "{\"ts\":\"2024-05-02T09:00:00Z\",\"a\":1}";
    List<Row> rows = map(spark, s, line, line, "{\"ts\":\"2024-05-02T09:00:00Z\",\"a\":2}");
    assertThat(rows.get(0).getString(rows.get(0).fieldIndex("record_key")))
        .startsWith("h:").isEqualTo(rows.get(1).getString(rows.get(1).fieldIndex("record_key")))
        .isNotEqualTo(rows.get(2).getString(rows.get(2).fieldIndex("record_key")));
    assertThat(rows).extracting(r -> r.getString(r.fieldIndex("event_type")))
        .containsOnly("visit");
    assertThat(rows.get(0).getLong(rows.get(0).fieldIndex(BronzeColumns.RECORD_HASH)))
        .isEqualTo(rows.get(1).getLong(rows.get(1).fieldIndex(BronzeColumns.RECORD_HASH)));
  }

  @Test
  void zoneLettersInPatternsAreDetected() {
    assertThat(BronzeMapping.hasZone("yyyy-MM-dd HH:mm:ssXXX")).isTrue();
    assertThat(BronzeMapping.hasZone("dd/MM/yyyy HH:mm")).isFalse();
    assertThat(BronzeMapping.hasZone("yyyy-MM-dd'T'HH:mm")).isFalse();
  }

  @Test
  void unusualNamesDeepPathsAndDottedNamesAreRead(SparkSession spark) {
    CdpSettings s = source("""
        format = json, path = x, event-time.field = ts,
        mapping { email = [e-mail, "user.contact.email"], phone = "user.phone",
                  x_a = "a.b", x_upper = A }
        """);
    List<Row> rows = map(spark, s,
        "{\"ts\":\"2024-05-02T09:00:00Z\",\"e-mail\":\"x@y.z\",\"A\":\"big\","
            + "\"a\":\"small\",\"user\":{\"phone\":7,\"contact\":{\"email\":\"u@v.w\"}}}",
        "{\"ts\":\"2024-05-02T09:00:00Z\",\"user\":{\"contact\":{\"email\":\"u@v.w\"}},"
            + "\"user.phone\":\"dotted\",\"a\":{\"b\":[1,{\"c\":2}]}}",
        "{\"ts\":\"2024-05-02T09:00:00Z\",\"user\":\"not an object\",\"a\":[{\"b\":1}]}");
    assertThat(rows).extracting(r -> r.getString(r.fieldIndex("email")),
            r -> r.getString(r.fieldIndex("phone")),
            r -> r.getJavaMap(r.fieldIndex("attributes")),
            r -> r.getString(r.fieldIndex("reason")))
        .containsExactly(
            tuple("x@y.z", "7", java.util.Map.of("x_upper", "big"), null),
            tuple("u@v.w", "dotted", java.util.Map.of("x_a", "[1,{\"c\":2}]"), null),
            tuple(null, null, java.util.Map.of(), null));
  }
}
