package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.IdentitySettings;
import org.lakecdp.core.lake.IdentityColumns;

/**
 * Keeps bad identifier values from bridging people. A value is withheld from linking (listed
 * in the record's {@code unusable} column as {@code field: reason}) when it is:
 * <ul>
 *   <li>{@code invalid}: an email that is not syntactically valid;</li>
 *   <li>{@code null-like}: in {@code guardrails.null-like-values} or matching one of
 *       {@code guardrails.null-like-patterns};</li>
 *   <li>{@code over-shared}: seen with more than {@code max-distinct-per-value} distinct
 *       values of another anchor field (a shared store card, a family tablet).</li>
 * </ul>
 * The standardised value itself stays in the record; only linking ignores it.
 */
final class Guardrails {
  private Guardrails() {}

  static final String NULL_LIKE = "null-like";
  static final String OVER_SHARED = "over-shared";
  static final String INVALID = "invalid";

  /** Identifier fields the rules link on. */
  static List<String> linkFields(IdentitySettings settings) {
    Set<String> fields = new LinkedHashSet<>();
    settings.rules().forEach(r -> fields.addAll(r.fields()));
    return List.copyOf(fields);
  }

  /**
   * Adds {@code unusable} for invalid and null-like values. Pure per-row: no shuffle.
   */
  static Dataset<Row> markNullLike(Dataset<Row> records, IdentitySettings settings) {
    IdentitySettings.Guardrails g = settings.guardrails();
    List<Column> reasons = new ArrayList<>();
    for (String field : linkFields(settings)) {
      Column v = IdentityFields.value(field);
      Column nullLike = lower(v).isin(g.nullLikeValues().toArray());
      for (String pattern : g.nullLikePatterns()) {
        nullLike = nullLike.or(lower(v).rlike("^(?:" + pattern + ")$"));
      }
      reasons.add(when(v.isNotNull().and(nullLike), lit(field + ": " + NULL_LIKE)));
      if (field.equals(IdentityColumns.EMAIL)) {
        reasons.add(when(v.isNotNull().and(col(IdentityColumns.EMAIL_VALID).equalTo(false)),
            lit(field + ": " + INVALID)));
      }
    }
    Column unusable = reasons.isEmpty()
        ? array().cast(DataTypes.createArrayType(DataTypes.StringType))
        : array_compact(array(reasons.toArray(Column[]::new)));
    return records.withColumn(IdentityColumns.UNUSABLE, unusable);
  }

  /** A usable value of {@code field}: null when absent or listed in {@code unusable}. */
  static Column usable(String field) {
    Column v = IdentityFields.value(field);
    Column listed = org.apache.spark.sql.functions.exists(col(IdentityColumns.UNUSABLE),
        u -> u.startsWith(field + ": "));
    return when(v.isNotNull().and(org.apache.spark.sql.functions.not(listed)), v);
  }

  /**
   * Over-shared values of every link field: rows of (field, value, records, max distinct
   * anchor values), one per value over the limit. Small: meant to be broadcast.
   */
  static Dataset<Row> findOverShared(Dataset<Row> records, IdentitySettings settings) {
    return findOverShared(records, settings, null);
  }

  /**
   * As {@link #findOverShared(Dataset, IdentitySettings)}, judging only the values listed in
   * {@code only} (field -&gt; rows of {@code value}; null judges every value). A value's verdict
   * depends only on the records carrying it, so judging a few values over every record gives
   * the verdict a judgement of all values would.
   */
  static Dataset<Row> findOverShared(Dataset<Row> records, IdentitySettings settings,
      Map<String, Dataset<Row>> only) {
    IdentitySettings.Guardrails g = settings.guardrails();
    // One row per (link field value, other anchor); the distinct anchors are counted
    // exactly, by grouping on the anchor value first and counting the groups. (A
    // HyperLogLog sketch per group, approx_count_distinct at 1%, carries some 1,600
    // buffer words: over the tens of millions of (value, anchor) groups of a million
    // persons its aggregation spilled for most of an hour, where two plain ones take
    // minutes.)
    List<Column> pairs = new ArrayList<>();
    Dataset<Row> judged = null;
    for (String field : linkFields(settings)) {
      boolean anchored = false;
      for (String anchor : g.anchors()) {
        if (!anchor.equals(field)) {
          anchored = true;
          pairs.add(struct(lit(field).as("field"), usable(field).as("v"),
              lit(anchor).as("anchor"), usable(anchor).as("a")));
        }
      }
      if (anchored && only != null) {
        Dataset<Row> values = only.get(field).select(lit(field).as("field"),
            col("value").as("v"));
        judged = judged == null ? values : judged.unionByName(values);
      }
    }
    if (pairs.isEmpty()) {
      return null;
    }
    Dataset<Row> carrying = records.select(explode(array(pairs.toArray(Column[]::new)))
            .as("p"))
        .select(col("p.field"), col("p.v"), col("p.anchor"), col("p.a"))
        .where(col("v").isNotNull());
    if (judged != null) {
      carrying = carrying.join(broadcast(judged), new String[] {"field", "v"}, "left_semi");
    }
    return carrying
        .groupBy(col("field"), col("v"), col("anchor"), col("a"))
        .agg(count(lit(1)).as("records"))
        .groupBy(col("field"), col("v"), col("anchor"))
        .agg(sum(col("records")).as("records"), count(col("a")).as("n"))
        .groupBy(col("field"), col("v"))
        .agg(max(col("records")).as("records"), max(col("n")).as("widest"))
        .where(col("widest").gt(g.maxDistinctPerValue()))
        .select(col("field"), col("v").as("value"), col("records"), col("widest"));
  }

