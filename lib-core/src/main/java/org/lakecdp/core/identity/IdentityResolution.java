package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.slice;
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
import org.apache.spark.sql.types.StructType;
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
  private static final int MAX_SCOPE_ROUNDS = 50;
  /** A comparison needs this many rule-linked pairs with both values for m from rule links. */
  static final long MIN_RULE_LINKED_PAIRS = 100;
  private static final String OLD_NODE = "old_node";
  private static final String DROP = "drop_row";
  private static final List<CdpTable> WRITES = List.of(CdpTable.SILVER_IDENTITY_RECORDS,
      CdpTable.SILVER_CUSTOMER_MEMBERSHIP, CdpTable.SILVER_IDENTITY_LINKS,
      CdpTable.SILVER_ID_LINEAGE, CdpTable.SILVER_IDENTITY_ALERTS,
      CdpTable.SILVER_IDENTITY_MODEL, CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES,
      CdpTable.SILVER_IDENTITY_RUN_STATS);

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
    } catch (Exception e) {
      LOG.error("identity run {} failed: {}", run.runId(), e.getMessage());
      before.forEach((table, version) -> lake.restore(table, version, run.runId()));
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
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
    Map<String, String> details = new LinkedHashMap<>();
    Timestamp at = Timestamp.from(Instant.now());
    String fingerprint = id.fingerprint();
    ModelState stored = id.probabilistic().enabled() ? loadModel() : null;
    String fullBecause = fullRebuildReason(stored, fingerprint);
    stats.put("settings.fingerprint", 0.0);
    details.put("settings.fingerprint", fingerprint);
    stats.put("mode.full", fullBecause == null ? 0.0 : 1.0);
    details.put("mode.full", fullBecause == null ? "incremental" : fullBecause);
    IdentityReport report;
    if (fullBecause != null) {
      progress.accept("identity " + run.runId() + ": full rebuild (" + fullBecause + ")");
      ModelState model = stored == null || id.refitModel() ? null : stored;
      report = full(run, model, versions, checkpoints, stats, details, at);
    } else {
      progress.accept("identity " + run.runId() + ": incremental, model of run "
          + (stored == null ? "-" : stored.runId()));
      report = incremental(run, stored, versions, checkpoints, stats, details, at);
    }
    List<Row> statRows = new ArrayList<>();
    stats.forEach((k, v) -> statRows.add(RowFactory.create(run.runId(), k, v, details.get(k),
        at)));
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_RUN_STATS), lake.append(
        CdpTable.SILVER_IDENTITY_RUN_STATS,
        spark.createDataFrame(statRows, IdentityColumns.RUN_STATS), run.runId()));
    return report;
  }

  /** Why this run must resolve everything, or null when an incremental run is right. */
  private String fullRebuildReason(ModelState stored, String fingerprint) {
    if (id.mode() == IdentitySettings.Mode.FULL) {
      return "mode = full";
    }
    if (lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP).isEmpty()) {
      return "no previous resolution";
    }
    List<Row> last = lake.read(CdpTable.SILVER_IDENTITY_RUN_STATS)
        .where(col(IdentityColumns.METRIC).equalTo("settings.fingerprint"))
        .orderBy(col(IdentityColumns.AT).desc(), col(IdentityColumns.RUN_ID).desc())
        .select(col(IdentityColumns.DETAIL), col(IdentityColumns.RUN_ID)).limit(1)
        .collectAsList();
    if (last.isEmpty() || !fingerprint.equals(last.get(0).getString(0))) {
      return "identity settings changed since "
          + (last.isEmpty() ? "the previous resolution" : "run " + last.get(0).getString(1));
    }
    if (id.probabilistic().enabled() && stored == null) {
      return "no stored match model fits the configured comparisons";
    }
    return null;
  }

  /** Distinct bronze records with the identity columns: exact duplicates dropped. */
  private Dataset<Row> distinctBronze(Dataset<Row> bronze) {
    List<Column> identity = new ArrayList<>(List.of(col(BronzeColumns.SOURCE),
        col(BronzeColumns.RECORD_KEY), col(BronzeColumns.RECORD_HASH),
        col(BronzeColumns.EVENT_TIME), col(BronzeColumns.ATTRIBUTES)));
    BronzeColumns.IDENTIFIERS.forEach(f -> identity.add(col(f)));
    return bronze.select(identity.toArray(Column[]::new))
        .dropDuplicates(BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY,
            BronzeColumns.RECORD_HASH);
  }

  /** Every record resolved again; the model estimated afresh unless {@code model} is given. */
  private IdentityReport full(RunContext run, ModelState model, Map<String, Long> versions,
      String checkpoints, Map<String, Double> stats, Map<String, String> details,
      Timestamp at) {
    String runId = run.runId();
    // 1. standardise distinct records, guardrails, nodes
    Dataset<Row> bronze = lake.read(CdpTable.BRONZE_EVENTS);
    // read twice (over-shared values, then the records written): standardise once
    Dataset<Row> standardised = Guardrails.markNullLike(
        IdentityStandardizer.standardizeIdentities(distinctBronze(bronze), id), id)
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
    progress.accept("identity " + runId + ": " + String.format("%,d", recordCount)
        + " record(s) in " + String.format("%,d", nodeCount) + " identity node(s); linking");

    Dataset<Row> old = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP).checkpoint();
    Resolution res = resolveScope(runId, records, nodes, null, model, old, old, checkpoints,
        stats, details, at);
    progress.accept("identity " + runId + ": " + String.format("%,d", res.customers())
        + " customer(s); writing membership and evidence");
    versions.put(lake.name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP), lake.overwrite(
        CdpTable.SILVER_CUSTOMER_MEMBERSHIP,
        conform(res.membership(), CdpTable.SILVER_CUSTOMER_MEMBERSHIP), runId));
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_LINKS), lake.overwrite(
        CdpTable.SILVER_IDENTITY_LINKS, conform(res.links(), CdpTable.SILVER_IDENTITY_LINKS),
        runId));
    Dataset<Row> alerts = res.alerts();
    if (overShared != null) {
      alerts = alerts.unionByName(Guardrails.overSharedAlerts(overShared, runId)
          .withColumn(IdentityColumns.AT, lit(at)));
    }
    writeLineageAndAlerts(res, alerts, runId, versions, stats);
    ModelState state = res.model();
    if (state != null && state != model) {
      writeModel(state, runId, at, versions);
    }
    stats.put("customers", (double) res.customers());
    return new IdentityReport(runId, recordCount, res.customers(), stats);
  }

  /**
   * Only what new records touch is resolved again: the previous customers that share a node,
   * a rule value or a model link with them, widened until no link leaves that scope, scored
   * with the stored model. Everything else stays as written.
   */
  private IdentityReport incremental(RunContext run, ModelState model,
      Map<String, Long> versions, String checkpoints, Map<String, Double> stats,
      Map<String, String> details, Timestamp at) {
    String runId = run.runId();
    String[] recordId = {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY};
    Dataset<Row> existing = lake.readAt(CdpTable.SILVER_IDENTITY_RECORDS,
        lake.version(CdpTable.SILVER_IDENTITY_RECORDS));
    String[] version = {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY,
        IdentityColumns.RECORD_HASH};
    Dataset<Row> current = distinctBronze(lake.read(CdpTable.BRONZE_EVENTS));
    Dataset<Row> fresh = current.join(existing.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.RECORD_HASH)), version,
        "left_anti");
    // records no longer in bronze (a re-ingested file replaced them, an erasure) leave too
    Dataset<Row> gone = existing.join(current.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.RECORD_HASH)), version,
        "left_anti").checkpoint();
    long goneCount = gone.count();
    Dataset<Row> live = goneCount == 0 ? existing
        : existing.join(gone.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.RECORD_HASH)), version,
            "left_anti");
    Dataset<Row> std = Guardrails.markNullLike(
        IdentityStandardizer.standardizeIdentities(fresh, id), id)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> written;
    Dataset<Row> newlyOverShared;
    try {
      long freshCount = std.count();
      stats.put("records.new", (double) freshCount);
      stats.put("records.gone", (double) goneCount);
      if (freshCount == 0 && goneCount == 0) {
        progress.accept("identity " + runId + ": no new records; nothing to resolve");
        return totals(runId, stats);
      }
      progress.accept("identity " + runId + ": " + String.format("%,d", freshCount)
          + " new record(s), " + String.format("%,d", goneCount) + " gone");
      // over-shared verdicts of the values new and gone records carry, over every record
      // with them
      Map<String, Dataset<Row>> values = Guardrails.linkValues(std, id);
      if (goneCount > 0) {
        Map<String, Dataset<Row>> left = Guardrails.linkValues(Guardrails.stripOverShared(gone),
            id);
        values.replaceAll((f, v) -> v.unionByName(left.get(f)).distinct());
      }
      Dataset<Row> stripped = Guardrails.stripOverShared(live);
      Dataset<Row> pool = linkColumns(stripped).unionByName(linkColumns(std));
      Dataset<Row> judged = Guardrails.findOverShared(pool, id, values);
      Dataset<Row> before = Guardrails.markedOverShared(existing, id).checkpoint();
      Dataset<Row> overNow = before.select(col("field"), col("value"));
      List<Row> changed = List.of();
      newlyOverShared = null;
      if (judged != null) {
        judged = judged.checkpoint();
        Dataset<Row> touched = null;
        for (Map.Entry<String, Dataset<Row>> e : values.entrySet()) {
          Dataset<Row> t = e.getValue().select(lit(e.getKey()).as("field"), col("value"));
          touched = touched == null ? t : touched.unionByName(t);
        }
        Dataset<Row> nowTouched = judged.select(col("field"), col("value"));
        Dataset<Row> beforeTouched = before.join(touched, new String[] {"field", "value"},
            "left_semi");
        overNow = before.join(touched, new String[] {"field", "value"}, "left_anti")
            .unionByName(nowTouched);
        newlyOverShared = judged.join(before, new String[] {"field", "value"}, "left_anti");
        changed = nowTouched.except(beforeTouched)
            .unionByName(beforeTouched.except(nowTouched)).collectAsList();
      }
      overNow = overNow.checkpoint();
      Dataset<Row> newRecords = IdentityGraph.assignNodes(
              Guardrails.markOverShared(std, overNow, id), id)
          .withColumn(OLD_NODE, lit(null).cast(DataTypes.LongType));
      written = withRunId(newRecords, runId);
      if (!changed.isEmpty()) {
        // records written before whose over-shared marks change: they move to new nodes
        Column hit = lit(false);
        for (Row r : changed) {
          hit = hit.or(IdentityFields.value(r.getString(0)).equalTo(r.getString(1))
              .and(Guardrails.usable(r.getString(0)).isNotNull()));
        }
        Dataset<Row> remarked = IdentityGraph.assignNodes(Guardrails.markOverShared(
                stripped.where(hit).withColumn(OLD_NODE, col(IdentityColumns.NODE_ID)),
                overNow, id), id)
            // materialised before filtering: a filter over the re-marked node key makes
            // Catalyst's constraint propagation explode
            .checkpoint()
            .where(col(IdentityColumns.NODE_ID).notEqual(col(OLD_NODE)));
        written = written.unionByName(withRunId(remarked, runId));
      }
      written = written.checkpoint();
      if (newlyOverShared != null) {
        newlyOverShared = newlyOverShared.checkpoint();
      }
    } finally {
      std.unpersist();
    }
    long writtenCount = written.count();
    stats.put("records.remarked", (double) (writtenCount - stats.get("records.new")));
    Dataset<Row> changes = written.withColumn(DROP, lit(false));
    if (goneCount > 0) {
      changes = changes.unionByName(gone.withColumn(OLD_NODE, lit(null)
          .cast(DataTypes.LongType)).withColumn(DROP, lit(true)));
    }
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_RECORDS), lake.merge(
        CdpTable.SILVER_IDENTITY_RECORDS, changes,
        "t.source = s.source AND t.record_key = s.record_key"
            + " AND t.record_hash = s.record_hash", "s." + DROP, runId));
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);

    // the scope: previous customers of every record on a touched node, widened until closed
    Dataset<Row> old = lake.readAt(CdpTable.SILVER_CUSTOMER_MEMBERSHIP,
        lake.version(CdpTable.SILVER_CUSTOMER_MEMBERSHIP));
    Dataset<Row> touchedNodes = written.select(col(IdentityColumns.NODE_ID))
        .unionByName(written.where(col(OLD_NODE).isNotNull())
            .select(col(OLD_NODE).as(IdentityColumns.NODE_ID)))
        .unionByName(gone.select(col(IdentityColumns.NODE_ID)))
        .distinct();
    Dataset<Row> seedKeys = records.join(touchedNodes, new String[] {IdentityColumns.NODE_ID},
            "left_semi").select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY))
        .unionByName(written.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY)))
        .unionByName(gone.select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY)))
        .distinct().checkpoint();
    Dataset<Row> customers = old.join(seedKeys, recordId, "left_semi")
        .select(col(IdentityColumns.CUSTOMER_ID)).distinct().checkpoint();
    Dataset<Row> keys;
    int rounds = 0;
    while (true) {
      rounds++;
      keys = old.join(customers, new String[] {IdentityColumns.CUSTOMER_ID}, "left_semi")
          .select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY))
          .unionByName(seedKeys).distinct().checkpoint();
      Dataset<Row> more = old.join(linkedOutside(records, keys, model), recordId, "left_semi")
          .select(col(IdentityColumns.CUSTOMER_ID)).distinct()
          .join(customers, new String[] {IdentityColumns.CUSTOMER_ID}, "left_anti")
          .checkpoint();
      if (more.isEmpty()) {
        break;
      }
      if (rounds >= MAX_SCOPE_ROUNDS) {
        throw new CdpException("identity run " + runId + ": the incremental scope did not"
            + " close after " + rounds + " rounds; nothing was changed. Run a full rebuild:"
            + " cdp run identity --full");
      }
      customers = customers.unionByName(more).checkpoint();
    }
    long scopeCustomers = customers.count();
    long scopeRecords = keys.count();
    stats.put("scope.customers", (double) scopeCustomers);
    stats.put("scope.records", (double) scopeRecords);
    stats.put("scope.rounds", (double) rounds);
    progress.accept("identity " + runId + ": re-resolving " + String.format("%,d",
        scopeCustomers) + " touched customer(s), " + String.format("%,d", scopeRecords)
        + " record(s)");

    Dataset<Row> scoped = records.join(keys, recordId, "left_semi");
    Dataset<Row> nodes = IdentityGraph.nodes(scoped).checkpoint();
    stats.put("nodes", (double) nodes.count());
    Dataset<Row> sizes = null;
    if (id.probabilistic().enabled()) {
      sizes = ProbabilisticMatcher.blockSizes(records, ProbabilisticMatcher.blockKeys(
          ProbabilisticMatcher.matchableNodes(nodes, id.probabilistic()), id.probabilistic()),
          id.probabilistic()).checkpoint();
    }
    Dataset<Row> oldScoped = old.join(keys, recordId, "left_semi").checkpoint();
    Resolution res = resolveScope(runId, scoped, nodes, sizes, model, oldScoped, old,
        checkpoints, stats, details, at);

    // a scope record with no version left in bronze leaves the membership
    Dataset<Row> members = conform(res.membership(), CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .checkpoint();
    Dataset<Row> left = oldScoped.join(members, recordId, "left_anti");
    versions.put(lake.name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP), lake.merge(
        CdpTable.SILVER_CUSTOMER_MEMBERSHIP,
        members.withColumn(DROP, lit(false)).unionByName(
            conform(left, CdpTable.SILVER_CUSTOMER_MEMBERSHIP).withColumn(DROP, lit(true))),
        "t.source = s.source AND t.record_key = s.record_key", "s." + DROP, runId));
    // links of the scope's previous customers are replaced by the scope's links
    Dataset<Row> newLinks = conform(res.links(), CdpTable.SILVER_IDENTITY_LINKS);
    String[] linkId = {IdentityColumns.NODE_A, IdentityColumns.NODE_B, IdentityColumns.RULE};
    Dataset<Row> stale = lake.read(CdpTable.SILVER_IDENTITY_LINKS)
        .join(customers, new String[] {IdentityColumns.CUSTOMER_ID}, "left_semi")
        .join(newLinks.select(col(IdentityColumns.NODE_A), col(IdentityColumns.NODE_B),
            col(IdentityColumns.RULE)), linkId, "left_anti");
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_LINKS), lake.merge(
        CdpTable.SILVER_IDENTITY_LINKS,
        newLinks.withColumn(DROP, lit(false)).unionByName(stale.withColumn(DROP, lit(true))),
        "t.node_a = s.node_a AND t.node_b = s.node_b AND t.rule = s.rule", "s." + DROP,
        runId));
    Dataset<Row> alerts = res.alerts();
    if (newlyOverShared != null) {
      alerts = alerts.unionByName(Guardrails.overSharedAlerts(newlyOverShared, runId)
          .withColumn(IdentityColumns.AT, lit(at)));
    }
    writeLineageAndAlerts(res, alerts, runId, versions, stats);
    return totals(runId, stats);
  }

  /** Report of an incremental run: totals read back from the tables. */
  private IdentityReport totals(String runId, Map<String, Double> stats) {
    long records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS).count();
    long customers = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .select(col(IdentityColumns.CUSTOMER_ID)).distinct().count();
    stats.put("records", (double) records);
    stats.put("customers", (double) customers);
    return new IdentityReport(runId, records, customers, stats);
  }

  /**
   * Record ids ({@code source, record_key}) outside {@code keys} that a record inside links
   * to: on one node, by a rule value, or by a model link accepted under {@code model}.
   */
  private Dataset<Row> linkedOutside(Dataset<Row> records, Dataset<Row> keys,
      ModelState model) {
    String[] recordId = {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY};
    // checkpoints cut the plan: each dataset below feeds several joins
    Dataset<Row> inside = records.join(keys, recordId, "left_semi").checkpoint();
    Dataset<Row> insideNodes = inside.select(col(IdentityColumns.NODE_ID)).distinct()
        .checkpoint();
    Dataset<Row> linked = records.join(insideNodes, new String[] {IdentityColumns.NODE_ID},
        "left_semi").select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY));
    for (IdentitySettings.Rule rule : id.rules()) {
      Dataset<Row> values = inside.select(IdentityGraph.ruleValue(rule).as("rule_value"))
          .where(col("rule_value").isNotNull()).distinct();
      linked = linked.unionByName(records
          .withColumn("rule_value", IdentityGraph.ruleValue(rule))
          .join(values, new String[] {"rule_value"}, "left_semi")
          .select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY)));
    }
    if (model != null) {
      IdentitySettings.Probabilistic p = id.probabilistic();
      Dataset<Row> nodes = IdentityGraph.nodes(inside).checkpoint();
      Dataset<Row> insideKeys = ProbabilisticMatcher.blockKeys(
          ProbabilisticMatcher.matchableNodes(nodes, p), p).checkpoint();
      Dataset<Row> blockKeys = ProbabilisticMatcher.blockKeys(records, p)
          .join(insideKeys.select(col(ProbabilisticMatcher.RULE),
                  col(ProbabilisticMatcher.BLOCK)).distinct(),
              new String[] {ProbabilisticMatcher.RULE, ProbabilisticMatcher.BLOCK}, "left_semi")
          .distinct().checkpoint();
      Dataset<Row> small = blockKeys.groupBy(col(ProbabilisticMatcher.RULE),
              col(ProbabilisticMatcher.BLOCK))
          .agg(count(lit(1)).as(ProbabilisticMatcher.BLOCK_SIZE))
          .where(col(ProbabilisticMatcher.BLOCK_SIZE).leq(p.maxBlockSize()))
          .select(col(ProbabilisticMatcher.RULE), col(ProbabilisticMatcher.BLOCK)).checkpoint();
      String[] block = {ProbabilisticMatcher.RULE, ProbabilisticMatcher.BLOCK};
      Dataset<Row> outsideKeys = blockKeys.join(small, block, "left_semi")
          .join(insideNodes, new String[] {IdentityColumns.NODE_ID}, "left_anti").checkpoint();
      Dataset<Row> pairs = ProbabilisticMatcher.pairsSharingBlocks(
          insideKeys.join(small, block, "left_semi"), outsideKeys, false);
      Dataset<Row> outsideNodes = IdentityGraph.nodes(records.join(
          outsideKeys.select(col(IdentityColumns.NODE_ID)).distinct(),
          new String[] {IdentityColumns.NODE_ID}, "left_semi")).checkpoint();
      List<Comparison> comparisons = model.model().comparisons();
      Dataset<Row> accepted = accept(ProbabilisticMatcher.scorePairs(
          ProbabilisticMatcher.compareFields(ProbabilisticMatcher.attachFields(pairs,
              nodes.unionByName(outsideNodes), comparisons), comparisons),
          model.model(), model.termFrequencies()))
          .select(col(IdentityColumns.NODE_A), col(IdentityColumns.NODE_B)).checkpoint();
      Dataset<Row> ends = accepted.select(col(IdentityColumns.NODE_A).as(IdentityColumns.NODE_ID))
          .unionByName(accepted.select(col(IdentityColumns.NODE_B).as(IdentityColumns.NODE_ID)))
          .join(insideNodes, new String[] {IdentityColumns.NODE_ID}, "left_anti");
      linked = linked.unionByName(records.join(ends, new String[] {IdentityColumns.NODE_ID},
          "left_semi").select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY)));
    }
    return linked.join(keys, recordId, "left_anti").distinct();
  }

  /**
   * Accepted model links: weight at the threshold, enough agreeing fields and no vetoing
   * disagreement.
   */
  private Dataset<Row> accept(Dataset<Row> scored) {
    IdentitySettings.Probabilistic p = id.probabilistic();
    return scored.where(col(IdentityColumns.MATCH_WEIGHT)
            .geq(ProbabilisticMatcher.log2Odds(p.threshold()))
        .and(ProbabilisticMatcher.agreeingFields().geq(p.minAgreeingFields()))
        .and(ProbabilisticMatcher.notVetoed(p)));
  }

  private Dataset<Row> linkColumns(Dataset<Row> records) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    List<String> fields = new ArrayList<>(Guardrails.linkFields(id));
    fields.addAll(id.guardrails().anchors());
    for (String f : fields) {
      names.add(IdentitySettings.isCustom(f) ? IdentityColumns.EXTRA : f);
    }
    names.add(IdentityColumns.UNUSABLE);
    return records.select(names.stream().map(n -> col(n)).toArray(Column[]::new));
  }

  private static Dataset<Row> withRunId(Dataset<Row> records, String runId) {
    List<Column> cols = new ArrayList<>();
    for (var field : CdpTable.SILVER_IDENTITY_RECORDS.schema().fields()) {
      cols.add(field.name().equals(IdentityColumns.RUN_ID) ? lit(runId).as(field.name())
          : col(field.name()).cast(field.dataType()).as(field.name()));
    }
    cols.add(col(OLD_NODE));
    return records.select(cols.toArray(Column[]::new));
  }

  /** What resolving one scope (every record, or the touched customers) produced. */
  private record Resolution(Dataset<Row> membership, Dataset<Row> links,
      Dataset<Row> lineageRows, Dataset<Row> lineage, Dataset<Row> alerts, long customers,
      ModelState model) {}

  /**
   * Links, clusters and customer ids of the records of one scope.
   *
   * @param records every version of the scope's records
   * @param nodes their identity nodes
   * @param blockSizes sizes of the scope's blocks among all nodes; null to count them in scope
   * @param model the match model to score with; null estimates one from the scope
   * @param old previous membership of the scope's records
   * @param allOld the whole previous membership (ids issued before are never reissued)
   */
  private Resolution resolveScope(String runId, Dataset<Row> records, Dataset<Row> nodes,
      Dataset<Row> blockSizes, ModelState model, Dataset<Row> old, Dataset<Row> allOld,
      String checkpoints, Map<String, Double> stats, Map<String, String> details,
      Timestamp at) {
    // deterministic links
    Dataset<Row> edges = IdentityGraph.linkByRules(nodes, records, id)
        .withColumn(IdentityColumns.MATCH_WEIGHT, lit(null).cast(DataTypes.DoubleType))
        .withColumn(IdentityColumns.MATCH_PROBABILITY, lit(null).cast(DataTypes.DoubleType))
        .withColumn(IdentityColumns.COMPARISONS, lit(null).cast(IdentityColumns.COMPARISON_ARRAY));
    // probabilistic links
    ModelState state = model;
    if (id.probabilistic().enabled()) {
      ModelLinks prob = linkByModel(nodes, edges, blockSizes, model, stats);
      state = prob.state();
      if (prob.edges() != null) {
        edges = edges.unionByName(prob.edges());
      }
      if (state != null) {
        details.put("model.run_id", state.runId() == null ? runId : state.runId());
        stats.put("model.run_id", 0.0);
      }
    }
    edges = edges.checkpoint();
    for (Row r : edges.groupBy(col(IdentityColumns.RULE)).count().collectAsList()) {
      stats.put("links." + r.getString(0), (double) r.getLong(1));
    }

    // clusters, with the size guardrail
    Dataset<Row> nodeIds = nodes.select(col(IdentityColumns.NODE_ID).as(ConnectedComponents.NODE));
    Dataset<Row> labels = ConnectedComponents.label(edgePairs(edges), nodeIds, checkpoints,
        MAX_CC_ITERATIONS);
    Dataset<Row> sizes = labels.groupBy(col(ConnectedComponents.COMPONENT))
        .agg(count(lit(1)).as(IdentityColumns.SIZE));
    List<Row> oversized = sizes.where(col(IdentityColumns.SIZE)
            .gt(id.guardrails().maxClusterSize()))
        .select(col(ConnectedComponents.COMPONENT), col(IdentityColumns.SIZE)).collectAsList();
    // the nodes of the oversized clusters: (big_node, big_component, big_size)
    Dataset<Row> inBig = null;
    if (!oversized.isEmpty()) {
      progress.accept("identity " + runId + ": " + oversized.size()
          + " cluster(s) over max-cluster-size; keeping only their deterministic links");
      Dataset<Row> big = spark.createDataFrame(oversized, new StructType()
          .add("big_component", DataTypes.LongType).add("big_size", DataTypes.LongType));
      inBig = labels.join(broadcast(big),
              col(ConnectedComponents.COMPONENT).equalTo(col("big_component")))
          .select(col(ConnectedComponents.NODE).as("big_node"), col("big_component"),
              col("big_size"));
      edges = edges.join(inBig.select(col("big_node")),
              col(IdentityGraph.SRC).equalTo(col("big_node")), "left")
          .where(col("big_node").isNull().or(col(IdentityColumns.RULE).notEqual("model")))
          .drop("big_node").checkpoint();
      labels = ConnectedComponents.label(edgePairs(edges), nodeIds, checkpoints,
          MAX_CC_ITERATIONS);
      sizes = labels.groupBy(col(ConnectedComponents.COMPONENT))
          .agg(count(lit(1)).as(IdentityColumns.SIZE));
    }
    stats.put("clusters.over_max_size", (double) oversized.size());

    // persistent ids
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
    Dataset<Row> overlaps = CustomerIds.overlaps(newMembership, old).checkpoint();
    Dataset<Row> used = allOld.select(col(IdentityColumns.CUSTOMER_ID))
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

    // membership: keep the run id of rows that did not change
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

    // evidence
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

    // lineage with reasons
    Dataset<Row> lineage = CustomerIds.lineage(overlaps, ids, old).checkpoint();
    Dataset<Row> reasons = mergeReasons(edges, labels, old, records);
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

    // cluster alerts and size statistics: one per cluster the links made too large (below),
    // one per other cluster over alert-cluster-size
    Dataset<Row> alerted = sizes;
    Dataset<Row> bigParts = null;
    if (inBig != null) {
      // each oversized cluster's nodes with the component they are in now
      bigParts = labels.join(inBig, col(ConnectedComponents.NODE).equalTo(col("big_node")));
      alerted = sizes.join(bigParts.select(col(ConnectedComponents.COMPONENT)).distinct(),
          new String[] {ConnectedComponents.COMPONENT}, "left_anti");
    }
    Dataset<Row> alerts = alerted.where(col(IdentityColumns.SIZE)
            .gt(id.guardrails().alertClusterSize()))
        .join(ids, CustomerIds.COMPONENT)
        .select(lit(runId).as(IdentityColumns.RUN_ID),
            lit("cluster_over_alert_size").as(IdentityColumns.KIND),
            col(IdentityColumns.CUSTOMER_ID).as(IdentityColumns.SUBJECT),
            col(IdentityColumns.SIZE),
            concat(lit("identity nodes: "), col(IdentityColumns.SIZE).cast("string"))
                .as(IdentityColumns.DETAIL),
            lit(at).as(IdentityColumns.AT));
    if (bigParts != null) {
      alerts = alerts.unionByName(strippedClusterAlerts(bigParts, ids, runId, at));
    }
    List<Row> top = sizes.join(ids, CustomerIds.COMPONENT)
        .orderBy(col(IdentityColumns.SIZE).desc(), col(IdentityColumns.CUSTOMER_ID))
        .select(col(IdentityColumns.SIZE), col(IdentityColumns.CUSTOMER_ID)).limit(1)
        .collectAsList();
    stats.put("clusters.largest_nodes", top.isEmpty() ? 0.0 : top.get(0).getLong(0));
    if (!top.isEmpty()) {
      details.put("clusters.largest_nodes", top.get(0).getString(1));
    }
    stats.put("clusters.singletons", (double) sizes.where(col(IdentityColumns.SIZE)
        .equalTo(1)).count());
    stats.put("clusters", (double) customers);
    return new Resolution(membership, links, lineageRows, lineage, alerts, customers, state);
  }

  /**
   * One {@code cluster_over_max_size} alert per cluster the links made larger than
   * {@code max-cluster-size}, whatever its parts measure once its model links are dropped
   * (they may all be small): its size with every link, and the customers it became (subject:
   * the first of them; one when only deterministic links made it).
   *
   * @param bigParts the oversized clusters' nodes (big_component, big_size: with every link)
   *     with the component each is in now (without the model links)
   * @param ids component (now) to customer id
   */
  private Dataset<Row> strippedClusterAlerts(Dataset<Row> bigParts, Dataset<Row> ids,
      String runId, Timestamp at) {
    Column customers = col("customers");
    return bigParts.join(ids, CustomerIds.COMPONENT)
        .groupBy(col("big_component"), col("big_size"))
        .agg(sort_array(collect_set(col(IdentityColumns.CUSTOMER_ID))).as("customers"))
        .select(lit(runId).as(IdentityColumns.RUN_ID),
            lit("cluster_over_max_size").as(IdentityColumns.KIND),
            customers.getItem(0).as(IdentityColumns.SUBJECT),
            col("big_size").as(IdentityColumns.SIZE),
            concat(lit("identity nodes: "), col("big_size").cast("string"),
                lit(" with every link, over max-cluster-size "
                    + id.guardrails().maxClusterSize() + "; without its model links it is "),
                org.apache.spark.sql.functions.size(customers).cast("string"),
                lit(" customer(s): "),
                concat_ws(", ", slice(customers, 1, 10)),
                when(org.apache.spark.sql.functions.size(customers).gt(10), lit(", ..."))
                    .otherwise(lit("")))
                .as(IdentityColumns.DETAIL),
            lit(at).as(IdentityColumns.AT));
  }

  private void writeLineageAndAlerts(Resolution res, Dataset<Row> alerts, String runId,
      Map<String, Long> versions, Map<String, Double> stats) {
    versions.put(lake.name(CdpTable.SILVER_ID_LINEAGE), lake.append(
        CdpTable.SILVER_ID_LINEAGE, conform(res.lineageRows(), CdpTable.SILVER_ID_LINEAGE),
        runId));
    for (Row r : res.lineage().groupBy(col(IdentityColumns.EVENT)).count().collectAsList()) {
      stats.put("lineage." + r.getString(0), (double) r.getLong(1));
    }
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_ALERTS), lake.append(
        CdpTable.SILVER_IDENTITY_ALERTS, conform(alerts, CdpTable.SILVER_IDENTITY_ALERTS),
        runId));
    stats.put("alerts", (double) lake.read(CdpTable.SILVER_IDENTITY_ALERTS)
        .where(col(IdentityColumns.RUN_ID).equalTo(runId)).count());
  }

  /** Appends the model estimated by this run and replaces the stored term frequencies. */
  private void writeModel(ModelState state, String runId, Timestamp at,
      Map<String, Long> versions) {
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_MODEL), lake.append(
        CdpTable.SILVER_IDENTITY_MODEL, spark.createDataFrame(
            ProbabilisticMatcher.modelRows(state.model(), runId, at), IdentityColumns.MODEL),
        runId));
    Dataset<Row> tf = null;
    for (Map.Entry<String, Dataset<Row>> e : state.termFrequencies().entrySet()) {
      Dataset<Row> rows = e.getValue().select(lit(runId).as(IdentityColumns.RUN_ID),
          lit(e.getKey()).as(IdentityColumns.FIELD), col("value").as(IdentityColumns.VALUE),
          col("tf").as(IdentityColumns.TF));
      tf = tf == null ? rows : tf.unionByName(rows);
    }
    if (tf == null) {
      tf = spark.createDataFrame(List.of(), IdentityColumns.TERM_FREQUENCIES);
    }
    versions.put(lake.name(CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES), lake.overwrite(
        CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES,
        conform(tf, CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES), runId));
  }

  /**
   * A match model and the term frequencies it scores with; {@code runId} is the run that
   * estimated it (null while it is being estimated by this run).
   */
  private record ModelState(String runId, MatchModel model,
      Map<String, Dataset<Row>> termFrequencies) {}

  /**
   * The latest stored model and its term frequencies, or null when none is stored or it does
   * not fit the configured comparisons (other fields or levels).
   */
  private ModelState loadModel() {
    Dataset<Row> rows = lake.read(CdpTable.SILVER_IDENTITY_MODEL);
    List<Row> last = rows.orderBy(col(IdentityColumns.AT).desc(),
            col(IdentityColumns.RUN_ID).desc())
        .select(col(IdentityColumns.RUN_ID)).limit(1).collectAsList();
    if (last.isEmpty()) {
      return null;
    }
    String modelRun = last.get(0).getString(0);
    List<Comparison> comparisons = ProbabilisticMatcher.comparisons(id.probabilistic());
    Map<String, Row> byLevel = new LinkedHashMap<>();
    for (Row r : rows.where(col(IdentityColumns.RUN_ID).equalTo(modelRun))
        .select(col(IdentityColumns.COMPARISON), col(IdentityColumns.LEVEL),
            col(IdentityColumns.LABEL), col(IdentityColumns.M), col(IdentityColumns.U),
            col(IdentityColumns.LAMBDA)).collectAsList()) {
      byLevel.put(r.getString(0) + "\u0001" + r.getInt(1), r);
    }
    double[][] m = new double[comparisons.size()][];
    double[][] u = new double[comparisons.size()][];
    double lambda = Double.NaN;
    int expected = 0;
    for (int k = 0; k < comparisons.size(); k++) {
      Comparison c = comparisons.get(k);
      m[k] = new double[c.levels()];
      u[k] = new double[c.levels()];
      for (int l = 0; l < c.levels(); l++) {
        Row r = byLevel.get(c.name() + "\u0001" + l);
        if (r == null || !c.levelLabel(l).equals(r.getString(2))) {
          LOG.warn("stored match model of run {} does not fit comparison {} level {}",
              modelRun, c.name(), l);
          return null;
        }
        m[k][l] = r.getDouble(3);
        u[k][l] = r.getDouble(4);
        lambda = r.getDouble(5);
        expected++;
      }
    }
    if (expected != byLevel.size()) {
      return null;
    }
    Map<String, Dataset<Row>> tf = new LinkedHashMap<>();
    Dataset<Row> stored = lake.read(CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES)
        .where(col(IdentityColumns.RUN_ID).equalTo(modelRun));
    for (String f : id.probabilistic().termFrequency()) {
      tf.put(f, stored.where(col(IdentityColumns.FIELD).equalTo(f))
          .select(col(IdentityColumns.VALUE).as("value"), col(IdentityColumns.TF).as("tf")));
    }
    return new ModelState(modelRun, new MatchModel(comparisons, m, u, lambda), tf);
  }

  /** Links of the model, with the model state they were scored with. */
  private record ModelLinks(Dataset<Row> edges, ModelState state) {}

  /**
   * Model links among {@code nodes}, scored with {@code stored}, or with a model estimated
   * from these nodes' blocked pairs (and their deterministic {@code ruleLinks}) when
   * {@code stored} is null.
   */
  private ModelLinks linkByModel(Dataset<Row> nodes, Dataset<Row> ruleLinks,
      Dataset<Row> blockSizes, ModelState stored, Map<String, Double> stats) {
    IdentitySettings.Probabilistic p = id.probabilistic();
    List<Comparison> comparisons = ProbabilisticMatcher.comparisons(p);
    Dataset<Row> matchable = ProbabilisticMatcher.matchableNodes(nodes, p).checkpoint();
    long m = matchable.count();
    stats.put("model.matchable_nodes", (double) m);
    if (m < 2) {
      return new ModelLinks(null, stored);
    }
    if (blockSizes == null) {
      Dataset<Row> skipped = ProbabilisticMatcher.oversizedBlocks(matchable, p);
      stats.put("model.blocks_skipped", (double) skipped.count());
    }
    Dataset<Row> levelled = ProbabilisticMatcher.compareFields(
        ProbabilisticMatcher.attachFields(ProbabilisticMatcher.blockCandidatePairs(matchable, p,
            blockSizes), matchable, comparisons), comparisons).checkpoint();
    long pairs = levelled.count();
    stats.put("model.candidate_pairs", (double) pairs);
    double all = m * (m - 1) / 2.0;
    stats.put("model.reduction_ratio", all == 0 ? 1.0 : 1.0 - pairs / all);
    ModelState state = stored;
    if (state == null) {
      if (pairs == 0) {
        return new ModelLinks(null, null);
      }
      state = estimateModel(nodes, matchable, ruleLinks, levelled, comparisons, m, all, stats);
      stats.put("model.lambda", state.model().lambda());
    }
    Dataset<Row> accepted = accept(ProbabilisticMatcher.scorePairs(levelled, state.model(),
            state.termFrequencies()))
        .select(col(IdentityColumns.NODE_B).as(IdentityGraph.SRC),
            col(IdentityColumns.NODE_A).as(IdentityGraph.DST),
            lit("model").as(IdentityColumns.RULE),
            lit(null).cast(DataTypes.StringType).as(IdentityColumns.VALUE),
            col(IdentityColumns.MATCH_WEIGHT), col(IdentityColumns.MATCH_PROBABILITY),
            col(IdentityColumns.COMPARISONS));
    return new ModelLinks(accepted, state);
  }

  /**
   * m, u and the prior by EM over the blocked pairs' patterns (m from the rule links where
   * configured and seen often enough); term frequencies.
   */
  private ModelState estimateModel(Dataset<Row> nodes, Dataset<Row> matchable,
      Dataset<Row> ruleLinks, Dataset<Row> levelled, List<Comparison> comparisons, long m,
      double all, Map<String, Double> stats) {
    IdentitySettings.Probabilistic p = id.probabilistic();
    Map<Pattern, Long> patterns = ProbabilisticMatcher.countPatterns(levelled);
    double[][] fixedM = null;
    if (p.mFromRuleLinks()) {
      Map<String, List<String>> ruleFields = new LinkedHashMap<>();
      id.rules().forEach(r -> ruleFields.put(r.id(), r.fields()));
      Map<Pattern, Long> linked = ProbabilisticMatcher.countPatterns(
          ProbabilisticMatcher.levelledLinkedPairs(ruleLinks, nodes, comparisons, ruleFields));
      stats.put("model.rule_linked_pairs",
          (double) linked.values().stream().mapToLong(Long::longValue).sum());
      fixedM = ProbabilisticMatcher.mFromLinkedPairs(comparisons, linked,
          MIN_RULE_LINKED_PAIRS);
      stats.put("model.m_from_rule_links", (double) java.util.Arrays.stream(fixedM)
          .filter(java.util.Objects::nonNull).count());
    }
    double[][] u = null;
    if (p.uFromRandomPairs()) {
      long draws = Math.min(p.randomPairs(), (long) all);
      u = ProbabilisticMatcher.uFromRandom(comparisons, ProbabilisticMatcher.countPatterns(
          ProbabilisticMatcher.compareFields(ProbabilisticMatcher.randomPairs(spark, matchable,
              comparisons, draws, m), comparisons)));
    }
    MatchModel model = ExpectationMaximisation.estimate(comparisons, patterns, u, fixedM, 0.1,
        p.maxIterations());
    LOG.info("identity model:\n{}", model);
    Map<String, Dataset<Row>> tf = new LinkedHashMap<>();
    for (String f : p.termFrequency()) {
      tf.put(f, ProbabilisticMatcher.termFrequencies(matchable, f).checkpoint());
    }
    return new ModelState(null, model, tf);
  }

  private static Dataset<Row> edgePairs(Dataset<Row> edges) {
    return edges.select(col(IdentityGraph.SRC).as(ConnectedComponents.SRC),
        col(IdentityGraph.DST).as(ConnectedComponents.DST));
  }

  /**
   * Rules of the links that joined a previous customer's records to records outside it
   * (another customer's or new ones) in each new cluster: {@code from_customer_id, component,
   * rules}.
   */
  private static Dataset<Row> mergeReasons(Dataset<Row> edges, Dataset<Row> labels,
      Dataset<Row> old, Dataset<Row> records) {
    // every version's node (an old version's too) belongs to its record's previous customer
    Dataset<Row> nodeOld = records.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.NODE_ID))
        .join(old.select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
                col(IdentityColumns.CUSTOMER_ID).as("oid")),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY})
        .join(labels.select(col(ConnectedComponents.NODE).as(IdentityColumns.NODE_ID),
            col(ConnectedComponents.COMPONENT).as(CustomerIds.COMPONENT)),
            IdentityColumns.NODE_ID)
        .select(col(IdentityColumns.NODE_ID).as("on"), col("oid"),
            col(CustomerIds.COMPONENT)).distinct();
    Dataset<Row> a = nodeOld.toDF("an", "aid", "acomp");
    Dataset<Row> b = nodeOld.toDF("bn", "bid", "bcomp");
    Dataset<Row> crossing = edges.join(a, col(IdentityGraph.SRC).equalTo(col("an")), "left")
        .join(b, col(IdentityGraph.DST).equalTo(col("bn")), "left")
        .where(coalesce(col("aid"), lit("")).notEqual(coalesce(col("bid"), lit(""))));
    Dataset<Row> sideA = crossing.where(col("aid").isNotNull())
        .select(col("aid").as(IdentityColumns.FROM_CUSTOMER_ID),
            col("acomp").as(CustomerIds.COMPONENT), col(IdentityColumns.RULE));
    Dataset<Row> sideB = crossing.where(col("bid").isNotNull())
        .select(col("bid").as(IdentityColumns.FROM_CUSTOMER_ID),
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
