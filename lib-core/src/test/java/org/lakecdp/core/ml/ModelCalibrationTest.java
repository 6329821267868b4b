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

  /**
   * A logistic regression fitted where P(label) followed {@code a0 x + b0}, with held-out and
   * validation rows where it now follows {@code a1 x + b1}.
   */
  private record Drifted(PipelineModel model, Dataset<Row> held, Dataset<Row> valid) {}

  private static Drifted drifted(SparkSession spark, double a0, double b0, double a1,
      double b1) {
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"x"})
            .setOutputCol(ModelPipelines.VECTOR),
        new LogisticRegression().setFeaturesCol(ModelPipelines.VECTOR)
            .setLabelCol(CustomerFeatures.LABEL)}).fit(rows(spark, a0, b0, 1));
    return new Drifted(model, rows(spark, a1, b1, 2), rows(spark, a1, b1, 3));
  }

  /**
   * Asserts that on the validation rows the {@code drifted} model is off by more than
   * {@code offBefore} in some decile and {@code calibrated} by less than {@code withinAfter}
   * in every one, with a lower log loss, and that on the held-out rows, which the map was
   * fitted on, {@code calibrated} predicts on average the observed rate (within
   * {@code meanTolerance}): a logistic regression with an intercept and pool-adjacent-
   * violators both do. Returns both models' scores of {@code valid}, by x.
   */
  private static double[][][] assertCalibrates(Drifted drifted, PipelineModel calibrated,
      double offBefore, double withinAfter, double meanTolerance) {
    double[][] before = scored(drifted.model(), drifted.valid());
    double[][] after = scored(calibrated, drifted.valid());
    assertThat(ModelMetrics.maxCalibrationError(ModelMetrics.deciles(before[0], before[1])))
        .as("the drifted model is off by more than %s in some decile", offBefore)
        .isGreaterThan(offBefore);
    assertThat(ModelMetrics.maxCalibrationError(ModelMetrics.deciles(after[0], after[1])))
        .as("calibrated: every decile of 600 rows within %s", withinAfter)
        .isLessThan(withinAfter);
    assertThat(ModelMetrics.logLoss(after[0], after[1]))
        .isLessThan(ModelMetrics.logLoss(before[0], before[1]));
    double[][] onHeld = scored(calibrated, drifted.held());
    assertThat(java.util.Arrays.stream(onHeld[0]).average().orElseThrow())
        .isCloseTo(java.util.Arrays.stream(onHeld[1]).average().orElseThrow(),
            within(meanTolerance));
    return new double[][][] {before, after};
  }

  @Test
  void plattScalingCalibratesADriftedModelWithoutChangingItsRanking(SparkSession spark) {
    Drifted drifted = drifted(spark, 8, -5, 4, -1);
    PipelineModel calibrated = ModelPipelines.calibrate(drifted.model(), drifted.held());
    double[][][] scores = assertCalibrates(drifted, calibrated, 0.2, 0.07, 1e-4);
    double[][] before = scores[0];
    double[][] after = scores[1];
    // a monotone map of the margin: the ranking (and the ROC AUC) stays the same
    for (int i = 1; i < ROWS; i++) {
      assertThat(Double.compare(after[0][i], after[0][i - 1]))
          .isEqualTo(Double.compare(before[0][i], before[0][i - 1]));
    }
    assertThat(ModelMetrics.rocAuc(after[0], after[1]))
        .isCloseTo(ModelMetrics.rocAuc(before[0], before[1]), within(1e-12));
  }

  @Test
  void isotonicCalibrationBendsBothEndsOfADriftedModelKeepingItsOrder(SparkSession spark) {
    // trained where the outcome hardly depended on x; now it goes from almost never (x near 0)
    // to almost always (x near 1): more than a logistic curve of the old margin can follow
    Drifted drifted = drifted(spark, 1, 0, 12, -6);
    PipelineModel calibrated = ModelPipelines.calibrateIsotonic(drifted.model(),
        drifted.held());
    // the map's heights are rates of the held-out rows, each decile's observed rate one of
    // 600 other rows: two samples, a standard error near 0.03 for their difference; on the
    // held-out rows the mean is off by at most the two pseudo-observations' share
    double[][][] scores = assertCalibrates(drifted, calibrated, 0.3, 0.1, 2.0 / ROWS);
    double[][] before = scores[0];
    double[][] after = scores[1];
    // non-decreasing in the model's probability: ties, never a reversed pair
    for (int i = 1; i < ROWS; i++) {
      if (before[0][i] > before[0][i - 1]) {
        assertThat(after[0][i]).isGreaterThanOrEqualTo(after[0][i - 1]);
      }
    }
    assertThat(after[0][0]).as("the low end").isLessThan(0.02);
    assertThat(after[0][ROWS - 1]).as("the high end").isGreaterThan(0.98);
    // no certainties, though the held-out rows' lowest scores all failed and highest all
    // succeeded (a plain fit would map them to exactly 0 and 1): one later exception would
    // cost an unbounded log loss
    double[] heldLabels = scored(drifted.model(), drifted.held())[1];
    assertThat(java.util.Arrays.copyOfRange(heldLabels, 0, 20)).containsOnly(0.0);
    assertThat(java.util.Arrays.copyOfRange(heldLabels, ROWS - 20, ROWS)).containsOnly(1.0);
    assertThat(java.util.Arrays.stream(after[0]).min().orElseThrow()).isGreaterThan(0.0);
    assertThat(java.util.Arrays.stream(after[0]).max().orElseThrow()).isLessThan(1.0);
  }
}
