package org.lakecdp.core.segment;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mean;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SegmentSettings;
import org.lakecdp.core.config.SegmentSettings.Segment;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.lakecdp.core.lake.SegmentColumns;
import org.lakecdp.core.privacy.ConsentHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment job: evaluates every enabled segment over {@code cdp_gold.customer_profile} as
 * of the run's logical date and writes that day of {@code cdp_gold.segment_membership},
 * {@code cdp_gold.segment_changes} (against each segment's latest earlier run date) and
 * {@code cdp_gold.segment_runs}.
 *
 * <p>Idempotent per day: a rerun whose result equals the stored day writes nothing; a
 * different result (a backfill, a changed definition) replaces that day only, in one commit
 * per table, and never touches other days (later days' changes are not recomputed). A failed
 * run restores the tables and is recorded FAILED.
 */
public final class Segments {
  /** Job name in the run ledger. */
  public static final String JOB = "segment";

  private static final Logger LOG = LoggerFactory.getLogger(Segments.class);
  private static final List<CdpTable> WRITES = List.of(CdpTable.GOLD_SEGMENT_MEMBERSHIP,
      CdpTable.GOLD_SEGMENT_CHANGES, CdpTable.GOLD_SEGMENT_RUNS);
  private static final String FLAG = "segment_flag__";

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final SegmentSettings segments;
  private final Consumer<String> progress;

  public Segments(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.settings = settings;
    this.segments = settings.segments();
    this.progress = progress;
  }

  /** Evaluates the segments as of {@code runDate}; throws after undoing its writes. */
  public SegmentReport run(LocalDate runDate) {
    SegmentCatalog catalog = SegmentCatalog.validate(segments);
    RunLedger ledger = new RunLedger(lake, settings);
    RunContext run = ledger.start(JOB, runDate);
    Map<CdpTable, Long> before = new EnumMap<>(CdpTable.class);
    WRITES.forEach(t -> before.put(t, lake.version(t)));
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      SegmentReport report = write(run, catalog, versions);
      Map<String, String> details = new LinkedHashMap<>();
      long rows = 0;
      for (SegmentReport.Size s : report.sizes()) {
        details.put("members." + s.segment(), Long.toString(s.members()));
        rows += s.members();
      }
      ledger.succeed(run, new RunOutcome(0, report.wrote() ? rows : 0, 0, versions, details));
      return report;
    } catch (Exception e) {
      LOG.error("segment run {} failed: {}", run.runId(), e.getMessage());
      before.forEach((table, version) -> lake.restore(table, version, run.runId()));
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
          : new CdpException("segment run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  private SegmentReport write(RunContext run, SegmentCatalog catalog,
      Map<String, Long> versions) {
    LocalDate date = run.logicalDate();
    String runId = run.runId();
    List<Segment> ordered = catalog.ordered();
    Dataset<Row> base = SegmentEvaluation.addRunColumns(
        ConsentHistory.profilesWithConsentAsOf(lake, date),
        date).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> members = null;
    try {
      Dataset<Row> flags = evaluate(base, ordered);
      members = explodeMembers(flags, ordered, date, runId)
          .persist(StorageLevel.MEMORY_AND_DISK());
      String day = SegmentColumns.RUN_DATE + " = DATE'" + date + "'";
      Dataset<Row> stored = lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP).where(day);
      Map<String, String> hashes = new LinkedHashMap<>();
      ordered.forEach(s -> hashes.put(s.name(), SegmentCatalog.definitionHash(segments, s)));
      boolean same = sameMembers(stored, members) && sameDefinitions(date, hashes);
      Dataset<Row> changes = changes(members, lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP),
          ordered, date, runId);
      Map<String, long[]> counts = new HashMap<>();
      ordered.forEach(s -> counts.put(s.name(), new long[4]));
      for (Row r : members.groupBy(SegmentColumns.SEGMENT).agg(
          org.apache.spark.sql.functions.count(lit(1)),
          org.apache.spark.sql.functions.sum(when(col(SegmentColumns.HOLDOUT), 1).otherwise(0)))
          .collectAsList()) {
        counts.get(r.getString(0))[0] = r.getLong(1);
        counts.get(r.getString(0))[1] = r.getLong(2);
      }
      Dataset<Row> storedOrNew = same ? lake.read(CdpTable.GOLD_SEGMENT_CHANGES).where(day)
          : changes;
      for (Row r : storedOrNew.groupBy(SegmentColumns.SEGMENT, SegmentColumns.CHANGE).count()
          .collectAsList()) {
        long[] c = counts.get(r.getString(0));
        if (c != null) {
          c[r.getString(1).equals(SegmentColumns.ENTERED_VALUE) ? 2 : 3] = r.getLong(2);
        }
      }
      List<SegmentReport.Size> sizes = new ArrayList<>();
      for (Segment s : ordered) {
        long[] c = counts.get(s.name());
        sizes.add(new SegmentReport.Size(s.name(), c[0], c[1], c[2], c[3]));
      }
      if (same) {
        progress.accept("segment " + runId + ": " + date + " already holds the same members;"
            + " nothing written");
        return new SegmentReport(runId, date, sizes, false);
      }
      progress.accept("segment " + runId + ": writing " + ordered.size() + " segment(s) for "
          + date);
      versions.put(lake.name(CdpTable.GOLD_SEGMENT_MEMBERSHIP), lake.replaceWhere(
          CdpTable.GOLD_SEGMENT_MEMBERSHIP, members, day, runId));
      versions.put(lake.name(CdpTable.GOLD_SEGMENT_CHANGES), lake.replaceWhere(
          CdpTable.GOLD_SEGMENT_CHANGES, changes, day, runId));
      versions.put(lake.name(CdpTable.GOLD_SEGMENT_RUNS), lake.replaceWhere(
          CdpTable.GOLD_SEGMENT_RUNS, runRows(sizes, previousDates(ordered, date), hashes,
              date, runId), day, runId));
      return new SegmentReport(runId, date, sizes, true);
    } finally {
      base.unpersist();
      if (members != null) {
        members.unpersist();
      }
    }
  }

  /**
   * customer_id plus one boolean column per segment, evaluated in order; lookalikes compute
   * their feature statistics, seed centroid and size threshold with small actions.
   */
  private Dataset<Row> evaluate(Dataset<Row> base, List<Segment> ordered) {
    Dataset<Row> df = base;
    List<String> done = new ArrayList<>();
    for (Segment s : ordered) {
      Dataset<Row> withOthers = df.withColumn(SegmentExpression.SEGMENTS, othersStruct(done));
      Column condition = s.where().isEmpty() ? lit(true) : condition(withOthers, s);
      Column flag;
      if (s.isLookalike()) {
        flag = lookalike(withOthers, s, condition);
      } else {
        flag = coalesce(condition, lit(false));
      }
      df = withOthers.withColumn(FLAG + s.name(), flag).drop(SegmentExpression.SEGMENTS);
      done.add(s.name());
    }
    List<Column> keep = new ArrayList<>();
    keep.add(col(ProfileColumns.CUSTOMER_ID));
    done.forEach(n -> keep.add(col(FLAG + n)));
    return df.select(keep.toArray(Column[]::new));
  }

  private static Column othersStruct(List<String> done) {
    if (done.isEmpty()) {
      return struct(lit(true).as("none"));
    }
    return struct(done.stream().map(n -> col(FLAG + n).as(n)).toArray(Column[]::new));
  }

  /** The parsed condition, checked by Spark's analyzer: it must resolve and be boolean. */
  private static Column condition(Dataset<Row> df, Segment s) {
    Column c = expr(s.where());
    DataType type;
    try {
      type = df.select(c).schema().fields()[0].dataType();
    } catch (Exception e) {
      throw new CdpException("segment '" + s.name() + "': where '" + s.where()
          + "' does not fit the profile: " + String.valueOf(e.getMessage()).lines()
              .findFirst().orElse(""), e);
    }
    if (!(type instanceof BooleanType)) {
      throw new CdpException("segment '" + s.name() + "': where must be a condition (true or"
          + " false), not a " + type.simpleString() + ": '" + s.where() + "'");
    }
    return c;
  }

  /**
   * Candidates (not in the seed, passing the condition) whose cosine similarity to the seed's
   * centroid of z-scored features is among the {@code size} highest (ties at the boundary in).
   */
  private Column lookalike(Dataset<Row> df, Segment s, Column condition) {
    List<String> features = SegmentCatalog.features(segments, s);
    List<Column> stats = new ArrayList<>();
    for (String f : features) {
      stats.add(mean(col(f).cast("double")));
      stats.add(stddev_pop(col(f).cast("double")));
    }
    Row st = df.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new))
        .first();
    double[] means = new double[features.size()];
    double[] sds = new double[features.size()];
    for (int i = 0; i < features.size(); i++) {
      means[i] = st.isNullAt(2 * i) ? 0 : st.getDouble(2 * i);
      sds[i] = st.isNullAt(2 * i + 1) ? 0 : st.getDouble(2 * i + 1);
    }
    Column[] z = SegmentEvaluation.standardize(features, means, sds);
    Column seed = col(FLAG + s.lookalike().seed());
    List<Column> centroidAgg = new ArrayList<>();
    for (Column zi : z) {
      centroidAgg.add(avg(zi));
    }
    Row c = df.where(seed).agg(centroidAgg.get(0), centroidAgg.subList(1, centroidAgg.size())
        .toArray(Column[]::new)).first();
    double[] centroid = new double[features.size()];
    for (int i = 0; i < centroid.length; i++) {
      centroid[i] = c.isNullAt(i) ? 0 : c.getDouble(i);
    }
    Column similarity = SegmentEvaluation.cosine(z, centroid);
    Column candidate = coalesce(condition, lit(false)).and(seed.unary_$bang())
        .and(similarity.isNotNull());
    Row threshold = df.where(candidate).select(similarity.as("similarity"))
        .orderBy(col("similarity").desc()).limit((int) Math.min(s.lookalike().size(),
            Integer.MAX_VALUE)).agg(min(col("similarity"))).first();
    if (threshold.isNullAt(0)) {
      progress.accept("segment '" + s.name() + "': no lookalike candidates (empty seed '"
          + s.lookalike().seed() + "' or no one else)");
      return lit(false);
    }
    return candidate.and(similarity.geq(lit(threshold.getDouble(0))));
  }

  /** One membership row per segment and member. */
  private static Dataset<Row> explodeMembers(Dataset<Row> flags, List<Segment> ordered,
      LocalDate date, String runId) {
    if (ordered.isEmpty()) {
      return flags.sparkSession().createDataFrame(List.of(), SegmentColumns.MEMBERSHIP);
    }
    Column[] names = ordered.stream().map(s -> when(col(FLAG + s.name()),
        lit(s.name()))).toArray(Column[]::new);
    Column holdout = lit(false);
    for (Segment s : ordered) {
      holdout = when(col(SegmentColumns.SEGMENT).equalTo(s.name()),
          SegmentEvaluation.holdout(s.name(), s.holdoutPercent())).otherwise(holdout);
    }
    return flags.select(col(ProfileColumns.CUSTOMER_ID), explode(filter(array(names),
            x -> x.isNotNull())).as(SegmentColumns.SEGMENT))
        .select(lit(java.sql.Date.valueOf(date)).as(SegmentColumns.RUN_DATE),
            col(SegmentColumns.SEGMENT), col(ProfileColumns.CUSTOMER_ID),
            holdout.as(SegmentColumns.HOLDOUT), lit(runId).as(SegmentColumns.RUN_ID));
  }

  /** Same rows, compared by count and an order-free sum of 64-bit row hashes. */
  private static boolean sameMembers(Dataset<Row> stored, Dataset<Row> fresh) {
    Column hash = org.apache.spark.sql.functions.xxhash64(col(SegmentColumns.SEGMENT),
        col(SegmentColumns.CUSTOMER_ID), col(SegmentColumns.HOLDOUT)).cast("decimal(38,0)");
    Row a = stored.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.sum(hash)).first();
    Row b = fresh.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.sum(hash)).first();
    return a.getLong(0) == b.getLong(0) && java.util.Objects.equals(a.get(1), b.get(1));
  }

  private boolean sameDefinitions(LocalDate date, Map<String, String> hashes) {
    Map<String, String> stored = new HashMap<>();
    lake.read(CdpTable.GOLD_SEGMENT_RUNS).where(col(SegmentColumns.RUN_DATE)
            .equalTo(lit(java.sql.Date.valueOf(date))))
        .select(SegmentColumns.SEGMENT, SegmentColumns.DEFINITION_HASH).collectAsList()
        .forEach(r -> stored.put(r.getString(0), r.getString(1)));
    return stored.equals(hashes);
  }

  /**
   * Entered and exited customers of each evaluated segment since its latest run date before
   * {@code date} (everyone entered on a segment's first run).
   */
  static Dataset<Row> changes(Dataset<Row> members, Dataset<Row> history,
      List<Segment> ordered, LocalDate date, String runId) {
    java.sql.Date day = java.sql.Date.valueOf(date);
    List<String> names = ordered.stream().map(Segment::name).toList();
    Dataset<Row> previousDates = history.where(col(SegmentColumns.RUN_DATE).lt(lit(day))
            .and(col(SegmentColumns.SEGMENT).isin(names.toArray())))
        .groupBy(SegmentColumns.SEGMENT)
        .agg(max(SegmentColumns.RUN_DATE).as(SegmentColumns.PREVIOUS_RUN_DATE));
    Dataset<Row> previous = history.select(col(SegmentColumns.SEGMENT),
            col(SegmentColumns.CUSTOMER_ID),
            col(SegmentColumns.RUN_DATE).as(SegmentColumns.PREVIOUS_RUN_DATE))
        .join(previousDates, new String[] {SegmentColumns.SEGMENT,
            SegmentColumns.PREVIOUS_RUN_DATE});
    String[] key = {SegmentColumns.SEGMENT, SegmentColumns.CUSTOMER_ID};
    Dataset<Row> current = members.select(SegmentColumns.SEGMENT, SegmentColumns.CUSTOMER_ID);
    Dataset<Row> entered = current.join(previous.select(col(key[0]), col(key[1])), key, "left_anti")
        .join(previousDates, new String[] {SegmentColumns.SEGMENT}, "left")
        .withColumn(SegmentColumns.CHANGE, lit(SegmentColumns.ENTERED_VALUE));
    Dataset<Row> exited = previous.join(current, key, "left_anti")
        .withColumn(SegmentColumns.CHANGE, lit(SegmentColumns.EXITED_VALUE));
    Column[] out = {lit(day).as(SegmentColumns.RUN_DATE), col(SegmentColumns.SEGMENT),
        col(SegmentColumns.CUSTOMER_ID), col(SegmentColumns.CHANGE),
        col(SegmentColumns.PREVIOUS_RUN_DATE), lit(runId).as(SegmentColumns.RUN_ID)};
    return entered.select(out).unionByName(exited.select(out));
  }

  private Map<String, LocalDate> previousDates(List<Segment> ordered, LocalDate date) {
    Map<String, LocalDate> out = new HashMap<>();
    lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP)
        .where(col(SegmentColumns.RUN_DATE).lt(lit(java.sql.Date.valueOf(date))))
        .groupBy(SegmentColumns.SEGMENT).agg(max(SegmentColumns.RUN_DATE)).collectAsList()
        .forEach(r -> out.put(r.getString(0), r.getDate(1).toLocalDate()));
    return out;
  }

  private Dataset<Row> runRows(List<SegmentReport.Size> sizes,
      Map<String, LocalDate> previous, Map<String, String> hashes, LocalDate date,
      String runId) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (SegmentReport.Size s : sizes) {
      LocalDate p = previous.get(s.segment());
      rows.add(RowFactory.create(java.sql.Date.valueOf(date), s.segment(), s.members(),
          s.holdout(), s.entered(), s.exited(), p == null ? null : java.sql.Date.valueOf(p),
          hashes.get(s.segment()), runId, now));
    }
    return lake.spark().createDataFrame(rows, SegmentColumns.RUNS);
  }
}
