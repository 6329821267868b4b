package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.IdentitySettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.lakecdp.core.quality.IdentityStandardizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity job: {@code cdp_bronze.events} to the silver identity tables.
 *
 * <ol>
 *   <li>standardise every distinct bronze record (exact duplicates, same source, key and
 *       content hash, are dropped) into {@code identity_records}, with guardrails marking
 *       invalid, null-like and over-shared identifier values as unusable;</li>
 *   <li>group records of identical identity into nodes; link nodes by the deterministic rules
 *       and, for nodes sharing no identifier, by a Fellegi-Sunter model estimated from the
 *       data (blocking, comparisons, EM);</li>
 *   <li>cluster the links with connected components on Spark; a cluster over
 *       {@code max-cluster-size} keeps only its deterministic links;</li>
 *   <li>carry customer ids over from the previous run by best overlap, record merges, splits
 *       and retirements in {@code id_lineage}, and write membership, link evidence, model,
 *       alerts and run statistics.</li>
 * </ol>
 *
 * <p>Every run resolves all records, so a rerun, a backfill or a rebuild from nothing gives
 * the same clusters and, by the overlap rule and the derived ids, the same customer ids.
 * A failed run restores every table it wrote to its version from before the run.
 */
public final class IdentityResolution {
  /** Job name in the run ledger. */
  public static final String JOB = "identity";

  private static final Logger LOG = LoggerFactory.getLogger(IdentityResolution.class);
  private static final int MAX_CC_ITERATIONS = 60;
  private static final List<CdpTable> WRITES = List.of(CdpTable.SILVER_IDENTITY_RECORDS,
      CdpTable.SILVER_CUSTOMER_MEMBERSHIP, CdpTable.SILVER_IDENTITY_LINKS,
      CdpTable.SILVER_ID_LINEAGE, CdpTable.SILVER_IDENTITY_ALERTS,
      CdpTable.SILVER_IDENTITY_MODEL, CdpTable.SILVER_IDENTITY_RUN_STATS);

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final IdentitySettings id;
  private final Consumer<String> progress;
  private final SparkSession spark;

  public IdentityResolution(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.settings = settings;
    this.id = settings.identity();
    this.progress = progress;
    this.spark = lake.spark();
  }

  /** Runs the identity stage for {@code logicalDate}; throws after undoing its writes. */
  public IdentityReport run(LocalDate logicalDate) {
    RunLedger ledger = new RunLedger(lake, settings);
    RunContext run = ledger.start(JOB, logicalDate);
    Map<CdpTable, Long> before = new EnumMap<>(CdpTable.class);
    WRITES.forEach(t -> before.put(t, lake.version(t)));
    String checkpoints = checkpointRoot() + "/" + run.runId();
    spark.sparkContext().setCheckpointDir(checkpoints);
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      IdentityReport report = resolve(run, versions, checkpoints);
      Map<String, String> details = new LinkedHashMap<>();
      report.stats().forEach((k, v) -> details.put(k, fmt(v)));
      ledger.succeed(run, new RunOutcome(report.records(), report.customers(), 0, versions,
          details));
      return report;
    } catch (RuntimeException e) {
      LOG.error("identity run {} failed: {}", run.runId(), e.getMessage());
      before.forEach((table, version) -> lake.restore(table, version, run.runId()));
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ? e
          : new CdpException("identity run " + run.runId() + " failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(checkpoints);
    }
  }

  private String checkpointRoot() {
    return id.checkpointDir().isEmpty() ? lake.settings().root() + "/_checkpoints"
        : id.checkpointDir();
  }

