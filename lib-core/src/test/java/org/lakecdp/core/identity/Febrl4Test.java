package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
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
import org.lakecdp.core.testing.SparkTestSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FEBRL 4 resolved by the shipped example configuration alone ({@code
 * conf/examples/febrl4.conf}): two customer-master files declared as sources, no code. The
 * data is read from the documented {@code ../shared/data/febrl4} when it is there, else from
 * the copy in the test resources (same files, same licence).
 */
@ExtendWith(SparkTestSession.class)
class Febrl4Test {
  private static final Logger LOG = LoggerFactory.getLogger(Febrl4Test.class);

  @TempDir
  Path dir;

  static Path febrl4Dir() throws URISyntaxException {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("data").resolve("febrl4");
      if (Files.isRegularFile(candidate.resolve("dataset4a.csv"))) {
        return candidate;
      }
    }
    return Path.of(Febrl4Test.class.getResource("/febrl4/dataset4a.csv").toURI()).getParent();
  }

  static Path exampleConf() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path conf = p.resolve("conf").resolve("examples").resolve("febrl4.conf");
      if (Files.isRegularFile(conf)) {
        return conf;
      }
    }
    throw new IllegalStateException("conf/examples/febrl4.conf not found above "
        + Path.of("").toAbsolutePath());
  }

  @Test
  void resolvesFebrl4WithHighPrecisionAndRecall() throws Exception {
    String db = "fb" + Math.abs(dir.hashCode() % 100000);
    CdpSettings settings = CdpConfigLoader.load(exampleConf(), Map.of(
        "febrl4-dir", febrl4Dir().toString(),
        "cdp.lakehouse.root", dir.resolve("lake").toString(),
        "cdp.lakehouse.databases.bronze", db + "_bronze",
        "cdp.lakehouse.databases.silver", db + "_silver",
        "cdp.lakehouse.databases.gold", db + "_gold",
        "cdp.lakehouse.databases.ops", db + "_ops"));
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    LocalDate day = LocalDate.of(2024, 6, 1);
    new BronzeIngest(lake, settings, LOG::info).run(new IngestRequest(day, true, false,
        List.of()));
    IdentityReport report = new IdentityResolution(lake, settings, LOG::info).run(day);

    Dataset<Row> membership = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    assertThat(membership.count()).isEqualTo(10_000);
    Dataset<Row> predicted = membership.select(col(IdentityColumns.RECORD_KEY).as("record"),
        col(IdentityColumns.CUSTOMER_ID).as("cluster"));
    Dataset<Row> truth = membership.select(col(IdentityColumns.RECORD_KEY).as("record"),
        regexp_extract(col(IdentityColumns.RECORD_KEY), "^rec-(\\d+)-", 1).as("entity"));
    PairwiseQuality quality = PairwiseQuality.evaluate(predicted, truth);
    LOG.info("FEBRL 4: {}; reduction ratio {}; candidate pairs {}", quality,
        report.stat("model.reduction_ratio"), report.stat("model.candidate_pairs"));

    assertThat(quality.truePairs()).isEqualTo(5_000);
    assertThat(quality.precision()).isGreaterThanOrEqualTo(0.999);
    assertThat(quality.f1()).isGreaterThanOrEqualTo(0.999);
    assertThat(report.stat("model.reduction_ratio")).isGreaterThanOrEqualTo(0.99);

    // why two records are one customer is one query: the link's rule, score and, per
    // compared field, its level and weight
    Dataset<Row> links = lake.read(CdpTable.SILVER_IDENTITY_LINKS);
    List<Row> why = links.where(col(IdentityColumns.RECORD_KEY_A).isin("rec-1-org", "rec-1-dup-0")
            .and(col(IdentityColumns.RECORD_KEY_B).isin("rec-1-org", "rec-1-dup-0")))
        .select(IdentityColumns.RULE, IdentityColumns.MATCH_PROBABILITY,
            IdentityColumns.MATCH_WEIGHT, IdentityColumns.COMPARISONS, IdentityColumns.RUN_ID)
        .collectAsList();
    assertThat(why).hasSize(1);
    Row link = why.get(0);
    assertThat(link.getString(0)).isEqualTo("model");
    assertThat(link.getDouble(1)).isGreaterThanOrEqualTo(
        settings.identity().probabilistic().threshold());
    assertThat(link.getString(4)).isEqualTo(report.runId());
    List<Row> comparisons = link.getList(3);
    assertThat(comparisons).extracting(c -> c.getString(0)).containsExactlyInAnyOrder(
        "first_name", "last_name", "date_of_birth", "x_soc_sec_id", "street_number", "street",
        "address_line2", "city", "postcode", "state");
    assertThat(comparisons).allSatisfy(c -> {
      assertThat(c.getString(1)).isNotBlank();
      assertThat(c.isNullAt(2)).isFalse();
    });
    assertThat(comparisons.stream().mapToDouble(c -> c.getDouble(2)).sum())
        .as("the fields' weights carry the pair over the prior's odds").isPositive();

    // the run's statistics: links per rule and clusters, as the tables hold them
    Map<String, Double> stats = new java.util.HashMap<>();
    for (Row r : lake.read(CdpTable.SILVER_IDENTITY_RUN_STATS)
        .where(col(IdentityColumns.RUN_ID).equalTo(report.runId()))
        .select(IdentityColumns.METRIC, IdentityColumns.VALUE).collectAsList()) {
      stats.put(r.getString(0), r.getDouble(1));
    }
    assertThat(stats.get("links.model")).isEqualTo(
        (double) links.where(col(IdentityColumns.RULE).equalTo("model")).count());
    assertThat(stats.get("clusters")).isEqualTo(
        (double) membership.select(IdentityColumns.CUSTOMER_ID).distinct().count());
    assertThat(stats).containsKeys("clusters.largest_nodes", "clusters.singletons");
  }
}
