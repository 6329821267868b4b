package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.IdentitySettings;
import org.lakecdp.core.lake.IdentityColumns;

/**
 * Probabilistic record linkage over identity nodes: blocking, field comparisons,
 * unsupervised estimation of a Fellegi-Sunter model, and scoring.
 *
 * <p>Each step is a {@code Dataset -> Dataset} function without actions; only
 * {@link #estimateModel} collects, and only aggregated comparison patterns (a few hundred
 * rows), never pairs or nodes.
 */
public final class ProbabilisticMatcher {
  private ProbabilisticMatcher() {}

  static final String A = "a";
  static final String B = "b";
  static final String BLOCKED_BY = "blocked_by";
  static final String LEVELS = "levels";
  /** Fields the deterministic rules linking a pair matched on. */
  static final String LINK_FIELDS = "link_fields";
  static final String RULE = "rule";
  static final String BLOCK = "block";
  static final String BLOCK_SIZE = "block_size";

  /** The configured comparisons as comparator objects, in configuration order. */
  public static List<Comparison> comparisons(IdentitySettings.Probabilistic settings) {
    List<Comparison> out = new ArrayList<>();
    for (IdentitySettings.ComparisonSpec spec : settings.comparisons()) {
      ComparatorKind kind = ComparatorKind.valueOf(
          spec.kind().replace('-', '_').toUpperCase(Locale.ROOT));
      out.add(new Comparison(spec.field(), kind,
          spec.thresholds().isEmpty() ? null : spec.thresholds(), spec.dateToleranceDays(),
          spec.swapWith()));
    }
    return out;
  }

  /** Nodes that have every field of at least one blocking rule: the matchable ones. */
  public static Dataset<Row> matchableNodes(Dataset<Row> nodes,
      IdentitySettings.Probabilistic p) {
    Column any = lit(false);
    for (List<String> rule : p.blocking()) {
      Column all = lit(true);
      for (String f : rule) {
        all = all.and(IdentityFields.value(f).isNotNull());
      }
      any = any.or(all);
    }
    return nodes.where(any);
  }

  /**
   * Candidate pairs (node_a &lt; node_b, blocked_by = index of the first blocking rule that
   * pairs them). Blocks larger than {@code max-block-size} are skipped.
   */
  public static Dataset<Row> blockCandidatePairs(Dataset<Row> nodes,
      IdentitySettings.Probabilistic p) {
    return blockCandidatePairs(nodes, p, null);
  }

  /**
   * As {@link #blockCandidatePairs(Dataset, IdentitySettings.Probabilistic)} with the block
   * sizes given ({@link #blockSizes}, counted over more nodes than {@code nodes}: an
   * incremental run pairs a few nodes but skips a block by its size among all of them);
   * null counts them among {@code nodes}.
   */
  static Dataset<Row> blockCandidatePairs(Dataset<Row> nodes, IdentitySettings.Probabilistic p,
      Dataset<Row> sizes) {
    Dataset<Row> keys = blockKeys(nodes, p);
    Dataset<Row> sized = sizes == null
        ? keys.withColumn(BLOCK_SIZE, count(lit(1)).over(Window.partitionBy(col(RULE),
            col(BLOCK))))
        : keys.join(sizes, new String[] {RULE, BLOCK});
    Dataset<Row> kept = sized.where(col(BLOCK_SIZE).leq(p.maxBlockSize()))
        .select(col(RULE), col(BLOCK), col(IdentityColumns.NODE_ID));
    return pairsSharingBlocks(kept, kept, true);
  }

  /**
   * Pairs of a node of {@code left} and a node of {@code right} in one block (both
   * {@code rule, block, node_id}): {@code node_a < node_b, blocked_by}. {@code same} says both
   * sides are the same rows, so each pair is taken once.
   */
  static Dataset<Row> pairsSharingBlocks(Dataset<Row> left, Dataset<Row> right,
      boolean same) {
    Column a = col(A + "." + IdentityColumns.NODE_ID);
    Column b = col(B + "." + IdentityColumns.NODE_ID);
    Column on = col(A + "." + RULE).equalTo(col(B + "." + RULE))
        .and(col(A + "." + BLOCK).equalTo(col(B + "." + BLOCK)))
        .and(same ? a.lt(b) : a.notEqual(b));
    return left.as(A).join(right.as(B), on)
        .select(least(a, b).as(IdentityColumns.NODE_A), greatest(a, b).as(IdentityColumns.NODE_B),
            col(A + "." + RULE).as(BLOCKED_BY))
        .groupBy(col(IdentityColumns.NODE_A), col(IdentityColumns.NODE_B))
        .agg(org.apache.spark.sql.functions.min(col(BLOCKED_BY)).as(BLOCKED_BY));
  }

