package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SampleSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.OpsColumns;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.sample.SampleDataGenerator;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Nightly incremental profile runs on generated sample data, days landing one after another
 * with short profile windows so events leave them: after every run the table equals a full
 * rebuild from the same inputs, while only the touched customers were recomputed.
 */
@ExtendWith(SparkTestSession.class)
class IncrementalProfileTest {
  private static final LocalDate END = LocalDate.of(2024, 12, 31);

  @TempDir
  Path dir;

  @Test
  void eachNightEqualsAFullRebuildAndRecomputesOnlyTouchedCustomers() throws IOException {
    Path sample = dir.resolve("sample");
    SampleDataGenerator.generate(new SampleSettings(sample.toString(), 120, 40, END, 5),
        m -> { });
    // hold the last three days back; they land one night at a time
    Path held = dir.resolve("held");
    for (int back = 0; back < 3; back++) {
      move(sample.resolve("landing"), held, END.minusDays(back));
    }
    Map<String, String> overrides = new HashMap<>();
    overrides.put("cdp.sample.root", sample.toString());
    overrides.put("cdp.lakehouse.root", dir.resolve("lake").toString());
    for (String layer : List.of("bronze", "silver", "gold", "ops")) {
      overrides.put("cdp.lakehouse.databases." + layer, "ip_" + layer);
    }
    overrides.put("cdp.profile.transactions.rfm-window-days", "10");
    overrides.put("cdp.profile.engagement.window-days", "4");
    overrides.put("cdp.profile.preferences.window-days", "7");
    CdpSettings settings = CdpConfigLoader.load(Path.of("../conf/sources/sample.conf")
        .toAbsolutePath().normalize(), overrides);
    Lakehouse lake = SparkTestSession.lakehouse(settings);

    LocalDate first = END.minusDays(3);
    nightly(lake, settings, first);
    assertThat(lastRun(lake).get("mode")).isEqualTo("full");
    assertThat(lastRun(lake).get("full.reason")).contains("no earlier profile run");
    assertEqualsFullRebuild(lake, settings, first);

    for (LocalDate day : List.of(END.minusDays(2), END)) {
      for (LocalDate d = day.equals(END) ? END.minusDays(1) : day; !d.isAfter(day);
          d = d.plusDays(1)) {
        move(held, sample.resolve("landing"), d);
      }
      nightly(lake, settings, day);
      Map<String, String> run = lastRun(lake);
      assertThat(run.get("mode")).isEqualTo("incremental");
      long touched = Long.parseLong(run.get("touched"));
      long customers = Long.parseLong(run.get("customers"));
      assertThat(touched).isPositive().isLessThan(customers);
      assertThat(run.get("touched.unchanged_inputs")).as("bronze has the night's events")
          .doesNotContain(lake.name(CdpTable.BRONZE_EVENTS));
      assertEqualsFullRebuild(lake, settings, day);
    }

    // a rerun of the day touches no one and writes nothing
    long version = lake.version(CdpTable.GOLD_CUSTOMER_PROFILE);
    ProfileReport rerun = new CustomerProfiles(lake, settings, m -> { }).run(END);
    assertThat(lastRun(lake).get("touched")).isEqualTo("0");
    assertThat(lastRun(lake).get("touched.unchanged_inputs").split(","))
        .as("nothing to compare").containsExactlyInAnyOrder(
            lake.name(CdpTable.BRONZE_EVENTS), lake.name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP),
            lake.name(CdpTable.SILVER_IDENTITY_RECORDS));
    assertThat(rerun.changed()).isZero();
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)).isEqualTo(version);

    // a backfill of an earlier day rebuilds in full, and says why
    new CustomerProfiles(lake, settings, m -> { }).run(END.minusDays(1));
    assertThat(lastRun(lake).get("full.reason")).contains("is before " + END);
    assertEqualsFullRebuild(lake, settings, END.minusDays(1));

    // the bronze version that run read, compacted and vacuumed away: a full rebuild again
    String bronze = "delta.`" + lake.path(CdpTable.BRONZE_EVENTS) + "`";
    lake.spark().sql("OPTIMIZE " + bronze).collect();
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    lake.spark().conf().set(check, "false");
    try {
      lake.spark().sql("VACUUM " + bronze + " RETAIN 0 HOURS").collect();
    } finally {
      lake.spark().conf().unset(check);
    }
    new CustomerProfiles(lake, settings, m -> { }).run(END);
    assertThat(lastRun(lake).get("mode")).isEqualTo("full");
    assertThat(lastRun(lake).get("full.reason")).contains("no longer readable (vacuumed)");
    assertEqualsFullRebuild(lake, settings, END);
  }

  private static void nightly(Lakehouse lake, CdpSettings settings, LocalDate day) {
    new BronzeIngest(lake, settings, m -> { }).run(new IngestRequest(day, false, false,
        List.of()));
    new IdentityResolution(lake, settings, m -> { }).run(day);
    new CustomerProfiles(lake, settings, m -> { }).run(day);
  }

  /** Moves every source's folder of {@code day} from one landing root to the other. */
  private static void move(Path from, Path to, LocalDate day) throws IOException {
    List<Path> sources;
    try (Stream<Path> s = Files.list(from)) {
      sources = s.toList();
    }
    for (Path source : sources) {
      Path folder = source.resolve(day.toString());
      if (Files.isDirectory(folder)) {
        Path target = to.resolve(source.getFileName().toString()).resolve(day.toString());
        Files.createDirectories(target.getParent());
        Files.move(folder, target);
      }
    }
  }

  private static Map<String, String> lastRun(Lakehouse lake) {
    Row row = lake.read(CdpTable.OPS_RUNS)
        .where(col(OpsColumns.JOB).equalTo(CustomerProfiles.JOB))
        .orderBy(col(OpsColumns.STARTED_AT).desc()).first();
    assertThat((String) row.getAs(OpsColumns.STATUS)).isEqualTo("SUCCEEDED");
    return row.getJavaMap(row.fieldIndex(OpsColumns.DETAILS));
  }

  private static void assertEqualsFullRebuild(Lakehouse lake, CdpSettings settings,
      LocalDate asOf) {
    Dataset<Row> membership = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    Dataset<Row> expected = CustomerProfiles.buildProfiles(membership,
        lake.read(CdpTable.SILVER_IDENTITY_RECORDS), CustomerEvents.selectCustomerEvents(
            lake.read(CdpTable.BRONZE_EVENTS), membership, asOf, settings.profile()),
        null, asOf, settings.profile());
    List<String> want = json(expected);
    List<String> got = json(lake.read(CdpTable.GOLD_CUSTOMER_PROFILE)
        .drop(ProfileColumns.RUN_ID));
    assertThat(got).hasSameSizeAs(want);
    assertThat(got).isEqualTo(want);
  }

  private static List<String> json(Dataset<Row> profiles) {
    return new ArrayList<>(profiles.orderBy(ProfileColumns.CUSTOMER_ID).toJSON()
        .collectAsList());
  }
}
