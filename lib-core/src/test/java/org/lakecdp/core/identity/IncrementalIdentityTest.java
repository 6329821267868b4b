package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.Layer;
import org.lakecdp.core.testing.SparkTestSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An incremental identity run gives what a full rebuild with the same match model gives,
 * while resolving only the customers the new records touch. Data: FEBRL 4 persons 0-999
 * (the originals and their duplicates) as two customer-master sources, the probabilistic
 * model on, plus a deterministic rule on the social security number; day 2 brings 100
 * duplicates and one record bridging two existing customers (one's number, the other's name,
 * address and date of birth).
 */
@ExtendWith(SparkTestSession.class)
class IncrementalIdentityTest {
  private static final Logger LOG = LoggerFactory.getLogger(IncrementalIdentityTest.class);
  private static final LocalDate D1 = LocalDate.of(2024, 6, 1);
  private static final LocalDate D2 = LocalDate.of(2024, 6, 2);

  @TempDir
  Path dir;

  private CdpSettings settings(String mode, boolean refit) throws IOException {
    Path conf = dir.resolve("incremental.conf");
    Files.writeString(conf, """
        include file("%1$s")
        cdp.sources.febrl4a.path = "%2$s/a/{date}/*.csv"
        cdp.sources.febrl4b.path = "%2$s/b/{date}/*.csv"
        cdp.identity.rules = [ { id = same_soc_sec_id, fields = [x_soc_sec_id] } ]
        """.formatted(Febrl4Test.exampleConf().toString().replace("\\", "/"),
        dir.resolve("landing").toString().replace("\\", "/")));
    String db = "inc" + Math.abs(dir.hashCode() % 100000);
    return CdpConfigLoader.load(conf, Map.of(
        "cdp.lakehouse.root", dir.resolve("lake").toString(),
        "cdp.lakehouse.databases.bronze", db + "_bronze",
        "cdp.lakehouse.databases.silver", db + "_silver",
        "cdp.lakehouse.databases.gold", db + "_gold",
        "cdp.lakehouse.databases.ops", db + "_ops",
        "cdp.identity.mode", mode,
        "cdp.identity.refit-model", Boolean.toString(refit)));
  }

