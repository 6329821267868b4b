package org.lakecdp.bench;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.identity.Comparison;
import org.lakecdp.core.identity.IdentityGraph;
import org.lakecdp.core.identity.IdentityReport;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.identity.PairwiseQuality;
import org.lakecdp.core.identity.ProbabilisticMatcher;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.SparkSessions;

/**
 * Identity resolution benchmark: quality against the truth and speed, on FEBRL 4 and on the
 * generated sample data.
 *
 * <ol>
 *   <li>FEBRL 4 through {@code conf/examples/febrl4.conf}: pairwise precision, recall and F1;
 *       blocking reduction ratio and pair completeness (true pairs among candidates);</li>
 *   <li>the sample data for {@code --persons}/{@code --days} (generated when missing, shared
 *       with the ingest benchmark): ingest, then the identity stage, timed; pairwise quality
 *       against {@code truth/} (records.csv, cookies.csv, devices.csv);</li>
 *   <li>comparison throughput: the candidate pairs of the sample data compared field by field,
 *       timed on their own (pairs per second per core).</li>
 * </ol>
 * Nothing asserts a time; one JSON line per run goes to {@code <results>/identity-*.json}.
 */
public final class IdentityBenchmark {
  private static final String USAGE = "usage: bench identity [--persons N] [--days D] "
      + "[--work DIR] [--conf FILE] [--febrl4-conf FILE] [--febrl4 DIR] [--results DIR] "
      + "[--explain-only true|false]";

  private final Map<String, String> flags;
  private final Map<String, Object> results = new LinkedHashMap<>();

  private IdentityBenchmark(Map<String, String> flags) {
    this.flags = flags;
  }

