package org.lakecdp.core.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class LakehouseTest {
  @TempDir
  Path dir;

  @Test
  void tablesAreCreatedOnceUnderTheirLayerWithCommentsAndQueryableByName(SparkSession spark) {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    lake.ensureTables();
    for (CdpTable table : CdpTable.values()) {
      assertThat(lake.version(table)).as(table.name()).isZero();
      assertThat(lake.path(table)).isEqualTo(dir.resolve("lake") + "/"
          + table.layer().folder() + "/" + table.tableName());
    }
    assertThat(lake.name(CdpTable.BRONZE_EVENTS)).isEqualTo(settings.lakehouse().bronzeDb()
        + ".events");
    for (Layer layer : Layer.values()) {
      assertThat(spark.catalog().databaseExists(layer.database(settings.lakehouse())))
          .as(layer.name()).isTrue();
    }
    List<String> comments = spark.sql("DESCRIBE " + lake.name(CdpTable.BRONZE_EVENTS))
        .filter("col_name = 'event_time'").select("comment").as(
            org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(comments).containsExactly("When the event happened (UTC)");
    String stats = spark.sql("SHOW TBLPROPERTIES " + lake.name(CdpTable.BRONZE_EVENTS)
        + " ('delta.dataSkippingStatsColumns')").first().getString(1);
    assertThat(stats.split(",")).contains("event_type", "event_time", "logical_date")
        .doesNotContain("source", "record_hash", "run_id", "source_file")
        .doesNotContain("raw", "attributes", "record_key", "email", "phone", "customer_id");
  }

  @Test
  void noStatisticsOfTextThatCanHoldPersonalData() {
    for (CdpTable table : CdpTable.values()) {
      List<String> stats = table.statsColumns();
      assertThat(stats).as(table.name()).isNotEmpty()
          .noneMatch(PiiColumns.of(table)::containsKey);
      for (String column : stats) {
        String type = table.schema().apply(column).dataType().typeName()
            .replaceFirst("^decimal\\(.*", "decimal");
        assertThat(type).as(column).isIn("date", "timestamp", "integer", "long", "double",
            "decimal", "string");
        if (type.equals("string")) {
          assertThat(column).as(table.name()).isIn("run_id", "source", "source_file",
              "event_type");
        }
      }
    }
  }

  @Test
  void tablesOfAnEarlierReleaseGetTodaysStatisticsColumns(SparkSession spark) {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    String profile = lake.name(CdpTable.GOLD_CUSTOMER_PROFILE);
    spark.sql("ALTER TABLE " + profile + " SET TBLPROPERTIES ("
        + "'delta.dataSkippingStatsColumns' = 'customer_id,email')");
    long altered = lake.version(CdpTable.GOLD_CUSTOMER_PROFILE);

    lake.ensureTables();
    String stats = spark.sql("SHOW TBLPROPERTIES " + profile
        + " ('delta.dataSkippingStatsColumns')").first().getString(1);
    assertThat(stats).isEqualTo(String.join(",",
        CdpTable.GOLD_CUSTOMER_PROFILE.statsColumns()));
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isEqualTo(altered + 1);
    lake.ensureTables();
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).as("set once")
        .isEqualTo(altered + 1);
  }

  @Test
  void aCatalogThatLostItsTablesGetsThemBackFromTheFolders(SparkSession spark) {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    spark.sql("INSERT INTO " + lake.name(CdpTable.BRONZE_QUARANTINE) + " VALUES ('web',"
        + " 'file:/x', 'why', '{', DATE '2024-05-01', 'r1', TIMESTAMP '2024-05-01 00:00:00')");
    spark.sql("DROP TABLE " + lake.name(CdpTable.BRONZE_QUARANTINE));
    assertThat(spark.catalog().tableExists(lake.name(CdpTable.BRONZE_QUARANTINE))).isFalse();

    lake.ensureTables();
    assertThat(spark.table(lake.name(CdpTable.BRONZE_QUARANTINE)).count()).isEqualTo(1);
  }

  @Test
  void aTableRegisteredElsewhereIsAClearError() {
    CdpSettings first = SparkTestSession.settings(dir.resolve("lake1"));
    SparkTestSession.lakehouse(first);
    CdpSettings moved = SparkTestSession.settings(dir.resolve("lake2"),
        "cdp.lakehouse.databases.bronze", first.lakehouse().bronzeDb(),
        "cdp.lakehouse.databases.ops", first.lakehouse().opsDb());
    assertThatThrownBy(() -> SparkTestSession.lakehouse(moved))
        .isInstanceOf(CdpException.class)
        .hasMessage("table " + first.lakehouse().bronzeDb() + ".events is registered in the"
            + " catalog at file:" + dir.resolve("lake1/bronze/events") + " but"
            + " cdp.lakehouse.root puts it at " + dir.resolve("lake2/bronze/events")
            + "; point cdp.lakehouse.root back, or DROP TABLE " + first.lakehouse().bronzeDb()
            + ".events (its data stays) so it is registered anew");
  }

  @Test
  void locationsCompareWithoutSchemeNoise() {
    assertThat(Lakehouse.normalise("file:///a/b/")).isEqualTo("/a/b");
    assertThat(Lakehouse.normalise("file:/a/b")).isEqualTo("/a/b");
    assertThat(Lakehouse.normalise("s3a://bucket/x")).isEqualTo("s3a://bucket/x");
  }
}