  /** Writes the rows of a FEBRL file whose person number passes {@code keep}. */
  private List<String> febrl(String file, String source, LocalDate day, IntPredicate keep,
      List<String> extra) throws Exception {
    List<String> lines = Files.readAllLines(Febrl4Test.febrl4Dir().resolve(file));
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank() && keep.test(personOf(line))) {
        out.add(line);
      }
    }
    out.addAll(extra);
    Path target = dir.resolve("landing").resolve(source).resolve(day.toString())
        .resolve("part-0.csv");
    Files.createDirectories(target.getParent());
    Files.write(target, out);
    return out;
  }

  private static int personOf(String line) {
    String id = line.substring(0, line.indexOf(',')).strip();
    return Integer.parseInt(id.split("-")[1]);
  }

  private static String[] fields(List<String> lines, int person) {
    return lines.stream().skip(1).filter(l -> personOf(l) == person).findFirst().orElseThrow()
        .split(",", -1);
  }

  private IdentityReport day(Lakehouse lake, CdpSettings settings, LocalDate day) {
    new BronzeIngest(lake, settings, LOG::info).run(new IngestRequest(day, true, false,
        List.of()));
    return new IdentityResolution(lake, settings, LOG::info).run(day);
  }

  private static Set<String> rows(Lakehouse lake, CdpTable table, String... columns) {
    Set<String> out = new TreeSet<>();
    for (Row r : lake.read(table).selectExpr(columns).collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  private static Set<String> state(Lakehouse lake, String runId) {
    Set<String> out = new TreeSet<>();
    rows(lake, CdpTable.SILVER_CUSTOMER_MEMBERSHIP, "source", "record_key", "customer_id",
        "node_id").forEach(r -> out.add("membership " + r));
    rows(lake, CdpTable.SILVER_IDENTITY_RECORDS, "source", "record_key", "record_hash",
        "node_id", "unusable").forEach(r -> out.add("record " + r));
    rows(lake, CdpTable.SILVER_IDENTITY_LINKS, "customer_id", "node_a", "node_b",
        "source_a", "record_key_a", "source_b", "record_key_b", "rule", "value",
        "round(match_probability, 9)", "comparisons").forEach(r -> out.add("link " + r));
    for (Row r : lake.read(CdpTable.SILVER_ID_LINEAGE)
        .where(col(IdentityColumns.RUN_ID).equalTo(runId))
        .selectExpr("event", "customer_id", "from_customer_id", "records", "reason")
        .collectAsList()) {
      out.add("lineage " + r);
    }
    return out;
  }

  private static String customerOf(Lakehouse lake, String source, String key) {
    return lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .where(col(IdentityColumns.SOURCE).equalTo(source)
            .and(col(IdentityColumns.RECORD_KEY).equalTo(key)))
        .select(col(IdentityColumns.CUSTOMER_ID)).first().getString(0);
  }

  @Test
  void incrementalRunEqualsFullRebuildWithTheSameModel() throws Exception {
    CdpSettings incremental = settings("incremental", true);
    Lakehouse lake = SparkTestSession.lakehouse(incremental);
    List<String> originals = febrl("dataset4a.csv", "a", D1, p -> p < 1000, List.of());
    febrl("dataset4b.csv", "b", D1, p -> p < 900, List.of());
    IdentityReport first = day(lake, incremental, D1);
    assertThat(first.stat("mode.full")).isEqualTo(1.0);
    assertThat(customerOf(lake, "febrl4a", "rec-10-org"))
        .isNotEqualTo(customerOf(lake, "febrl4a", "rec-20-org"));
    Map<CdpTable, Long> before = new EnumMap<>(CdpTable.class);
    for (CdpTable t : CdpTable.values()) {
      if (t.layer() == Layer.SILVER) {
        before.put(t, lake.version(t));
      }
    }

    // one's social security number, the other's name, address and date of birth
    String[] ssnOwner = fields(originals, 10);
    String[] lookalike = fields(originals, 20);
    lookalike[0] = "rec-5000-dup-0";
    lookalike[10] = ssnOwner[10];
    febrl("dataset4b.csv", "b", D2, p -> p >= 900 && p < 1000,
        List.of(String.join(",", lookalike)));
    IdentityReport second = day(lake, incremental, D2);

    assertThat(second.stat("mode.full")).isEqualTo(0.0);
    assertThat(second.stat("records.new")).isEqualTo(101.0);
    assertThat(second.stat("scope.customers")).isGreaterThan(0.0)
        .isLessThan(0.25 * first.customers());
    String bridged = customerOf(lake, "febrl4b", "rec-5000-dup-0");
    assertThat(customerOf(lake, "febrl4a", "rec-10-org")).isEqualTo(bridged);
    assertThat(customerOf(lake, "febrl4a", "rec-20-org")).isEqualTo(bridged);
    assertThat(lake.read(CdpTable.SILVER_ID_LINEAGE)
        .where(col(IdentityColumns.RUN_ID).equalTo(second.runId())
            .and(col(IdentityColumns.EVENT).equalTo("merge"))
            .and(col(IdentityColumns.CUSTOMER_ID).equalTo(bridged)))
        .select(col(IdentityColumns.REASON)).first().getString(0))
        .startsWith("linked by");
    Set<String> afterIncremental = state(lake, second.runId());

    // the same day resolved in full from the same previous state, with the same model
    before.forEach((t, v) -> DeltaTable.forPath(lake.spark(), lake.path(t))
        .restoreToVersion(v));
    CdpSettings full = settings("full", false);
    IdentityReport rebuilt = new IdentityResolution(lake, full, LOG::info).run(D2);
    assertThat(rebuilt.stat("mode.full")).isEqualTo(1.0);
    Set<String> afterFull = state(lake, rebuilt.runId());
    assertThat(afterIncremental).hasSize(afterFull.size());
    assertThat(afterIncremental.stream().map(s -> s.replace(second.runId(), "RUN")).toList())
        .containsExactlyElementsOf(afterFull.stream()
            .map(s -> s.replace(rebuilt.runId(), "RUN")).toList());

    // nothing new: nothing resolved, nothing rewritten
    long membershipVersion = lake.version(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    IdentityReport rerun = new IdentityResolution(lake, incremental, LOG::info).run(D2);
    assertThat(rerun.stat("mode.full")).isEqualTo(0.0);
    assertThat(rerun.stat("records.new")).isEqualTo(0.0);
    assertThat(rerun.customers()).isEqualTo(rebuilt.customers());
    assertThat(lake.version(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)).isEqualTo(membershipVersion);
  }
}
