package org.lakecdp.core.segment;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ntile;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * Column-level steps of segment evaluation: the run columns conditions read, the holdout
 * hash, and the lookalike similarity. No actions here; {@link Segments} decides when to
 * materialise.
 */
public final class SegmentEvaluation {
  /** Holdout buckets: a customer's bucket is in [0, BUCKETS). */
  public static final int BUCKETS = 10_000;

  private SegmentEvaluation() {}

  /**
   * Adds {@code run_date} (the logical date) and, for each score, {@code <score>_decile}:
   * 1-10 by ascending score among the customers that have one (10 = the highest tenth), null
   * without a score. Ties are split by customer id, so deciles are deterministic.
   */
  public static Dataset<Row> addRunColumns(Dataset<Row> profiles, LocalDate runDate) {
    Dataset<Row> out = profiles.withColumn(SegmentCatalog.RUN_DATE,
        lit(java.sql.Date.valueOf(runDate)));
    for (String score : SegmentCatalog.rankedScores()) {
      Column s = col(score);
      out = out.withColumn(score + SegmentCatalog.DECILE, when(s.isNotNull(), ntile(10).over(
          Window.partitionBy(s.isNull()).orderBy(s, col(ProfileColumns.CUSTOMER_ID)))));
    }
    return out;
  }

  /**
   * True for customers in the holdout of {@code segment}: their bucket (see {@link #bucket})
   * is below {@code percent} x 100, so a customer stays in or out across runs, and raising
   * the percentage only adds customers.
   */
  public static Column holdout(String segment, double percent) {
    if (percent <= 0) {
      return lit(false);
    }
    Column hex = substring(sha2(concat(lit(segment + ":"), col(ProfileColumns.CUSTOMER_ID)),
        256), 1, 15);
    return conv(hex, 16, 10).cast("long").mod(lit(BUCKETS))
        .lt(lit(Math.round(percent * BUCKETS / 100.0)));
  }

  /**
   * A customer's holdout bucket for a segment: the first 60 bits of
   * SHA-256({@code segment + ":" + customerId}) modulo {@link #BUCKETS}. The same value the
   * Spark column of {@link #holdout} computes.
   */
  public static int bucket(String segment, String customerId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest((segment + ":" + customerId).getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return (int) ((v >>> 4) % BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The z-score of each feature: {@code (x - mean) / stddev}, a missing value counting as
   * the mean, 0 when the feature does not vary.
   */
  public static Column[] standardize(List<String> features, double[] means, double[] stddevs) {
    Column[] z = new Column[features.size()];
    for (int i = 0; i < z.length; i++) {
      Column x = coalesce(col(features.get(i)).cast("double"), lit(means[i]));
      z[i] = stddevs[i] > 0 ? x.minus(lit(means[i])).divide(lit(stddevs[i])) : lit(0.0);
    }
    return z;
  }

  /**
   * Cosine similarity of the standardised features {@code z} to {@code centroid}; null when
   * either vector is zero.
   */
  public static Column cosine(Column[] z, double[] centroid) {
    double norm = 0;
    for (double c : centroid) {
      norm += c * c;
    }
    if (norm == 0) {
      return lit(null).cast("double");
    }
    Column dot = lit(0.0);
    Column squares = lit(0.0);
    for (int i = 0; i < z.length; i++) {
      dot = dot.plus(z[i].multiply(lit(centroid[i])));
      squares = squares.plus(z[i].multiply(z[i]));
    }
    return when(squares.gt(0), dot.divide(sqrt(squares).multiply(lit(Math.sqrt(norm)))));
  }
}
