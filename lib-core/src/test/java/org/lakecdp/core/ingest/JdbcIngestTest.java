package org.lakecdp.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.testing.PostgresServer;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

/** JDBC ingestion against a real PostgreSQL server started by the test. */
@ExtendWith(SparkTestSession.class)
class JdbcIngestTest {
  private static final LocalDate DAY = LocalDate.of(2024, 6, 1);
  private static PostgresServer postgres;

  @TempDir
  Path dir;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
    try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA crm");
      s.execute("CREATE TABLE crm.customers (id integer PRIMARY KEY, email text, name text,"
          + " updated_at timestamp)");
      s.execute("INSERT INTO crm.customers VALUES"
          + " (1, 'ann@example.com', 'Ann', '2024-05-01 10:00:00.123456'),"
          + " (2, 'bob@example.com', 'Bob O''Neil', '2024-05-01 11:00:00'),"
          + " (3, NULL, 'Cy', '2024-05-02 09:30:00')");
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  private CdpSettings settings(String url) {
    return TestConfig.fromHocon(dir.resolve("lake"), """
        cdp.lakehouse.databases { bronze = jd%1$d_bronze, silver = jd%1$d_silver,
                                  gold = jd%1$d_gold, ops = jd%1$d_ops }
        cdp.sources.crm {
          format = jdbc
          event-time.field = updated_at
          event-type.value = customer_profile
          record-key = id
          mapping { customer_id = id, email = email, full_name = name }
          jdbc { url = "%2$s", table = crm.customers, user = postgres,
                 watermark-column = updated_at, fetch-size = 2 }
        }
        """.formatted(Math.abs(dir.hashCode() % 100000), url));
  }

  private static List<Row> bronze(Lakehouse lake) {
    return lake.read(CdpTable.BRONZE_EVENTS).orderBy("record_key")
        .select("record_key", "customer_id", "email", "event_time", "source_file", "run_id")
        .collectAsList();
  }

  @Test
  void readsPastTheWatermarkOnlyAndRerunsWithoutDuplicates() throws Exception {
    CdpSettings settings = settings(postgres.jdbcUrl());
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    BronzeIngest ingest = new BronzeIngest(lake, settings, m -> { });
    IngestRequest catchUp = new IngestRequest(DAY, false, false, List.of());

    IngestReport first = ingest.run(catchUp);
    assertThat(first.rows()).isEqualTo(3);
    assertThat(bronze(lake)).extracting(r -> r.getString(0), r -> r.getString(1),
            r -> r.getString(2), r -> r.getTimestamp(3).toInstant(), r -> r.getString(4))
        .containsExactly(
            tuple("1", "1", "ann@example.com", Instant.parse("2024-05-01T10:00:00.123456Z"),
                "jdbc:crm.customers:updated_at:(,2024-05-02 09:30:00.000000]"),
            tuple("2", "2", "bob@example.com", Instant.parse("2024-05-01T11:00:00Z"),
                "jdbc:crm.customers:updated_at:(,2024-05-02 09:30:00.000000]"),
            tuple("3", "3", null, Instant.parse("2024-05-02T09:30:00Z"),
                "jdbc:crm.customers:updated_at:(,2024-05-02 09:30:00.000000]"));

    assertThat(ingest.run(catchUp).sources()).isEmpty();

    try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO crm.customers VALUES (4, 'dee@example.com', 'Dee',"
          + " '2024-05-03 08:00:00')");
      s.execute("UPDATE crm.customers SET email = 'ann@new.example', updated_at ="
          + " '2024-05-03 09:00:00' WHERE id = 1");
    }
    IngestReport second = ingest.run(catchUp);
    assertThat(second.rows()).isEqualTo(2);
    assertThat(bronze(lake)).hasSize(5);
    Row ledger = lake.read(CdpTable.OPS_INGESTED_FILES)
        .orderBy(org.apache.spark.sql.functions.col("watermark_high").desc()).first();
    assertThat(ledger.getString(ledger.fieldIndex("watermark_low")))
        .isEqualTo("2024-05-02 09:30:00.000000");
    assertThat(ledger.getString(ledger.fieldIndex("watermark_high")))
        .isEqualTo("2024-05-03 09:00:00.000000");

    List<Row> before = bronze(lake);
    IngestReport forced = ingest.run(new IngestRequest(DAY, true, true, List.of()));
    assertThat(forced.rows()).isZero();
    assertThat(bronze(lake)).isEqualTo(before).extracting(r -> r.getString(2))
        .contains("ann@example.com", "ann@new.example");
  }

  @Test
  void anUnreachableDatabaseFailsTheRunNamingTheSource() {
    CdpSettings settings = settings("jdbc:postgresql://127.0.0.1:1/none");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    assertThatThrownBy(() -> new BronzeIngest(lake, settings, m -> { })
        .run(new IngestRequest(DAY, false, false, List.of())))
        .isInstanceOf(CdpException.class)
        .hasMessageStartingWith("source 'crm': cannot query crm.customers at"
            + " jdbc:postgresql://127.0.0.1:1/none: Connection to 127.0.0.1:1 refused");
    assertThat(lake.read(CdpTable.OPS_RUNS).first().getString(3)).isEqualTo("FAILED");
  }
}
