package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairwise precision, recall and F1 of a clustering against the truth, computed from cluster
 * sizes (no pair is ever materialised): a pair of records is predicted when both share a
 * predicted cluster, true when both share a true entity.
 *
 * @param truePositives pairs both predicted and true
 * @param predictedPairs pairs predicted
 * @param truePairs true pairs
 */
public record PairwiseQuality(long truePositives, long predictedPairs, long truePairs) {

  /**
   * Evaluates {@code predicted} (columns record, cluster) against {@code truth} (columns
   * record, entity). Records missing from either side are left out of both.
   */
  public static PairwiseQuality evaluate(Dataset<Row> predicted, Dataset<Row> truth) {
    Dataset<Row> both = predicted.join(truth, "record").cache();
    try {
      long tp = pairs(both.groupBy(col("cluster"), col("entity")));
      long pp = pairs(both.groupBy(col("cluster")));
      long tr = pairs(both.groupBy(col("entity")));
      return new PairwiseQuality(tp, pp, tr);
    } finally {
      both.unpersist();
    }
  }

  private static long pairs(org.apache.spark.sql.RelationalGroupedDataset groups) {
    Column n = col("n");
    Row r = groups.agg(count(lit(1)).as("n"))
        .agg(sum(n.multiply(n.minus(1)).divide(2)).cast("long")).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  public double precision() {
    return predictedPairs == 0 ? 1.0 : (double) truePositives / predictedPairs;
  }

  public double recall() {
    return truePairs == 0 ? 1.0 : (double) truePositives / truePairs;
  }

  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "precision %.4f, recall %.4f, F1 %.4f (%,d true positive of %,d predicted and %,d"
            + " true pairs)", precision(), recall(), f1(), truePositives, predictedPairs,
        truePairs);
  }
}
