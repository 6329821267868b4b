package org.lakecdp.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Platt calibration of a classifier trained where the outcome depended on its feature
 * otherwise than it does now (drift between training and the held-out cutoff), on data
 * whose true probability is known.
 */
@ExtendWith(SparkTestSession.class)
class ModelCalibrationTest {
  private static final int ROWS = 6000;

  /** Rows of one feature x in [0, 1) with P(label = 1) = 1 / (1 + exp(-(a x + b))). */
  private static Dataset<Row> rows(SparkSession spark, double a, double b, long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      double x = random.nextDouble();
      double p = 1 / (1 + Math.exp(-(a * x + b)));
      rows.add(RowFactory.create(x, random.nextDouble() < p ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("x", DataTypes.DoubleType)
        .add(CustomerFeatures.LABEL, DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static double[][] scored(PipelineModel model, Dataset<Row> rows) {
    List<Row> out = ModelPipelines.score(model, rows, "churn")
        .select("x", ModelPipelines.SCORED, CustomerFeatures.LABEL).orderBy("x").collectAsList();
    double[][] columns = new double[2][out.size()];
    for (int i = 0; i < out.size(); i++) {
      columns[0][i] = out.get(i).getDouble(1);
      columns[1][i] = out.get(i).getDouble(2);
    }
    return columns;
  }

  @Test
  void plattScalingCalibratesADriftedModelWithoutChangingItsRanking(SparkSession spark) {
    Dataset<Row> train = rows(spark, 8, -5, 1);
    Dataset<Row> held = rows(spark, 4, -1, 2);
    Dataset<Row> valid = rows(spark, 4, -1, 3);
    PipelineModel drifted = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"x"})
            .setOutputCol(ModelPipelines.VECTOR),
        new LogisticRegression().setFeaturesCol(ModelPipelines.VECTOR)
            .setLabelCol(CustomerFeatures.LABEL)}).fit(train);
    PipelineModel calibrated = ModelPipelines.calibrate(drifted, held);

    double[][] before = scored(drifted, valid);
    double[][] after = scored(calibrated, valid);
    double errorBefore = ModelMetrics.maxCalibrationError(ModelMetrics.deciles(before[0],
        before[1]));
    double errorAfter = ModelMetrics.maxCalibrationError(ModelMetrics.deciles(after[0],
        after[1]));
    assertThat(errorBefore).as("the drifted model is off by more than 0.2 in some decile")
        .isGreaterThan(0.2);
    assertThat(errorAfter).as("calibrated: every decile of 600 rows within 0.07")
        .isLessThan(0.07);
    assertThat(ModelMetrics.logLoss(after[0], after[1]))
        .isLessThan(ModelMetrics.logLoss(before[0], before[1]));
    // a logistic regression with an intercept predicts, on its own fitting rows, on average
    // exactly the observed rate
    double[][] onHeld = scored(calibrated, held);
    assertThat(java.util.Arrays.stream(onHeld[0]).average().orElseThrow())
        .isCloseTo(java.util.Arrays.stream(onHeld[1]).average().orElseThrow(), within(1e-4));
    // a monotone map of the margin: the ranking (and the ROC AUC) stays the same
    for (int i = 1; i < ROWS; i++) {
      assertThat(Double.compare(after[0][i], after[0][i - 1]))
          .isEqualTo(Double.compare(before[0][i], before[0][i - 1]));
    }
    assertThat(ModelMetrics.rocAuc(after[0], after[1]))
        .isCloseTo(ModelMetrics.rocAuc(before[0], before[1]), within(1e-12));
  }
}
