package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.config.MlSettings;
import org.lakecdp.core.config.MlSettings.ModelSpec;

/**
 * MLlib pipelines of the three models: a VectorAssembler over the feature columns, then
 * gradient-boosted trees (classifier for churn and propensity, regressor for clv) or a
 * scaled logistic regression, and the grid of hyperparameters from configuration; the
 * classifiers optionally followed by a Platt ({@link #calibrate}) or isotonic
 * ({@link #calibrateIsotonic}) calibration.
 */
public final class ModelPipelines {
  private ModelPipelines() {}

  static final String VECTOR = "_features";
  static final String SCORED = "_score";
  static final String MARGIN = "_margin";
  static final String CALIBRATED = "_calibrated_probability";
  private static final String CALIBRATION_SCORE = "_uncalibrated_probability";

  /** Whether a model predicts a probability (churn, propensity) or an amount (clv). */
  public static boolean isClassifier(String model) {
    return !model.equals("clv");
  }

  /** The pipeline and its grid of parameter maps. */
  public record Tunable(Pipeline pipeline, ParamMap[] grid, Evaluator evaluator) {}

  /** Pipeline, grid and tuning metric of one model over {@code features}. */
  public static Tunable tunable(ModelSpec spec, List<String> features, long seed) {
    VectorAssembler assembler = new VectorAssembler()
        .setInputCols(features.toArray(String[]::new)).setOutputCol(VECTOR)
        .setHandleInvalid("keep");
    List<PipelineStage> stages = new ArrayList<>(List.of(assembler));
    ParamGridBuilder grid = new ParamGridBuilder();
    Evaluator evaluator;
    if (!isClassifier(spec.name())) {
      GBTRegressor gbt = new GBTRegressor().setFeaturesCol(VECTOR)
          .setLabelCol(CustomerFeatures.LABEL).setSeed(seed);
      gbtGrid(grid, spec.grid(), gbt.maxDepth(), gbt.maxIter(), gbt.stepSize());
      stages.add(gbt);
      evaluator = new RegressionEvaluator().setLabelCol(CustomerFeatures.LABEL)
          .setMetricName("rmse");
    } else {
      if (spec.algorithm() == MlSettings.Algorithm.GBT) {
        GBTClassifier gbt = new GBTClassifier().setFeaturesCol(VECTOR)
            .setLabelCol(CustomerFeatures.LABEL).setSeed(seed);
        gbtGrid(grid, spec.grid(), gbt.maxDepth(), gbt.maxIter(), gbt.stepSize());
        stages.add(gbt);
      } else {
        StandardScaler scaler = new StandardScaler().setInputCol(VECTOR)
            .setOutputCol(VECTOR + "_scaled");
        LogisticRegression lr = new LogisticRegression().setFeaturesCol(VECTOR + "_scaled")
            .setLabelCol(CustomerFeatures.LABEL);
        add(grid, lr.regParam(), spec.grid().get("reg-param"), false);
        add(grid, lr.elasticNetParam(), spec.grid().get("elastic-net-param"), false);
        add(grid, lr.maxIter(), spec.grid().get("max-iter"), true);
        stages.add(scaler);
        stages.add(lr);
      }
      evaluator = new BinaryClassificationEvaluator().setLabelCol(CustomerFeatures.LABEL)
          .setMetricName("areaUnderROC");
    }
    return new Tunable(new Pipeline().setStages(stages.toArray(PipelineStage[]::new)),
        grid.build(), evaluator);
  }

  private static void gbtGrid(ParamGridBuilder grid, Map<String, List<Double>> values,
      Param<Object> maxDepth, Param<Object> maxIter, Param<Object> stepSize) {
    add(grid, maxDepth, values.get("max-depth"), true);
    add(grid, maxIter, values.get("max-iter"), true);
    add(grid, stepSize, values.get("step-size"), false);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void add(ParamGridBuilder grid, Param param, List<Double> values,
      boolean whole) {
    if (values == null) {
      return;
    }
    List<Object> typed = new ArrayList<>();
    for (double v : values) {
      typed.add(whole ? (Object) (int) v : (Object) v);
    }
    grid.addGrid(param, scala.jdk.javaapi.CollectionConverters.asScala(typed));
  }

  /** The chosen hyperparameters of a param map, by parameter name. */
  public static Map<String, String> describe(ParamMap params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ParamPair<?> pair : scala.jdk.javaapi.CollectionConverters.asJava(
        params.toSeq())) {
      out.put(pair.param().name(), String.valueOf(pair.value()));
    }
    return out;
  }

