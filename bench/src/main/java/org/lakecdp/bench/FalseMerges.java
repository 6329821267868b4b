package org.lakecdp.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;

/**
 * Where the false pairs of a clustering come from, against the truth: how many lie inside one
 * identity node (records with identical identity fields but two persons), which links joined
 * two persons (by rule; model links by match weight), and the customers carrying the most
 * false pairs. A diagnostic of the identity benchmark, printed beside its precision.
 *
 * <p>A node's person is the person most of its records belong to; a link is wrong when the
 * persons of its two nodes differ.
 */
final class FalseMerges {
  private static final int SHOWN = 8;

  private FalseMerges() {
  }

  /**
   * Prints the breakdown for the identity tables of {@code lake}; {@code truth} has columns
   * record (source/record_key) and entity. Puts its totals into {@code results}.
   */
  static void explain(Lakehouse lake, Dataset<Row> truth, Map<String, Object> results) {
    Dataset<Row> members = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .select(IdentityBenchmark.recordId(), col(IdentityColumns.CUSTOMER_ID),
            col(IdentityColumns.NODE_ID))
        .join(truth, "record").cache();
    try {
      long inClusters = falsePairs(members, col(IdentityColumns.CUSTOMER_ID));
      long inNodes = falsePairs(members, col(IdentityColumns.NODE_ID));
      long impureNodes = members.groupBy(col(IdentityColumns.NODE_ID))
          .agg(countDistinct(col("entity")).as("persons")).where(col("persons").gt(1)).count();
      System.out.printf(Locale.ROOT, "  false pairs: %,d, of which %,d inside %,d identity nodes"
          + " holding records of several persons%n", inClusters, inNodes, impureNodes);
      results.put("false_pairs", inClusters);
      results.put("false_pairs_in_nodes", inNodes);
      results.put("impure_nodes", impureNodes);

      Dataset<Row> nodePerson = members.groupBy(col(IdentityColumns.NODE_ID), col("entity"))
          .agg(count(lit(1)).as("n"))
          .groupBy(col(IdentityColumns.NODE_ID))
          .agg(max_by(col("entity"), col("n")).as("entity"));
      Dataset<Row> links = lake.read(CdpTable.SILVER_IDENTITY_LINKS)
          .join(nodePerson.toDF("na", "ea"), col(IdentityColumns.NODE_A).equalTo(col("na")))
          .join(nodePerson.toDF("nb", "eb"), col(IdentityColumns.NODE_B).equalTo(col("nb")))
          .withColumn("wrong", col("ea").notEqual(col("eb")))
          .cache();
      try {
        System.out.println("  links by rule (wrong = the two nodes' persons differ):");
        StringBuilder byRule = new StringBuilder();
        for (Row r : links.groupBy(col(IdentityColumns.RULE))
            .agg(count(lit(1)).as("links"), sum(when(col("wrong"), 1).otherwise(0)).as("wrong"))
            .orderBy(desc("wrong")).collectAsList()) {
          System.out.printf(Locale.ROOT, "    %-24s %,12d links, %,9d wrong%n",
              r.getString(0), r.getLong(1), r.getLong(2));
          byRule.append(byRule.isEmpty() ? "" : " ").append(r.getString(0)).append('=')
              .append(r.getLong(2)).append('/').append(r.getLong(1));
        }
        results.put("wrong_links_by_rule", byRule.toString());

        Dataset<Row> model = links.where(col(IdentityColumns.RULE).equalTo("model"));
        System.out.println("  model links by match weight (bits, 2-bit bins): wrong / all");
        for (Row r : model.groupBy(floor(col(IdentityColumns.MATCH_WEIGHT).divide(2))
                .multiply(2).as("bin"))
            .agg(count(lit(1)), sum(when(col("wrong"), 1).otherwise(0)))
            .orderBy(col("bin")).collectAsList()) {
          System.out.printf(Locale.ROOT, "    [%3d, %3d) %,9d / %,9d%n", r.getLong(0),
              r.getLong(0) + 2, r.getLong(2), r.getLong(1));
        }
        System.out.println("  model links by field and agreement level: wrong / all");
        for (Row r : model.select(col("wrong"),
                explode(col(IdentityColumns.COMPARISONS)).as("c"))
            .groupBy(col("c." + IdentityColumns.FIELD), col("c." + IdentityColumns.LEVEL))
            .agg(count(lit(1)), sum(when(col("wrong"), 1).otherwise(0)))
            .orderBy(col(IdentityColumns.FIELD), col(IdentityColumns.LEVEL)).collectAsList()) {
          System.out.printf(Locale.ROOT, "    %-14s %-22s %,9d / %,9d%n", r.getString(0),
              r.getString(1), r.getLong(3), r.getLong(2));
        }
        System.out.println("  wrong links, a sample (rule, value or weight, sides, comparisons):");
        for (Row r : links.where(col("wrong"))
            .orderBy(xxhashOrder()).limit(SHOWN * 2)
            .select(col(IdentityColumns.RULE), col(IdentityColumns.VALUE),
                col(IdentityColumns.MATCH_WEIGHT),
                concat_ws("/", col(IdentityColumns.SOURCE_A), col(IdentityColumns.RECORD_KEY_A)),
                concat_ws("/", col(IdentityColumns.SOURCE_B), col(IdentityColumns.RECORD_KEY_B)),
                to_json(col(IdentityColumns.COMPARISONS)))
            .collectAsList()) {
          System.out.printf(Locale.ROOT, "    %s %s %s <-> %s %s%n", r.getString(0),
              r.isNullAt(1) ? String.format(Locale.ROOT, "%.1f bits", r.getDouble(2))
                  : "'" + r.getString(1) + "'", r.getString(3), r.getString(4),
              r.isNullAt(5) ? "" : r.getString(5));
        }
      } finally {
        links.unpersist();
      }

      System.out.println("  customers with the most false pairs (records, persons, false pairs):");
      Dataset<Row> perPerson = members.groupBy(col(IdentityColumns.CUSTOMER_ID), col("entity"))
          .agg(count(lit(1)).as("n"))
          .groupBy(col(IdentityColumns.CUSTOMER_ID))
          .agg(sum(col("n")).as("records"), count(lit(1)).as("persons"),
              sum(col("n").multiply(col("n").minus(1)).divide(2)).as("same"))
          .withColumn("false", col("records").multiply(col("records").minus(1)).divide(2)
              .minus(col("same")))
          .where(col("persons").gt(1));
      long clusters = perPerson.count();
      for (Row r : perPerson.orderBy(desc("false")).limit(SHOWN).collectAsList()) {
        System.out.printf(Locale.ROOT, "    %s %,9d %,4d %,12.0f%n", r.getString(0),
            r.getLong(1), r.getLong(2), ((Number) r.getAs("false")).doubleValue());
      }
      System.out.printf(Locale.ROOT, "  %,d customers hold records of several persons%n",
          clusters);
      results.put("impure_customers", clusters);
    } finally {
      members.unpersist();
    }
  }

  /** Pairs of records sharing {@code group} that belong to different persons. */
  private static long falsePairs(Dataset<Row> members, Column group) {
    Row r = members.groupBy(group, col("entity")).agg(count(lit(1)).as("n"))
        .groupBy(group).agg(sum(col("n")).as("all"),
            sum(col("n").multiply(col("n").minus(1)).divide(2)).as("same"))
        .agg(sum(col("all").multiply(col("all").minus(1)).divide(2).minus(col("same")))
            .cast("long")).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  /** A stable, spread-out order for sampling rows. */
  private static Column xxhashOrder() {
    return org.apache.spark.sql.functions.xxhash64(col(IdentityColumns.NODE_A),
        col(IdentityColumns.NODE_B));
  }
}