  private IdentityReport resolve(RunContext run, Map<String, Long> versions,
      String checkpoints) {
    Map<String, Double> stats = new LinkedHashMap<>();
    Timestamp at = Timestamp.from(Instant.now());
    String runId = run.runId();

    // 1. standardise distinct records, guardrails, nodes
    Dataset<Row> bronze = lake.read(CdpTable.BRONZE_EVENTS);
    List<Column> identity = new ArrayList<>(List.of(col(BronzeColumns.SOURCE),
        col(BronzeColumns.RECORD_KEY), col(BronzeColumns.RECORD_HASH),
        col(BronzeColumns.EVENT_TIME), col(BronzeColumns.ATTRIBUTES)));
    BronzeColumns.IDENTIFIERS.forEach(id -> identity.add(col(id)));
    Dataset<Row> distinct = bronze.select(identity.toArray(Column[]::new))
        .dropDuplicates(BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY,
            BronzeColumns.RECORD_HASH);
    // read twice (over-shared values, then the records written): standardise once
    Dataset<Row> standardised = Guardrails.markNullLike(
        IdentityStandardizer.standardizeIdentities(distinct, id), id)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> overShared;
    try {
      overShared = Guardrails.findOverShared(standardised, id);
      if (overShared != null) {
        overShared = overShared.checkpoint();
      }
      Dataset<Row> recordsOut = IdentityGraph.assignNodes(
              Guardrails.markOverShared(standardised, overShared, id), id)
          .withColumn(IdentityColumns.RUN_ID, lit(runId));
      progress.accept("identity " + runId + ": standardising records");
      versions.put(lake.name(CdpTable.SILVER_IDENTITY_RECORDS), lake.overwrite(
          CdpTable.SILVER_IDENTITY_RECORDS,
          conform(recordsOut, CdpTable.SILVER_IDENTITY_RECORDS), runId));
    } finally {
      standardised.unpersist();
    }
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    long recordCount = records.count();
    stats.put("records", (double) recordCount);
    stats.put("records.exact_duplicates_dropped",
        (double) (bronze.count() - recordCount));

    Dataset<Row> nodes = IdentityGraph.nodes(records).checkpoint();
    long nodeCount = nodes.count();
    stats.put("nodes", (double) nodeCount);

    // 2. deterministic links
    progress.accept("identity " + runId + ": " + String.format("%,d", recordCount)
        + " record(s) in " + String.format("%,d", nodeCount) + " identity node(s); linking");
    Dataset<Row> ruleEdges = IdentityGraph.linkByRules(nodes, records, id)
        .withColumn(IdentityColumns.MATCH_WEIGHT, lit(null).cast(DataTypes.DoubleType))
        .withColumn(IdentityColumns.MATCH_PROBABILITY, lit(null).cast(DataTypes.DoubleType))
        .withColumn(IdentityColumns.COMPARISONS, lit(null).cast(IdentityColumns.COMPARISON_ARRAY));
    Dataset<Row> edges = ruleEdges;

    // 3. probabilistic links
    MatchModel model = null;
    if (id.probabilistic().enabled()) {
      ModelLinks prob = linkByModel(nodes, stats);
      model = prob.model();
      if (prob.edges() != null) {
        edges = edges.unionByName(prob.edges());
      }
    }
    edges = edges.checkpoint();
    for (Row r : edges.groupBy(col(IdentityColumns.RULE)).count().collectAsList()) {
      stats.put("links." + r.getString(0), (double) r.getLong(1));
    }

    // 4. clusters, with the size guardrail
    Dataset<Row> nodeIds = nodes.select(col(IdentityColumns.NODE_ID).as(ConnectedComponents.NODE));
    Dataset<Row> labels = ConnectedComponents.label(edgePairs(edges), nodeIds, checkpoints,
        MAX_CC_ITERATIONS);
    Dataset<Row> sizes = labels.groupBy(col(ConnectedComponents.COMPONENT))
        .agg(count(lit(1)).as(IdentityColumns.SIZE));
    List<Long> oversized = sizes.where(col(IdentityColumns.SIZE)
            .gt(id.guardrails().maxClusterSize()))
        .select(col(ConnectedComponents.COMPONENT)).as(org.apache.spark.sql.Encoders.LONG())
        .collectAsList();
    if (!oversized.isEmpty()) {
      progress.accept("identity " + runId + ": " + oversized.size()
          + " cluster(s) over max-cluster-size; keeping only their deterministic links");
      Dataset<Row> inBig = labels.where(col(ConnectedComponents.COMPONENT).isin(
          oversized.toArray())).select(col(ConnectedComponents.NODE).as("big_node"));
      edges = edges.join(inBig, col(IdentityGraph.SRC).equalTo(col("big_node")), "left")
          .where(col("big_node").isNull().or(col(IdentityColumns.RULE).notEqual("model")))
          .drop("big_node").checkpoint();
      labels = ConnectedComponents.label(edgePairs(edges), nodeIds, checkpoints,
          MAX_CC_ITERATIONS);
      sizes = labels.groupBy(col(ConnectedComponents.COMPONENT))
          .agg(count(lit(1)).as(IdentityColumns.SIZE));
    }
    stats.put("clusters.over_max_size", (double) oversized.size());

    // 5. persistent ids
    Dataset<Row> latest = records
        .withColumn("v", row_number().over(Window.partitionBy(col(IdentityColumns.SOURCE),
                col(IdentityColumns.RECORD_KEY))
            .orderBy(col(IdentityColumns.EVENT_TIME).desc(),
                col(IdentityColumns.RECORD_HASH).desc())))
        .where(col("v").equalTo(1))
        .select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
            col(IdentityColumns.NODE_ID));
    Dataset<Row> newMembership = latest.join(labels.select(
            col(ConnectedComponents.NODE).as(IdentityColumns.NODE_ID),
            col(ConnectedComponents.COMPONENT).as(CustomerIds.COMPONENT)),
        IdentityColumns.NODE_ID).checkpoint();
    Dataset<Row> old = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP).checkpoint();
    Dataset<Row> overlaps = CustomerIds.overlaps(newMembership, old).checkpoint();
    Dataset<Row> used = old.select(col(IdentityColumns.CUSTOMER_ID))
        .unionByName(lake.read(CdpTable.SILVER_ID_LINEAGE)
            .select(col(IdentityColumns.FROM_CUSTOMER_ID).as(IdentityColumns.CUSTOMER_ID)));
    Dataset<Row> ids = CustomerIds.assignCustomerIds(
        labels.select(col(ConnectedComponents.COMPONENT).as(CustomerIds.COMPONENT)),
        overlaps, used).checkpoint();
    long customers = ids.count();
    long distinctIds = ids.select(col(IdentityColumns.CUSTOMER_ID)).distinct().count();
    if (distinctIds != customers) {
      throw new CdpException("identity run " + runId + ": " + (customers - distinctIds)
          + " customer id(s) derived twice; nothing was changed. Rerun with --force"
          + " after reporting this (it should never happen)");
    }
    stats.put("customers", (double) customers);

    // 6. membership: keep the run id of rows that did not change
    Dataset<Row> membership = newMembership.join(ids, CustomerIds.COMPONENT)
        .join(old.select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
                col(IdentityColumns.CUSTOMER_ID).as("old_id"),
                col(IdentityColumns.NODE_ID).as("old_node"),
                col(IdentityColumns.RUN_ID).as("old_run")),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY}, "left")
        .withColumn(IdentityColumns.RUN_ID, coalesce(when(col("old_id")
            .equalTo(col(IdentityColumns.CUSTOMER_ID))
            .and(col("old_node").equalTo(col(IdentityColumns.NODE_ID))), col("old_run")),
            lit(runId)));
    progress.accept("identity " + runId + ": " + String.format("%,d", customers)
        + " customer(s); writing membership and evidence");
    versions.put(lake.name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP), lake.overwrite(
        CdpTable.SILVER_CUSTOMER_MEMBERSHIP,
        conform(membership, CdpTable.SILVER_CUSTOMER_MEMBERSHIP), runId));

    // 7. evidence
    Dataset<Row> nodeCustomer = labels.join(ids, CustomerIds.COMPONENT)
        .select(col(ConnectedComponents.NODE).as("n"), col(IdentityColumns.CUSTOMER_ID));
    Dataset<Row> reps = nodes.select(col(IdentityColumns.NODE_ID).as("rn"),
        col(IdentityColumns.SOURCE).as("rs"), col(IdentityColumns.RECORD_KEY).as("rk"));
    Dataset<Row> links = edges
        .join(nodeCustomer, col(IdentityGraph.SRC).equalTo(col("n")))
        .join(reps.toDF("ra", IdentityColumns.SOURCE_A, IdentityColumns.RECORD_KEY_A),
            col(IdentityGraph.SRC).equalTo(col("ra")))
        .join(reps.toDF("rb", IdentityColumns.SOURCE_B, IdentityColumns.RECORD_KEY_B),
            col(IdentityGraph.DST).equalTo(col("rb")))
        .withColumn(IdentityColumns.NODE_A, col(IdentityGraph.SRC))
        .withColumn(IdentityColumns.NODE_B, col(IdentityGraph.DST))
        .withColumn(IdentityColumns.RUN_ID, lit(runId));
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_LINKS), lake.overwrite(
        CdpTable.SILVER_IDENTITY_LINKS, conform(links, CdpTable.SILVER_IDENTITY_LINKS), runId));

    // 8. lineage with reasons
    Dataset<Row> lineage = CustomerIds.lineage(overlaps, ids, old).checkpoint();
    Dataset<Row> reasons = mergeReasons(edges, labels, old, newMembership);
    Dataset<Row> lineageRows = lineage
        .join(reasons, new String[] {IdentityColumns.FROM_CUSTOMER_ID, CustomerIds.COMPONENT},
            "left")
        .withColumn(IdentityColumns.REASON, when(col(IdentityColumns.EVENT).equalTo("merge"),
                coalesce(concat(lit("linked by "), col("rules")), lit("linked")))
            .when(col(IdentityColumns.EVENT).equalTo("split"),
                concat(lit("no longer linked to the records that kept "),
                    col(IdentityColumns.FROM_CUSTOMER_ID)))
            .otherwise(lit("none of its records remain")))
        .withColumn(IdentityColumns.RUN_ID, lit(runId))
        .withColumn(IdentityColumns.AT, lit(at));
    versions.put(lake.name(CdpTable.SILVER_ID_LINEAGE), lake.append(
        CdpTable.SILVER_ID_LINEAGE, conform(lineageRows, CdpTable.SILVER_ID_LINEAGE), runId));
    for (Row r : lineage.groupBy(col(IdentityColumns.EVENT)).count().collectAsList()) {
      stats.put("lineage." + r.getString(0), (double) r.getLong(1));
    }

    // 9. alerts, model, stats
    Dataset<Row> clusterAlerts = sizes.where(col(IdentityColumns.SIZE)
            .gt(id.guardrails().alertClusterSize()))
        .join(ids, CustomerIds.COMPONENT)
        .select(lit(runId).as(IdentityColumns.RUN_ID),
            when(col(IdentityColumns.SIZE).gt(id.guardrails().maxClusterSize()),
                lit("cluster_over_max_size")).otherwise(lit("cluster_over_alert_size"))
                .as(IdentityColumns.KIND),
            col(IdentityColumns.CUSTOMER_ID).as(IdentityColumns.SUBJECT),
            col(IdentityColumns.SIZE),
            concat(lit("identity nodes: "), col(IdentityColumns.SIZE).cast("string"),
                lit(oversized.isEmpty() ? "" : "; clusters over max-cluster-size keep only"
                    + " deterministic links")).as(IdentityColumns.DETAIL),
            lit(at).as(IdentityColumns.AT));
    Dataset<Row> alerts = clusterAlerts;
    if (overShared != null) {
      alerts = alerts.unionByName(Guardrails.overSharedAlerts(overShared, runId)
          .withColumn(IdentityColumns.AT, lit(at)));
    }
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_ALERTS), lake.append(
        CdpTable.SILVER_IDENTITY_ALERTS, conform(alerts, CdpTable.SILVER_IDENTITY_ALERTS),
        runId));
    stats.put("alerts", (double) spark.read().format("delta")
        .load(lake.path(CdpTable.SILVER_IDENTITY_ALERTS))
        .where(col(IdentityColumns.RUN_ID).equalTo(runId)).count());
    if (model != null) {
      versions.put(lake.name(CdpTable.SILVER_IDENTITY_MODEL), lake.append(
          CdpTable.SILVER_IDENTITY_MODEL, spark.createDataFrame(
              ProbabilisticMatcher.modelRows(model, runId, at), IdentityColumns.MODEL), runId));
    }
    List<Row> top = sizes.join(ids, CustomerIds.COMPONENT)
        .orderBy(col(IdentityColumns.SIZE).desc(), col(IdentityColumns.CUSTOMER_ID))
        .select(col(IdentityColumns.SIZE), col(IdentityColumns.CUSTOMER_ID)).limit(1)
        .collectAsList();
    Row largest = top.isEmpty() ? null : top.get(0);
    stats.put("clusters.largest_nodes", largest == null ? 0.0 : largest.getLong(0));
    stats.put("clusters.singletons", (double) sizes.where(col(IdentityColumns.SIZE)
        .equalTo(1)).count());
    List<Row> statRows = new ArrayList<>();
    stats.forEach((k, v) -> statRows.add(RowFactory.create(runId, k, v,
        k.equals("clusters.largest_nodes") && largest != null ? largest.getString(1) : null,
        at)));
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_RUN_STATS), lake.append(
        CdpTable.SILVER_IDENTITY_RUN_STATS,
        spark.createDataFrame(statRows, IdentityColumns.RUN_STATS), runId));
    return new IdentityReport(runId, recordCount, customers, stats);
  }

  /** Links of the model, with the model and its statistics. */
  private record ModelLinks(Dataset<Row> edges, MatchModel model) {}

  private ModelLinks linkByModel(Dataset<Row> nodes, Map<String, Double> stats) {
    IdentitySettings.Probabilistic p = id.probabilistic();
    List<Comparison> comparisons = ProbabilisticMatcher.comparisons(p);
    Dataset<Row> matchable = ProbabilisticMatcher.matchableNodes(nodes, p).checkpoint();
    long m = matchable.count();
    stats.put("model.matchable_nodes", (double) m);
    if (m < 2) {
      return new ModelLinks(null, null);
    }
    Dataset<Row> skipped = ProbabilisticMatcher.oversizedBlocks(matchable, p);
    stats.put("model.blocks_skipped", (double) skipped.count());
    Dataset<Row> levelled = ProbabilisticMatcher.compareFields(
        ProbabilisticMatcher.attachFields(ProbabilisticMatcher.blockCandidatePairs(matchable, p),
            matchable, comparisons), comparisons).checkpoint();
    long pairs = levelled.count();
    stats.put("model.candidate_pairs", (double) pairs);
    double all = m * (m - 1) / 2.0;
    stats.put("model.reduction_ratio", all == 0 ? 1.0 : 1.0 - pairs / all);
    if (pairs == 0) {
      return new ModelLinks(null, null);
    }
    Map<Pattern, Long> patterns = ProbabilisticMatcher.countPatterns(levelled);
    double[][] u = null;
    if (p.uFromRandomPairs()) {
      long draws = Math.min(p.randomPairs(), (long) all);
      u = ProbabilisticMatcher.uFromRandom(comparisons, ProbabilisticMatcher.countPatterns(
          ProbabilisticMatcher.compareFields(ProbabilisticMatcher.randomPairs(spark, matchable,
              comparisons, draws, m), comparisons)));
    }
    MatchModel model = ExpectationMaximisation.estimate(comparisons, patterns, u, 0.1,
        p.maxIterations());
    LOG.info("identity model:\n{}", model);
    stats.put("model.lambda", model.lambda());
    Map<String, Dataset<Row>> tf = new LinkedHashMap<>();
    for (String f : p.termFrequency()) {
      tf.put(f, ProbabilisticMatcher.termFrequencies(matchable, f));
    }
    double minWeight = ProbabilisticMatcher.log2Odds(p.threshold());
    Dataset<Row> accepted = ProbabilisticMatcher.scorePairs(levelled, model, tf)
        .where(col(IdentityColumns.MATCH_WEIGHT).geq(minWeight)
            .and(ProbabilisticMatcher.agreeingFields().geq(p.minAgreeingFields())))
        .select(col(IdentityColumns.NODE_B).as(IdentityGraph.SRC),
            col(IdentityColumns.NODE_A).as(IdentityGraph.DST),
            lit("model").as(IdentityColumns.RULE),
            lit(null).cast(DataTypes.StringType).as(IdentityColumns.VALUE),
            col(IdentityColumns.MATCH_WEIGHT), col(IdentityColumns.MATCH_PROBABILITY),
            col(IdentityColumns.COMPARISONS));
    return new ModelLinks(accepted, model);
  }

  private static Dataset<Row> edgePairs(Dataset<Row> edges) {
    return edges.select(col(IdentityGraph.SRC).as(ConnectedComponents.SRC),
        col(IdentityGraph.DST).as(ConnectedComponents.DST));
  }

  /**
   * Rules of the links that joined a previous customer's records to other records in each
   * new cluster: {@code from_customer_id, component, rules}.
   */
  private static Dataset<Row> mergeReasons(Dataset<Row> edges, Dataset<Row> labels,
      Dataset<Row> old, Dataset<Row> newMembership) {
    Dataset<Row> nodeOld = newMembership.join(old.select(col(IdentityColumns.SOURCE),
                col(IdentityColumns.RECORD_KEY), col(IdentityColumns.CUSTOMER_ID).as("oid")),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY})
        .select(col(IdentityColumns.NODE_ID).as("on"), col("oid"),
            col(CustomerIds.COMPONENT)).distinct();
    Dataset<Row> a = nodeOld.toDF("an", "aid", "acomp");
    Dataset<Row> b = nodeOld.toDF("bn", "bid", "bcomp");
    Dataset<Row> crossing = edges.join(a, col(IdentityGraph.SRC).equalTo(col("an")))
        .join(b, col(IdentityGraph.DST).equalTo(col("bn")))
        .where(col("aid").notEqual(col("bid")));
    Dataset<Row> sideA = crossing.select(col("aid").as(IdentityColumns.FROM_CUSTOMER_ID),
        col("acomp").as(CustomerIds.COMPONENT), col(IdentityColumns.RULE));
    Dataset<Row> sideB = crossing.select(col("bid").as(IdentityColumns.FROM_CUSTOMER_ID),
        col("bcomp").as(CustomerIds.COMPONENT), col(IdentityColumns.RULE));
    return sideA.unionByName(sideB)
        .groupBy(col(IdentityColumns.FROM_CUSTOMER_ID), col(CustomerIds.COMPONENT))
        .agg(concat_ws(", ", sort_array(collect_set(col(IdentityColumns.RULE)))).as("rules"));
  }

  /** Selects a table's columns in its order, casting to its types. */
  private static Dataset<Row> conform(Dataset<Row> rows, CdpTable table) {
    List<Column> cols = new ArrayList<>();
    for (var field : table.schema().fields()) {
      cols.add(col(field.name()).cast(field.dataType()).as(field.name()));
    }
    return rows.select(cols.toArray(Column[]::new));
  }

  private void deleteQuietly(String dir) {
    try {
      Path path = new Path(dir);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(path, true);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("could not delete checkpoint folder {}: {}", dir, e.getMessage());
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
        : String.format(java.util.Locale.ROOT, "%.6f", v);
  }
}