  public static void main(String[] args) {
    Map<String, String> flags;
    try {
      flags = BenchFlags.parse("identity", args, Map.of("--persons", "20000",
          "--days", "365", "--work", "bench/work", "--conf", "conf/application.conf",
          "--febrl4-conf", "conf/examples/febrl4.conf", "--febrl4", "../shared/data/febrl4",
          "--results", "bench/results", "--explain-only", "false"));
      BenchFlags.bool(flags, "--explain-only");
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    try {
      new IdentityBenchmark(flags).run();
    } catch (RuntimeException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  private Path work() {
    return Path.of(flags.get("--work")).toAbsolutePath().normalize();
  }

  /** Only the quality and its breakdown, on the identity tables a previous run left. */
  private boolean explainOnly() {
    return BenchFlags.bool(flags, "--explain-only");
  }

  private void run() {
    Path febrlLake = work().resolve("febrl4-lake");
    Path sampleLake = work().resolve("identity-lake");
    if (explainOnly() && !Files.isDirectory(sampleLake)) {
      throw new IllegalArgumentException("--explain-only: no identity lakehouse at "
          + sampleLake + "; run the benchmark without it first");
    }
    if (!explainOnly()) {
      IngestBenchmark.deleteTree(febrlLake);
      IngestBenchmark.deleteTree(sampleLake);
    }
    CdpSettings febrl = CdpConfigLoader.load(Path.of(flags.get("--febrl4-conf")), Map.of(
        "febrl4-dir", Path.of(flags.get("--febrl4")).toAbsolutePath().toString(),
        "cdp.lakehouse.root", febrlLake.toString(),
        "cdp.lakehouse.metastore", "in-memory",
        "cdp.lakehouse.databases.bronze", "febrl4_bronze",
        "cdp.lakehouse.databases.silver", "febrl4_silver",
        "cdp.lakehouse.databases.gold", "febrl4_gold",
        "cdp.lakehouse.databases.ops", "febrl4_ops"));
    Map<String, String> sampleOverrides = new LinkedHashMap<>();
    sampleOverrides.put("cdp.lakehouse.root", sampleLake.toString());
    sampleOverrides.put("cdp.lakehouse.metastore", "in-memory");
    sampleOverrides.put("cdp.sample.root", work().resolve("sample").toString());
    sampleOverrides.put("cdp.sample.persons", flags.get("--persons"));
    sampleOverrides.put("cdp.sample.days", flags.get("--days"));
    sampleOverrides.put("cdp.spark.conf.\"spark.ui.enabled\"", "false");
    CdpSettings sample = CdpConfigLoader.load(Path.of(flags.get("--conf")), sampleOverrides);
    double generation = IngestBenchmark.ensureSampleData(sample.sample());

    SparkSession spark = SparkSessions.create(sample);
    try {
      int cores = spark.sparkContext().defaultParallelism();
      results.put("cores", cores);
      results.put("generation_seconds", generation);
      if (!explainOnly()) {
        febrl4(spark, febrl);
      }
      generated(spark, sample, cores);
      StringBuilder json = new StringBuilder("{\"at\":\"" + Instant.now() + "\"");
      results.forEach((k, v) -> json.append(",\"").append(k).append("\":")
          .append(v instanceof Number ? v.toString() : "\"" + v + "\""));
      json.append('}');
      Path dir = Path.of(flags.get("--results")).toAbsolutePath();
      Files.createDirectories(dir);
      Path file = dir.resolve("identity-results.jsonl");
      Files.writeString(file, json + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      System.out.println("result appended to " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      spark.stop();
    }
  }

  private void febrl4(SparkSession spark, CdpSettings settings) {
    Lakehouse lake = new Lakehouse(spark, settings.lakehouse());
    lake.ensureTables();
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    new BronzeIngest(lake, settings, IngestBenchmark::progress).run(
        new IngestRequest(day, true, false, List.of()));
    long started = System.nanoTime();
    IdentityReport report = new IdentityResolution(lake, settings, IngestBenchmark::progress)
        .run(day);
    double seconds = IngestBenchmark.seconds(started);
    Dataset<Row> membership = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    PairwiseQuality q = PairwiseQuality.evaluate(
        membership.select(col(IdentityColumns.RECORD_KEY).as("record"),
            col(IdentityColumns.CUSTOMER_ID).as("cluster")),
        membership.select(col(IdentityColumns.RECORD_KEY).as("record"),
            regexp_extract(col(IdentityColumns.RECORD_KEY), "^rec-(\\d+)-", 1).as("entity")));

    // blocking: which true pairs are among the candidates
    Dataset<Row> nodes = IdentityGraph.nodes(lake.read(CdpTable.SILVER_IDENTITY_RECORDS));
    Dataset<Row> matchable = ProbabilisticMatcher.matchableNodes(nodes,
        settings.identity().probabilistic());
    Dataset<Row> pairs = ProbabilisticMatcher.blockCandidatePairs(matchable,
        settings.identity().probabilistic());
    Dataset<Row> entity = nodes.select(col(IdentityColumns.NODE_ID),
        regexp_extract(col(IdentityColumns.RECORD_KEY), "^rec-(\\d+)-", 1).as("e"));
    long candidates = pairs.count();
    long covered = pairs.join(entity.toDF("na", "ea"), col(IdentityColumns.NODE_A)
            .equalTo(col("na")))
        .join(entity.toDF("nb", "eb"), col(IdentityColumns.NODE_B).equalTo(col("nb")))
        .where(col("ea").equalTo(col("eb"))).count();
    long n = nodes.count();
    double completeness = (double) covered / q.truePairs();
    double reduction = 1 - candidates / (n * (n - 1) / 2.0);
    System.out.printf(Locale.ROOT, "FEBRL 4 (%,d records): %s%n  identity stage %.1f s; "
            + "blocking: %,d candidate pairs, reduction ratio %.5f, pair completeness %.4f%n",
        n, q, seconds, candidates, reduction, completeness);
    results.put("febrl4_precision", q.precision());
    results.put("febrl4_recall", q.recall());
    results.put("febrl4_f1", q.f1());
    results.put("febrl4_identity_seconds", seconds);
    results.put("febrl4_candidate_pairs", candidates);
    results.put("febrl4_reduction_ratio", reduction);
    results.put("febrl4_pair_completeness", completeness);
    results.put("febrl4_model_links", report.stat("links.model"));
  }

  private void generated(SparkSession spark, CdpSettings settings, int cores) {
    Lakehouse lake = new Lakehouse(spark, settings.lakehouse());
    lake.ensureTables();
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    if (explainOnly()) {
      Dataset<Row> truth = truth(spark, lake, settings);
      Dataset<Row> predicted = predicted(lake);
      PairwiseQuality all = PairwiseQuality.evaluate(predicted, truth);
      Dataset<Row> linked = predicted.join(linkableRecords(lake), "record");
      PairwiseQuality identified = PairwiseQuality.evaluate(linked, truth);
      System.out.printf(Locale.ROOT, "Generated data, identity tables of %s:%n  %s%n"
          + "  without the %,d anonymous records: %s%n", work().resolve("identity-lake"), all,
          predicted.count() - linked.count(), identified);
      results.put("explain_only", "true");
      results.put("precision", all.precision());
      results.put("recall", all.recall());
      results.put("identified_precision", identified.precision());
      results.put("identified_recall", identified.recall());
      results.put("identified_f1", identified.f1());
      results.put("comparable_pair_completeness",
          comparablePairCompleteness(lake, settings, truth));
      FalseMerges.explain(lake, truth, results);
      return;
    }
    long started = System.nanoTime();
    new BronzeIngest(lake, settings, IngestBenchmark::progress).run(
        new IngestRequest(day, false, false, List.of()));
    double ingest = IngestBenchmark.seconds(started);
    started = System.nanoTime();
    IdentityReport report = new IdentityResolution(lake, settings, IngestBenchmark::progress)
        .run(day);
    double identity = IngestBenchmark.seconds(started);
    Dataset<Row> truth = truth(spark, lake, settings);
    Dataset<Row> predicted = predicted(lake);
    PairwiseQuality all = PairwiseQuality.evaluate(predicted, truth);

    // records whose only trace of the person is nothing at all (a POS sale without card or
    // name): no method can link them; reported apart
    Dataset<Row> traceless = lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
        .where(not(personal()).and(col(IdentityColumns.DEVICE_ID).isNull())
            .and(col(IdentityColumns.COOKIE_ID).isNull()))
        .select(recordId()).distinct();
    long tracelessCount = traceless.count();
    PairwiseQuality linkable = PairwiseQuality.evaluate(
        predicted.join(traceless, new String[] {"record"}, "left_anti"), truth);
    Dataset<Row> linked = predicted.join(linkableRecords(lake), "record");
    long anonymousCount = predicted.count() - linked.count();
    PairwiseQuality identified = PairwiseQuality.evaluate(linked, truth);
    double completeness = pairCompleteness(lake, settings, truth);

    long persons = Long.parseLong(flags.get("--persons"));
    System.out.printf(Locale.ROOT, "Generated data (%,d persons, %s days): %,d records, "
            + "%,d customers%n  ingest %.1f s, identity stage %.1f s%n"
            + "  all records with a truth: %s%n"
            + "  without the %,d records that carry no identity at all: %s%n"
            + "  without the %,d anonymous records (no person identifier in them nor with their"
            + " cookie or device in any record): %s%n"
            + "  model: %,.0f candidate pairs, reduction ratio %.5f, pair completeness %.4f,"
            + " %,.0f model links%n",
        persons, flags.get("--days"), report.records(), report.customers(), ingest, identity,
        all, tracelessCount, linkable, anonymousCount, identified,
        report.stat("model.candidate_pairs"), report.stat("model.reduction_ratio"),
        completeness, report.stat("links.model"));
    results.put("comparable_pair_completeness",
        comparablePairCompleteness(lake, settings, truth));
    FalseMerges.explain(lake, truth, results);
    double perCore = comparisonThroughput(lake, settings, cores);
    System.out.printf(Locale.ROOT, "  comparisons: %,.0f candidate pairs per second per core%n",
        perCore);
    results.put("persons", persons);
    results.put("records", report.records());
    results.put("customers", report.customers());
    results.put("ingest_seconds", ingest);
    results.put("identity_seconds", identity);
    results.put("precision", all.precision());
    results.put("recall", all.recall());
    results.put("f1", all.f1());
    results.put("traceless_records", tracelessCount);
    results.put("linkable_precision", linkable.precision());
    results.put("linkable_recall", linkable.recall());
    results.put("linkable_f1", linkable.f1());
    results.put("anonymous_records", anonymousCount);
    results.put("identified_precision", identified.precision());
    results.put("identified_recall", identified.recall());
    results.put("identified_f1", identified.f1());
    results.put("pair_completeness", completeness);
    results.put("candidate_pairs", report.stat("model.candidate_pairs"));
    results.put("reduction_ratio", report.stat("model.reduction_ratio"));
    results.put("pairs_per_second_per_core", perCore);
  }

  /**
   * The truth as (record, entity): records.csv, and web and app records by their cookie or
   * device.
   */
  private static Dataset<Row> truth(SparkSession spark, Lakehouse lake, CdpSettings settings) {
    Path truthDir = Path.of(settings.sample().root()).resolve("truth");
    Dataset<Row> records = csv(spark, truthDir.resolve("records.csv"))
        .select(concat_ws("/", col("source"), col("record_key")).as("record"),
            col("person_id").as("entity"));
    Dataset<Row> ids = lake.read(CdpTable.SILVER_IDENTITY_RECORDS)
        .select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
            col(IdentityColumns.COOKIE_ID), col(IdentityColumns.DEVICE_ID)).distinct();
    Dataset<Row> web = ids.where(col(IdentityColumns.SOURCE).equalTo("web"))
        .join(csv(spark, truthDir.resolve("cookies.csv")), IdentityColumns.COOKIE_ID)
        .select(concat_ws("/", col("source"), col("record_key")).as("record"),
            col("person_id").as("entity"));
    Dataset<Row> app = ids.where(col(IdentityColumns.SOURCE).equalTo("app"))
        .join(csv(spark, truthDir.resolve("devices.csv")), IdentityColumns.DEVICE_ID)
        .select(concat_ws("/", col("source"), col("record_key")).as("record"),
            col("person_id").as("entity"));
    return records.unionByName(web).unionByName(app).distinct();
  }

  /**
   * The records the landing data can tie to a person, as (record): those holding a person
   * identifier (customer id, email, phone, loyalty card, name), and those whose cookie or
   * device some record holds beside one (logged in). The rest are anonymous: a cookie or app
   * device never seen logged in, whose person only the truth knows. Decided from the input
   * records alone, never from the clustering evaluated.
   */
  static Dataset<Row> linkableRecords(Lakehouse lake) {
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    Column personal = personal();
    Dataset<Row> cookies = records.where(personal.and(col(IdentityColumns.COOKIE_ID).isNotNull()))
        .select(col(IdentityColumns.COOKIE_ID).as("seen_cookie")).distinct();
    Dataset<Row> devices = records.where(personal.and(col(IdentityColumns.DEVICE_ID).isNotNull()))
        .select(col(IdentityColumns.DEVICE_ID).as("seen_device")).distinct();
    return records
        .join(cookies, col(IdentityColumns.COOKIE_ID).equalTo(col("seen_cookie")), "left")
        .join(devices, col(IdentityColumns.DEVICE_ID).equalTo(col("seen_device")), "left")
        .where(personal.or(col("seen_cookie").isNotNull()).or(col("seen_device").isNotNull()))
        .select(recordId()).distinct();
  }

  /** True for an identity record holding a person identifier (customer id, email, ...). */
  private static Column personal() {
    return col(IdentityColumns.SRC_CUSTOMER_ID).isNotNull()
        .or(col(IdentityColumns.EMAIL).isNotNull()).or(col(IdentityColumns.PHONE).isNotNull())
        .or(col(IdentityColumns.LOYALTY_ID).isNotNull())
        .or(col(IdentityColumns.LAST_NAME).isNotNull());
  }

  /** A silver row's source and key as the evaluation's {@code record} (source/key). */
  static Column recordId() {
    return concat_ws("/", col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY))
        .as("record");
  }

  /** The clustering as (record, cluster). */
  private static Dataset<Row> predicted(Lakehouse lake) {
    return lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .select(recordId(), col(IdentityColumns.CUSTOMER_ID).as("cluster"));
  }

  /** (node_id, e): a matchable node's person, the smallest person id among its records. */
  private static Dataset<Row> nodePersons(Dataset<Row> records, Dataset<Row> matchable,
      Dataset<Row> truth) {
    return records
        .select(col(IdentityColumns.NODE_ID), recordId())
        .join(truth, "record").groupBy(col(IdentityColumns.NODE_ID))
        .agg(org.apache.spark.sql.functions.min(col("entity")).as("e"))
        .join(matchable.select(col(IdentityColumns.NODE_ID)), IdentityColumns.NODE_ID);
  }

  /**
   * Share of the true pairs of matchable identity nodes (two nodes of one person, each with
   * the fields of a blocking rule) that blocking makes candidates. A node's person is the
   * smallest person id among its records.
   */
  private static double pairCompleteness(Lakehouse lake, CdpSettings settings,
      Dataset<Row> truth) {
    var p = settings.identity().probabilistic();
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    Dataset<Row> matchable = ProbabilisticMatcher.matchableNodes(IdentityGraph.nodes(records), p);
    Dataset<Row> person = nodePersons(records, matchable, truth);
    Row t = person.groupBy(col("e")).count()
        .agg(sum(col("count").multiply(col("count").minus(1)).divide(2))).first();
    double truePairs = t.isNullAt(0) ? 0 : ((Number) t.get(0)).doubleValue();
    long covered = ProbabilisticMatcher.blockCandidatePairs(matchable, p)
        .join(person.toDF("na", "ea"), col(IdentityColumns.NODE_A).equalTo(col("na")))
        .join(person.toDF("nb", "eb"), col(IdentityColumns.NODE_B).equalTo(col("nb")))
        .where(col("ea").equalTo(col("eb"))).count();
    return truePairs == 0 ? 1.0 : covered / truePairs;
  }

  /**
   * Pair completeness over the true pairs the model could link at all: two matchable nodes of
   * one person (as {@link #pairCompleteness}) with values on both sides in at least {@code
   * min-agreeing-fields} compared fields. Prints which fields the missed ones have in common.
   */
  private static double comparablePairCompleteness(Lakehouse lake, CdpSettings settings,
      Dataset<Row> truth) {
    var p = settings.identity().probabilistic();
    List<Comparison> comparisons = ProbabilisticMatcher.comparisons(p);
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    Dataset<Row> matchable = ProbabilisticMatcher.matchableNodes(IdentityGraph.nodes(records), p);
    Dataset<Row> person = nodePersons(records, matchable, truth);
    Dataset<Row> truePairs = person.toDF(IdentityColumns.NODE_A, "ea")
        .join(person.toDF(IdentityColumns.NODE_B, "eb"), col("ea").equalTo(col("eb"))
            .and(col(IdentityColumns.NODE_A).lt(col(IdentityColumns.NODE_B))))
        .select(IdentityColumns.NODE_A, IdentityColumns.NODE_B);
    Column present = aggregate(col("levels"), lit(0),
        (acc, x) -> acc.plus(when(x.geq(0), 1).otherwise(0)));
    List<Column> shown = new ArrayList<>();
    for (int i = 0; i < comparisons.size(); i++) {
      Comparison c = comparisons.get(i);
      Column level = element_at(col("levels"), i + 1);
      Column labels = array(c.levelLabels().stream().map(l -> lit(l)).toArray(Column[]::new));
      shown.add(when(level.geq(0),
          concat(lit(c.name() + "="), element_at(labels, level.plus(1)))));
    }
    Dataset<Row> candidates = ProbabilisticMatcher.blockCandidatePairs(matchable, p)
        .select(col(IdentityColumns.NODE_A), col(IdentityColumns.NODE_B),
            lit(true).as("candidate"));
    Dataset<Row> comparable = ProbabilisticMatcher.compareFields(
            ProbabilisticMatcher.attachFields(truePairs, matchable, comparisons), comparisons)
        .where(present.geq(p.minAgreeingFields()))
        .join(candidates, new String[] {IdentityColumns.NODE_A, IdentityColumns.NODE_B},
            "left")
        .select(col("candidate").isNotNull().as("candidate"),
            concat_ws(" ", shown.toArray(Column[]::new)).as("fields"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long all = comparable.count();
      long covered = comparable.where(col("candidate")).count();
      double completeness = all == 0 ? 1.0 : (double) covered / all;
      System.out.printf(Locale.ROOT, "  pair completeness over the %,d true pairs of nodes with"
          + " %d or more compared fields on both sides: %.4f (%,d not candidates)%n", all,
          p.minAgreeingFields(), completeness, all - covered);
      for (Row r : comparable.where(col("candidate").equalTo(false)).groupBy(col("fields"))
          .count().orderBy(col("count").desc()).limit(8).collectAsList()) {
        System.out.printf(Locale.ROOT, "    %,9d missed: %s%n", r.getLong(1), r.getString(0));
      }
      return completeness;
    } finally {
      comparable.unpersist();
    }
  }

  /** Candidate pairs compared per second per core, pairs and fields materialised first. */
  private static double comparisonThroughput(Lakehouse lake, CdpSettings settings,
      int cores) {
    var p = settings.identity().probabilistic();
    List<Comparison> comparisons = ProbabilisticMatcher.comparisons(p);
    Dataset<Row> nodes = IdentityGraph.nodes(lake.read(CdpTable.SILVER_IDENTITY_RECORDS));
    Dataset<Row> matchable = ProbabilisticMatcher.matchableNodes(nodes, p);
    Dataset<Row> withFields = ProbabilisticMatcher.attachFields(
        ProbabilisticMatcher.blockCandidatePairs(matchable, p), matchable, comparisons)
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      long pairs = withFields.count();
      long started = System.nanoTime();
      ProbabilisticMatcher.compareFields(withFields, comparisons)
          .agg(sum(org.apache.spark.sql.functions.aggregate(col("levels"), lit(0L),
              (acc, x) -> acc.plus(x)))).first();
      double seconds = IngestBenchmark.seconds(started);
      return pairs / seconds / cores;
    } finally {
      withFields.unpersist();
    }
  }

  private static Dataset<Row> csv(SparkSession spark, Path file) {
    return spark.read().option("header", "true").csv(file.toString())
        .withColumn("one", lit(1)).drop("one");
  }
}
