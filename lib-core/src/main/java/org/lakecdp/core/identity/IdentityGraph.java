package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.array_join;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.IdentitySettings;
import org.lakecdp.core.lake.IdentityColumns;

/**
 * Identity nodes and the deterministic edges between them.
 *
 * <p>A <b>node</b> groups the records whose standardised identity is identical and carries at
 * least one usable identifier (all page views of one cookie, all orders written the same
 * way), so matching works on distinct identities, not on events. A record without any usable
 * identifier is a node of its own: two such records are never assumed to be one person just
 * because they look alike; only the model may link them. Node ids are 64-bit hashes of the
 * node key, stable across runs.
 */
public final class IdentityGraph {
  private IdentityGraph() {}

  static final String SRC = "src";
  static final String DST = "dst";
  static final String SAME_RECORD = "same_record";
  private static final String ABSENT = "\u0002";

  /** Standardised columns that make a node's identity. */
  static final List<String> NODE_COLUMNS = nodeColumns();

  private static List<String> nodeColumns() {
    List<String> c = new ArrayList<>(IdentityColumns.IDENTIFIERS);
    c.add(IdentityColumns.EMAIL_VALID);
    c.addAll(IdentityColumns.ATTRIBUTES);
    c.add(IdentityColumns.DATE_OF_BIRTH);
    c.addAll(IdentityColumns.DERIVED);
    c.add(IdentityColumns.EXTRA);
    c.add(IdentityColumns.UNUSABLE);
    return List.copyOf(c);
  }

  /** Adds {@code node_id}. Records need {@code unusable} (see {@link Guardrails}). */
  static Dataset<Row> assignNodes(Dataset<Row> records, IdentitySettings settings) {
    Column strong = lit(false);
    for (String f : Guardrails.linkFields(settings)) {
      strong = strong.or(Guardrails.usable(f).isNotNull());
    }
    List<Column> parts = new ArrayList<>();
    parts.add(lit("s"));
    for (String c : IdentityColumns.IDENTIFIERS) {
      parts.add(coalesce(col(c), lit(ABSENT)));
    }
    for (String c : IdentityColumns.ATTRIBUTES) {
      parts.add(coalesce(col(c), lit(ABSENT)));
    }
    parts.add(coalesce(col(IdentityColumns.DATE_OF_BIRTH).cast(DataTypes.StringType),
        lit(ABSENT)));
    parts.add(coalesce(to_json(col(IdentityColumns.EXTRA)), lit(ABSENT)));
    parts.add(array_join(col(IdentityColumns.UNUSABLE), ","));
    Column key = when(strong, concat_ws("\u0001", parts.toArray(Column[]::new)))
        .otherwise(concat_ws("\u0001", lit("r"), col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY),
            col(IdentityColumns.RECORD_HASH).cast(DataTypes.StringType)));
    return records.withColumn(IdentityColumns.NODE_ID, xxhash64(key));
  }

  /**
   * One row per node: its identity columns, a representative record (the smallest source and
   * record key) and its number of records.
   */
  public static Dataset<Row> nodes(Dataset<Row> records) {
    List<Column> aggs = new ArrayList<>();
    for (String c : NODE_COLUMNS) {
      aggs.add(first(col(c)).as(c));
    }
    aggs.add(count(lit(1)).as(IdentityColumns.RECORDS));
    return records.groupBy(col(IdentityColumns.NODE_ID))
        .agg(min(struct(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY)))
            .as("rep"), aggs.toArray(Column[]::new))
        .withColumn(IdentityColumns.SOURCE, col("rep." + IdentityColumns.SOURCE))
        .withColumn(IdentityColumns.RECORD_KEY, col("rep." + IdentityColumns.RECORD_KEY))
        .drop("rep");
  }

  /**
   * The value a rule links on (its fields' usable values joined), null when any is absent or
   * unusable.
   */
  static Column ruleValue(IdentitySettings.Rule rule) {
    List<Column> values = new ArrayList<>();
    Column present = lit(true);
    for (String f : rule.fields()) {
      Column u = Guardrails.usable(f);
      values.add(u);
      present = present.and(u.isNotNull());
    }
    return when(present, concat_ws("|", values.toArray(Column[]::new)));
  }

  /**
   * Deterministic edges: for each rule, every node whose rule values are all usable links to
   * the smallest node with the same values (a star, not every pair). Versions of one source
   * record link to each other by {@value #SAME_RECORD}. Columns: src, dst (src &gt; dst),
   * rule, value, priority. A pair found by several rules keeps the first rule's evidence.
   */
  static Dataset<Row> linkByRules(Dataset<Row> nodes, Dataset<Row> records,
      IdentitySettings settings) {
    Dataset<Row> edges = records.select(col(IdentityColumns.NODE_ID).as(SRC),
            min(col(IdentityColumns.NODE_ID)).over(Window.partitionBy(
                col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY))).as(DST),
            concat_ws("/", col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY))
                .as(IdentityColumns.VALUE))
        .where(col(SRC).notEqual(col(DST)))
        .dropDuplicates(SRC, DST)
        .select(col(SRC), col(DST), lit(SAME_RECORD).as(IdentityColumns.RULE),
            col(IdentityColumns.VALUE), lit(0).as("priority"));
    int priority = 1;
    for (IdentitySettings.Rule rule : settings.rules()) {
      Dataset<Row> ruleEdges = nodes.select(col(IdentityColumns.NODE_ID).as(SRC),
              ruleValue(rule).as(IdentityColumns.VALUE))
          .where(col(IdentityColumns.VALUE).isNotNull())
          .withColumn(DST, min(col(SRC)).over(Window.partitionBy(col(IdentityColumns.VALUE))))
          .where(col(SRC).notEqual(col(DST)))
          .select(col(SRC), col(DST), lit(rule.id()).as(IdentityColumns.RULE),
              col(IdentityColumns.VALUE), lit(priority).as("priority"));
      edges = edges.unionByName(ruleEdges);
      priority++;
    }
    return edges
        .withColumn("rank", org.apache.spark.sql.functions.row_number().over(
            Window.partitionBy(col(SRC), col(DST)).orderBy(col("priority"))))
        .where(col("rank").equalTo(1))
        .drop("rank", "priority");
  }
}
