package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * Model scores of {@code cdp_gold.customer_scores} (customer_id, model, model_version, score,
 * horizon_days, as_of, scored_at, run_id), written by the scoring job, as profile columns.
 */
public final class Scores {
  private Scores() {}

  static final String MODEL = "model";
  static final String AS_OF = "as_of";

  /**
   * Per customer with scores: for each model of {@link ProfileColumns#MODELS}, the score,
   * horizon, model version and scoring time of its latest row with {@code as_of} at most
   * {@code asOf} (latest scored_at, then as_of, then the shortest horizon, then the greatest
   * model version).
   */
  public static Dataset<Row> latestScores(Dataset<Row> scores, LocalDate asOf) {
    Dataset<Row> latest = scores
        .where(col(AS_OF).leq(lit(java.sql.Date.valueOf(asOf))))
        .withColumn(MODEL, lower(col(MODEL)))
        .where(col(MODEL).isin(ProfileColumns.MODELS.toArray()))
        .withColumn("v", row_number().over(Window.partitionBy(col(IdentityColumns.CUSTOMER_ID),
                col(MODEL))
            .orderBy(col(ProfileColumns.SCORED_AT).desc(), col(AS_OF).desc(),
                col(ProfileColumns.HORIZON_DAYS).asc(), col(ProfileColumns.MODEL_VERSION).desc())))
        .where(col("v").equalTo(1));
    List<Column> aggs = new ArrayList<>();
    for (String model : ProfileColumns.MODELS) {
      for (String field : ProfileColumns.SCORE_FIELDS) {
        aggs.add(max(when(col(MODEL).equalTo(model), col(field)))
            .as(ProfileColumns.scoreColumn(model, field)));
      }
    }
    return latest.groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }
}