  /**
   * Platt scaling of a fitted classifier: {@code model} followed by a logistic regression of
   * {@code rows}' labels on the model's margin (the positive entry of {@code rawPrediction}),
   * fitted on {@code rows}, which must be rows the model was not trained on. The margin enters
   * with a positive weight when the model ranks at all, so the ranking is unchanged.
   */
  public static PipelineModel calibrate(PipelineModel model, Dataset<Row> rows) {
    VectorSlicer margin = new VectorSlicer().setInputCol("rawPrediction").setOutputCol(MARGIN)
        .setIndices(new int[] {1});
    LogisticRegression platt = new LogisticRegression().setFeaturesCol(MARGIN)
        .setLabelCol(CustomerFeatures.LABEL).setRegParam(0.0).setMaxIter(100)
        .setProbabilityCol(CALIBRATED).setRawPredictionCol(CALIBRATED + "_raw")
        .setPredictionCol(CALIBRATED + "_prediction");
    return new Pipeline().setStages(new PipelineStage[] {model, margin, platt}).fit(rows);
  }

  /**
   * Isotonic calibration of a fitted classifier: {@code model} followed by a non-decreasing
   * map from the model's probability of the positive class to {@code rows}' observed rate
   * (pool-adjacent-violators, linear between its points), fitted on {@code rows}, which must
   * be rows the model was not trained on. Unlike Platt's two parameters it can bend both ends
   * of the scale; being monotone it keeps the ranking, but where the map is flat
   * probabilities become ties.
   *
   * <p>The map is fitted with one pseudo-observation of the opposite outcome at each end of
   * the scale, a positive at probability 0 and a negative at probability 1 (add-one
   * smoothing of the end blocks): the rows of {@code rows} whose lowest scores all failed, or
   * highest all succeeded, would otherwise map to exactly 0 or 1, a certainty that a single
   * later exception turns into an unbounded log loss. Every mapped probability lies in
   * (0, 1): the lowest block's rate is at least 1/(n+1), the highest at most n/(n+1).
   */
  public static PipelineModel calibrateIsotonic(PipelineModel model, Dataset<Row> rows) {
    StructType schema = new StructType().add(CALIBRATION_SCORE, DataTypes.DoubleType)
        .add(CustomerFeatures.LABEL, DataTypes.DoubleType);
    Dataset<Row> held = model.transform(rows).select(
        functions.vector_to_array(col("probability"), "float64").getItem(1)
            .as(CALIBRATION_SCORE),
        col(CustomerFeatures.LABEL).cast(DataTypes.DoubleType).as(CustomerFeatures.LABEL));
    Dataset<Row> ends = rows.sparkSession().createDataFrame(List.of(
        RowFactory.create(0.0, 1.0), RowFactory.create(1.0, 0.0)), schema);
    IsotonicRegressionModel map = new IsotonicRegression().setFeaturesCol(CALIBRATION_SCORE)
        .setIsotonic(true).setLabelCol(CustomerFeatures.LABEL)
        .fit(held.unionByName(ends));
    // applied to the model's probability vector, as it scores
    map.setFeaturesCol("probability").setFeatureIndex(1).setPredictionCol(CALIBRATED);
    return new Pipeline().setStages(new PipelineStage[] {model, map}).fit(rows);
  }

  /**
   * Rows of {@code features} with the model's score in {@code _score}: the (calibrated, when
   * the model has a calibration stage: Platt's probability vector or the isotonic map's
   * number) probability of the positive class, or the predicted amount floored at 0.
   */
  public static Dataset<Row> score(PipelineModel model, Dataset<Row> features,
      String modelName) {
    Dataset<Row> predicted = model.transform(features);
    Column score;
    if (!isClassifier(modelName)) {
      score = greatest(col("prediction"), lit(0.0));
    } else if (!java.util.Arrays.asList(predicted.columns()).contains(CALIBRATED)) {
      score = functions.vector_to_array(col("probability"), "float64").getItem(1);
    } else if (predicted.schema().apply(CALIBRATED).dataType() instanceof DoubleType) {
      score = col(CALIBRATED);
    } else {
      score = functions.vector_to_array(col(CALIBRATED), "float64").getItem(1);
    }
    return predicted.withColumn(SCORED, score);
  }
}