  /**
   * Block keys of nodes (or of records, which carry their node's identity): {@code rule}
   * (index of the blocking rule), {@code block} (its values), {@code node_id}; one row per
   * rule whose fields are all present.
   */
  static Dataset<Row> blockKeys(Dataset<Row> nodes, IdentitySettings.Probabilistic p) {
    Dataset<Row> all = null;
    for (int i = 0; i < p.blocking().size(); i++) {
      Dataset<Row> keys = keyed(nodes, p.blocking().get(i))
          .select(lit(i).as(RULE), col(BLOCK), col(IdentityColumns.NODE_ID));
      all = all == null ? keys : all.unionByName(keys);
    }
    return all;
  }

  /**
   * Sizes of the blocks {@code blocks} ({@code rule, block}) in identity nodes, counted over
   * {@code records}: {@code rule, block, block_size}.
   */
  static Dataset<Row> blockSizes(Dataset<Row> records, Dataset<Row> blocks,
      IdentitySettings.Probabilistic p) {
    return blockKeys(records, p)
        .join(blocks.select(col(RULE), col(BLOCK)).distinct(), new String[] {RULE, BLOCK},
            "left_semi")
        .groupBy(col(RULE), col(BLOCK))
        .agg(countDistinct(col(IdentityColumns.NODE_ID)).as(BLOCK_SIZE));
  }

  /** Blocks over the limit: rows of (rule index, block count, largest size). */
  static Dataset<Row> oversizedBlocks(Dataset<Row> nodes, IdentitySettings.Probabilistic p) {
    Dataset<Row> all = null;
    for (int i = 0; i < p.blocking().size(); i++) {
      Dataset<Row> big = keyed(nodes, p.blocking().get(i)).groupBy(col("block"))
          .agg(count(lit(1)).as("size"))
          .where(col("size").gt(p.maxBlockSize()))
          .select(lit(i).as("rule"), col("size"));
      all = all == null ? big : all.unionByName(big);
    }
    return all;
  }

  private static Dataset<Row> keyed(Dataset<Row> nodes, List<String> rule) {
    List<Column> values = new ArrayList<>();
    Column present = lit(true);
    for (String f : rule) {
      Column v = IdentityFields.value(f);
      values.add(v);
      present = present.and(v.isNotNull());
    }
    return nodes.where(present)
        .withColumn(BLOCK, concat_ws("\u0001", values.toArray(Column[]::new)));
  }

  /**
   * Adds both sides' compared fields ({@code a_<field>}, {@code b_<field>}) to pairs, and the
   * {@code swapWith} fields of the comparisons that have one.
   */
  public static Dataset<Row> attachFields(Dataset<Row> pairs, Dataset<Row> nodes,
      List<Comparison> comparisons) {
    List<Column> a = new ArrayList<>();
    List<Column> b = new ArrayList<>();
    a.add(col(IdentityColumns.NODE_ID).as(IdentityColumns.NODE_A));
    b.add(col(IdentityColumns.NODE_ID).as(IdentityColumns.NODE_B));
    java.util.Set<String> fields = new java.util.LinkedHashSet<>();
    for (Comparison c : comparisons) {
      fields.add(c.name());
    }
    for (Comparison c : comparisons) {
      if (c.swapWith() != null) {
        fields.add(c.swapWith());
      }
    }
    for (String f : fields) {
      a.add(IdentityFields.value(f).as(IdentityFields.side(A, f)));
      b.add(IdentityFields.value(f).as(IdentityFields.side(B, f)));
    }
    Dataset<Row> sideA = nodes.select(a.toArray(Column[]::new));
    Dataset<Row> sideB = nodes.select(b.toArray(Column[]::new));
    return pairs.join(sideA, IdentityColumns.NODE_A).join(sideB, IdentityColumns.NODE_B);
  }