  /** Distinct usable values of each link field: field -&gt; rows of {@code value}. */
  static Map<String, Dataset<Row>> linkValues(Dataset<Row> records,
      IdentitySettings settings) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    for (String field : linkFields(settings)) {
      out.put(field, records.select(usable(field).as("value"))
          .where(col("value").isNotNull()).distinct());
    }
    return out;
  }

  /** Records without their {@code over-shared} marks: as {@link #markNullLike} left them. */
  static Dataset<Row> stripOverShared(Dataset<Row> records) {
    return records.withColumn(IdentityColumns.UNUSABLE,
        org.apache.spark.sql.functions.filter(col(IdentityColumns.UNUSABLE),
            u -> org.apache.spark.sql.functions.not(u.endsWith(": " + OVER_SHARED))));
  }

  /**
   * The (field, value) pairs marked over-shared in records written before, read from the
   * marks: {@code field, value}.
   */
  static Dataset<Row> markedOverShared(Dataset<Row> records, IdentitySettings settings) {
    List<Column> marked = new ArrayList<>();
    for (String field : linkFields(settings)) {
      marked.add(when(org.apache.spark.sql.functions.array_contains(
              col(IdentityColumns.UNUSABLE), field + ": " + OVER_SHARED),
          struct(lit(field).as("field"), IdentityFields.value(field).as("value"))));
    }
    if (marked.isEmpty()) {
      return records.select(lit("").as("field"), lit("").as("value")).limit(0);
    }
    return records.where(org.apache.spark.sql.functions.size(col(IdentityColumns.UNUSABLE))
            .gt(0))
        .select(org.apache.spark.sql.functions.explode(
            array_compact(array(marked.toArray(Column[]::new)))).as("m"))
        .select(col("m.field"), col("m.value")).distinct();
  }

  /** Adds {@code field: over-shared} to {@code unusable} of records carrying such values. */
  static Dataset<Row> markOverShared(Dataset<Row> records, Dataset<Row> overShared,
      IdentitySettings settings) {
    if (overShared == null) {
      return records;
    }
    Dataset<Row> out = records;
    List<String> fields = linkFields(settings);
    for (String field : fields) {
      Dataset<Row> values = overShared.where(col("field").equalTo(field))
          .select(col("value").as("over_value"), lit(true).as("over_flag"));
      out = out.withColumn("over_key", usable(field))
          .join(broadcast(values), col("over_key").equalTo(col("over_value")), "left")
          .withColumn(IdentityColumns.UNUSABLE, when(col("over_flag"),
              org.apache.spark.sql.functions.array_append(col(IdentityColumns.UNUSABLE),
                  lit(field + ": " + OVER_SHARED)))
              .otherwise(col(IdentityColumns.UNUSABLE)))
          .drop("over_key", "over_value", "over_flag");
    }
    return out;
  }

  /** Alert rows for over-shared values. */
  static Dataset<Row> overSharedAlerts(Dataset<Row> overShared, String runId) {
    return overShared.select(lit(runId).as(IdentityColumns.RUN_ID),
        lit("over_shared_value").as(IdentityColumns.KIND),
        concat(col("field"), lit("="), col("value")).as(IdentityColumns.SUBJECT),
        col("records").as(IdentityColumns.SIZE),
        concat(lit("seen with up to "), col("widest").cast(DataTypes.StringType),
            lit(" distinct values of another identifier; not used for linking"))
            .as(IdentityColumns.DETAIL),
        current_timestamp().as(IdentityColumns.AT));
  }
}
