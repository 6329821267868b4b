package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the gold model tables: features, scores, model registry. */
public final class MlColumns {
  private MlColumns() {}

  public static final String CUSTOMER_ID = "customer_id";
  public static final String AS_OF = "as_of";
  public static final String FEATURES = "features";
  public static final String RUN_ID = "run_id";
  public static final String COMPUTED_AT = "computed_at";

  /** {@code cdp_gold.customer_features}: one row per customer and as-of date. */
  public static final StructType FEATURES_TABLE = new StructType()
      .add(CUSTOMER_ID, StringType, false, "Persistent CDP customer id")
      .add(AS_OF, DateType, false,
          "Cutoff: only events with event_time before this day (00:00 UTC) are used")
      .add(FEATURES, DataTypes.createMapType(StringType, DoubleType, true), false,
          "Feature name to value, e.g. features['recency_days'] (see README, Models)")
      .add(RUN_ID, StringType, false, "Train or score run that computed the row")
      .add(COMPUTED_AT, TimestampType, false, "When (UTC)");

  // scores: the schema agreed with the profile stage
  public static final String MODEL = "model";
  public static final String MODEL_VERSION = "model_version";
  public static final String SCORE = "score";
  public static final String HORIZON_DAYS = "horizon_days";
  public static final String SCORED_AT = "scored_at";

  /** {@code cdp_gold.customer_scores}: one row per customer, model and as-of date. */
  public static final StructType SCORES = new StructType()
      .add(CUSTOMER_ID, StringType, false, "Persistent CDP customer id")
      .add(MODEL, StringType, false, "churn | propensity | clv")
      .add(MODEL_VERSION, StringType, false, "Champion version that scored (model_registry)")
      .add(SCORE, DoubleType, false,
          "churn, propensity: probability; clv: expected spend in the horizon")
      .add(HORIZON_DAYS, IntegerType, false, "Days after as_of the score is about")
      .add(AS_OF, DateType, false, "Cutoff of the features: events before this day")
      .add(SCORED_AT, TimestampType, false, "When (UTC)")
      .add(RUN_ID, StringType, false, "Score run");

  // registry
  public static final String VERSION = "version";
  public static final String ALGORITHM = "algorithm";
  public static final String CATEGORY = "category";
  public static final String PROMOTED = "promoted";
  public static final String DECISION = "decision";
  public static final String COMPARED_WITH = "compared_with";
  public static final String PARAMS = "params";
  public static final String METRICS = "metrics";
  public static final String CALIBRATION = "calibration";
  public static final String DECILE = "decile";
  public static final String ROWS = "rows";
  public static final String MEAN_PREDICTED = "mean_predicted";
  public static final String OBSERVED = "observed";
  public static final String FEATURE_LIST = "feature_list";
  public static final String TRAIN_CUTOFFS = "train_cutoffs";
  public static final String VALIDATION_CUTOFF = "validation_cutoff";
  public static final String TRAIN_ROWS = "train_rows";
  public static final String VALIDATION_ROWS = "validation_rows";
  public static final String DATA_VERSIONS = "data_versions";
  public static final String CONFIG_HASH = "config_hash";
  public static final String MODEL_PATH = "model_path";
  public static final String CREATED_AT = "created_at";

  /** One calibration bin. */
  public static final StructType CALIBRATION_BIN = new StructType()
      .add(DECILE, IntegerType, true)
      .add(ROWS, LongType, true)
      .add(MEAN_PREDICTED, DoubleType, true)
      .add(OBSERVED, DoubleType, true);

  /** {@code cdp_gold.model_registry}: one row per trained model version, append-only. */
  public static final StructType REGISTRY = new StructType()
      .add(MODEL, StringType, false, "churn | propensity | clv")
      .add(VERSION, StringType, false, "Version, e.g. churn-v3")
      .add(ALGORITHM, StringType, false, "gbt | logistic")
      .add(HORIZON_DAYS, IntegerType, false, "Label horizon in days")
      .add(CATEGORY, StringType, true, "propensity: purchase category of the label, else null")
      .add(PROMOTED, BooleanType, false,
          "Became champion; the champion is the latest promoted version")
      .add(DECISION, StringType, false, "Why it was promoted or not")
      .add(COMPARED_WITH, StringType, true, "Champion it was compared with, null when none")
      .add(PARAMS, DataTypes.createMapType(StringType, StringType), false,
          "Chosen hyperparameters and the grid searched")
      .add(METRICS, DataTypes.createMapType(StringType, DoubleType), false,
          "Validation metrics, the recency baseline's and the champion's on the same data")
      .add(CALIBRATION, DataTypes.createArrayType(CALIBRATION_BIN, true), false,
          "Per decile of predicted value: rows, mean prediction, observed mean")
      .add(FEATURE_LIST, DataTypes.createArrayType(StringType, true), false,
          "Features the model reads, in order")
      .add(TRAIN_CUTOFFS, DataTypes.createArrayType(DateType, true), false,
          "Cutoffs of the training snapshots")
      .add(VALIDATION_CUTOFF, DateType, false, "Cutoff of the validation snapshot")
      .add(TRAIN_ROWS, LongType, false, "Training rows (customer x cutoff)")
      .add(VALIDATION_ROWS, LongType, false, "Validation rows")
      .add(DATA_VERSIONS, DataTypes.createMapType(StringType, LongType), false,
          "Delta version of each table read, by table name")
      .add(CONFIG_HASH, StringType, false, "Configuration hash of the training run")
      .add(MODEL_PATH, StringType, false, "Saved MLlib PipelineModel")
      .add(RUN_ID, StringType, false, "Train run")
      .add(CREATED_AT, TimestampType, false, "When (UTC)");
}