  /** Adds {@code levels}: the comparison level of every compared field, in order. */
  public static Dataset<Row> compareFields(Dataset<Row> pairs, List<Comparison> comparisons) {
    List<Column> levels = new ArrayList<>();
    for (Comparison c : comparisons) {
      if (c.swapWith() == null) {
        UserDefinedFunction level = udf(new LevelFunction(c), DataTypes.IntegerType);
        levels.add(level.apply(col(IdentityFields.side(A, c.name())),
            col(IdentityFields.side(B, c.name()))));
      } else {
        UserDefinedFunction level = udf(new SwapLevelFunction(c), DataTypes.IntegerType);
        levels.add(level.apply(col(IdentityFields.side(A, c.name())),
            col(IdentityFields.side(B, c.name())), col(IdentityFields.side(A, c.swapWith())),
            col(IdentityFields.side(B, c.swapWith()))));
      }
    }
    return pairs.withColumn(LEVELS, array(levels.toArray(Column[]::new)));
  }

  /**
   * True when no comparison declared {@code veto-on-disagreement} disagrees outright (level 0)
   * in the {@code levels} column; a missing value (level -1) vetoes nothing.
   */
  static Column notVetoed(IdentitySettings.Probabilistic settings) {
    Column ok = lit(true);
    List<IdentitySettings.ComparisonSpec> specs = settings.comparisons();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).vetoOnDisagreement()) {
        ok = ok.and(element_at(col(LEVELS), i + 1).notEqual(0));
      }
    }
    return ok;
  }

  /** Number of compared fields of a levelled pair that agree at all (level above 0). */
  static Column agreeingFields() {
    return org.apache.spark.sql.functions.aggregate(col(LEVELS), lit(0),
        (acc, x) -> acc.plus(when(x.gt(0), lit(1)).otherwise(lit(0))));
  }

  /** One comparator as a Spark function; small serialisable state. */
  static final class LevelFunction implements UDF2<String, String, Integer> {
    private static final long serialVersionUID = 1L;
    private final Comparison comparison;

    LevelFunction(Comparison comparison) {
      this.comparison = comparison;
    }

    @Override
    public Integer call(String a, String b) {
      return comparison.level(a, b);
    }
  }

  /** One comparator with a swapped level as a Spark function: (a, b, a_swap, b_swap). */
  static final class SwapLevelFunction implements UDF4<String, String, String, String, Integer> {
    private static final long serialVersionUID = 1L;
    private final Comparison comparison;

    SwapLevelFunction(Comparison comparison) {
      this.comparison = comparison;
    }

    @Override
    public Integer call(String a, String b, String aSwap, String bSwap) {
      return comparison.level(a, b, aSwap, bSwap);
    }
  }

  /**
   * {@code n} random pairs of matchable nodes, drawn deterministically (a pair is a function
   * of its index), with both sides' compared fields: the sample u is estimated from.
   */
  static Dataset<Row> randomPairs(SparkSession spark, Dataset<Row> matchable,
      List<Comparison> comparisons, long n, long nodeCount) {
    Dataset<Row> indexed = matchable
        .withColumn("idx", row_number().over(Window.orderBy(
            xxhash64(col(IdentityColumns.NODE_ID), lit(17)), col(IdentityColumns.NODE_ID)))
            .minus(1));
    Dataset<Row> draws = spark.range(n).select(
        pmod(xxhash64(col("id"), lit(1)), lit(nodeCount)).as("ia"),
        pmod(xxhash64(col("id"), lit(2)), lit(nodeCount)).as("ib"))
        .where(col("ia").notEqual(col("ib")));
    Dataset<Row> ids = indexed.select(col("idx"), col(IdentityColumns.NODE_ID));
    Dataset<Row> pairs = draws
        .join(ids.withColumnRenamed("idx", "ia")
            .withColumnRenamed(IdentityColumns.NODE_ID, IdentityColumns.NODE_A), "ia")
        .join(ids.withColumnRenamed("idx", "ib")
            .withColumnRenamed(IdentityColumns.NODE_ID, IdentityColumns.NODE_B), "ib")
        .select(col(IdentityColumns.NODE_A), col(IdentityColumns.NODE_B));
    return attachFields(pairs, matchable, comparisons);
  }

  /** Counts of each distinct level vector: the only thing EM needs. Collected. */
  static Map<Pattern, Long> countPatterns(Dataset<Row> levelled) {
    Map<Pattern, Long> out = new HashMap<>();
    for (Row r : levelled.groupBy(col(LEVELS)).count().collectAsList()) {
      List<Integer> levels = r.getList(0);
      int[] arr = new int[levels.size()];
      for (int i = 0; i < arr.length; i++) {
        arr[i] = levels.get(i);
      }
      out.put(new Pattern(arr), r.getLong(1));
    }
    return out;
  }

  /**
   * The node pairs {@code links} joins ({@code src, dst, rule}: the deterministic links),
   * levelled like candidate pairs ({@link #compareFields}), where a comparison of a field that a
   * linking rule matched on is missing (-1): a shared email says nothing about how often
   * matches agree on email, but much about how often they agree on name or address.
   *
   * @param ruleFields fields of each rule id; rules not in it (same_record) mask nothing
   */
  static Dataset<Row> levelledLinkedPairs(Dataset<Row> links, Dataset<Row> nodes,
      List<Comparison> comparisons, Map<String, List<String>> ruleFields) {
    Column fields = lit(null).cast(DataTypes.createArrayType(DataTypes.StringType));
    for (Map.Entry<String, List<String>> e : ruleFields.entrySet()) {
      fields = when(col(RULE).equalTo(e.getKey()), array(e.getValue().stream()
          .map(functions::lit).toArray(Column[]::new))).otherwise(fields);
    }
    Dataset<Row> pairs = links
        .select(least(col(IdentityGraph.SRC), col(IdentityGraph.DST)).as(IdentityColumns.NODE_A),
            greatest(col(IdentityGraph.SRC), col(IdentityGraph.DST)).as(IdentityColumns.NODE_B),
            coalesce(fields, array()).as(LINK_FIELDS))
        .where(col(IdentityColumns.NODE_A).notEqual(col(IdentityColumns.NODE_B)))
        .groupBy(col(IdentityColumns.NODE_A), col(IdentityColumns.NODE_B))
        .agg(array_distinct(flatten(collect_list(col(LINK_FIELDS)))).as(LINK_FIELDS));
    Dataset<Row> levelled = compareFields(attachFields(pairs, nodes, comparisons), comparisons);
    Column[] masked = new Column[comparisons.size()];
    for (int k = 0; k < masked.length; k++) {
      masked[k] = when(array_contains(col(LINK_FIELDS), comparisons.get(k).name()), lit(-1))
          .otherwise(col(LEVELS).getItem(k));
    }
    return levelled.withColumn(LEVELS, array(masked));
  }

  /**
   * m per comparison per level, from the level counts of pairs known to match
   * ({@link #levelledLinkedPairs}), with add-one smoothing; a null row for a comparison seen
   * on fewer than {@code minPairs} of them (EM estimates its m).
   */
  static double[][] mFromLinkedPairs(List<Comparison> comparisons, Map<Pattern, Long> linked,
      long minPairs) {
    double[][] m = new double[comparisons.size()][];
    for (int k = 0; k < comparisons.size(); k++) {
      double[] counts = levelCounts(linked, k, comparisons.get(k).levels());
      double total = java.util.Arrays.stream(counts).sum();
      if (total >= minPairs) {
        m[k] = smoothed(counts, total);
      }
    }
    return m;
  }

  /** u per comparison per level, from the level counts of random pairs. */
  static double[][] uFromRandom(List<Comparison> comparisons, Map<Pattern, Long> random) {
    double[][] u = new double[comparisons.size()][];
    for (int k = 0; k < comparisons.size(); k++) {
      double[] counts = levelCounts(random, k, comparisons.get(k).levels());
      u[k] = smoothed(counts, java.util.Arrays.stream(counts).sum());
    }
    return u;
  }

  /** How many of the counted pairs have each level of comparison {@code k} (-1 not counted). */
  private static double[] levelCounts(Map<Pattern, Long> patterns, int k, int levels) {
    double[] counts = new double[levels];
    for (Map.Entry<Pattern, Long> e : patterns.entrySet()) {
      int level = e.getKey().levels()[k];
      if (level >= 0) {
        counts[level] += e.getValue();
      }
    }
    return counts;
  }

  /** Level frequencies with add-one smoothing: a level never seen is rare, not impossible. */
  private static double[] smoothed(double[] counts, double total) {
    double[] p = new double[counts.length];
    for (int l = 0; l < counts.length; l++) {
      p[l] = (counts[l] + 1.0) / (total + counts.length);
    }
    return p;
  }

  /**
   * Match weight, probability and per-field evidence of levelled pairs under {@code model}.
   * {@code tf} maps a term-frequency field to its table (value, tf); an exact agreement on such
   * a field weighs {@code log2(chance / tf(value))} more, where chance is the sum of the
   * squared tf of the table (how often two random records agree on the field): see
   * {@link MatchModel#matchWeight(int[], double[])}.
   */
  static Dataset<Row> scorePairs(Dataset<Row> levelled, MatchModel model,
      Map<String, Dataset<Row>> tf) {
    List<Comparison> comparisons = model.comparisons();
    Dataset<Row> scored = levelled;
    Column weight = lit(log2Odds(model.lambda()));
    List<Column> evidence = new ArrayList<>();
    for (int k = 0; k < comparisons.size(); k++) {
      Comparison c = comparisons.get(k);
      Column level = col(LEVELS).getItem(k);
      Column w = lit(0.0);
      Column label = lit(c.levelLabel(-1));
      for (int l = 0; l < c.levels(); l++) {
        w = when(level.equalTo(l), lit(model.weight(k, l))).otherwise(w);
        label = when(level.equalTo(l), lit(c.levelLabel(l))).otherwise(label);
      }
      Dataset<Row> table = tf.get(c.name());
      if (table != null) {
        String tfCol = "tf_" + k;
        scored = scored.join(relativeFrequencies(table).withColumnRenamed("tf", tfCol)
                .withColumnRenamed("value", "tf_value_" + k),
            col(IdentityFields.side(A, c.name())).equalTo(col("tf_value_" + k)), "left")
            .drop("tf_value_" + k);
        int top = c.levels() - 1;
        w = when(level.equalTo(top).and(col(tfCol).isNotNull()),
            w.minus(log2(greatest(col(tfCol), lit(MatchModel.MIN_PROBABILITY)))))
            .otherwise(w);
      }
      weight = weight.plus(w);
      evidence.add(struct(lit(c.name()).as(IdentityColumns.FIELD),
          label.as(IdentityColumns.LEVEL), w.as(IdentityColumns.WEIGHT)));
    }
    return scored
        .withColumn(IdentityColumns.MATCH_WEIGHT, weight)
        .withColumn(IdentityColumns.MATCH_PROBABILITY,
            lit(1.0).divide(lit(1.0).plus(pow(lit(2.0), col(IdentityColumns.MATCH_WEIGHT)
                .multiply(-1)))))
        .withColumn(IdentityColumns.COMPARISONS, array(evidence.toArray(Column[]::new)));
  }

  /**
   * A term-frequency table (value, tf) with tf divided by the table's chance agreement, the sum
   * of its squared tf: 1 for a value as common as a typical agreement.
   */
  static Dataset<Row> relativeFrequencies(Dataset<Row> table) {
    Dataset<Row> chance = table.agg(
        org.apache.spark.sql.functions.sum(col("tf").multiply(col("tf"))).as("chance"));
    return table.crossJoin(chance)
        .select(col("value"), col("tf").divide(col("chance")).as("tf"));
  }

  /** Term frequencies of a field's values among matchable nodes: (value, tf). */
  static Dataset<Row> termFrequencies(Dataset<Row> matchable, String field) {
    Column v = IdentityFields.value(field);
    Dataset<Row> counts = matchable.where(v.isNotNull()).groupBy(v.as("value"))
        .agg(count(lit(1)).as("n"));
    // the total joins as one row (no window over every value in one partition)
    Dataset<Row> total = counts.agg(org.apache.spark.sql.functions.sum(col("n")).as("total"));
    return counts.crossJoin(total)
        .select(col("value"), col("n").divide(col("total")).as("tf"));
  }

  static double log2Odds(double p) {
    return Math.log(p / (1 - p)) / Math.log(2);
  }

  /** Rows of {@code cdp_silver.identity_model} for a model. */
  static List<Row> modelRows(MatchModel model, String runId, java.sql.Timestamp at) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < model.comparisons().size(); k++) {
      Comparison c = model.comparisons().get(k);
      for (int l = 0; l < c.levels(); l++) {
        rows.add(org.apache.spark.sql.RowFactory.create(runId, c.name(), l, c.levelLabel(l),
            model.m()[k][l], model.u()[k][l], model.weight(k, l), model.lambda(), at));
      }
    }
    return rows;
  }
}
