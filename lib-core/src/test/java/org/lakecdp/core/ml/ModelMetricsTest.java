package org.lakecdp.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {
  @Test
  void rocAucCountsOrderedPairsWithTiesAsHalf() {
    // positives 0.9, 0.4; negatives 0.4, 0.1: pairs (0.9>0.4) (0.9>0.1) (0.4=0.4) (0.4>0.1)
    double[] scores = {0.9, 0.4, 0.4, 0.1};
    double[] labels = {1, 1, 0, 0};
    assertThat(ModelMetrics.rocAuc(scores, labels)).isCloseTo(3.5 / 4, within(1e-12));
    assertThat(ModelMetrics.rocAuc(new double[] {0.1, 0.9}, new double[] {1, 0})).isZero();
    assertThat(ModelMetrics.rocAuc(new double[] {0.1, 0.9}, new double[] {1, 1})).isNaN();
  }

  @Test
  void prAucIsAveragePrecision() {
    // ranked: 0.9 (pos) p=1, 0.8 (neg), 0.7 (pos) p=2/3
    double[] scores = {0.9, 0.8, 0.7};
    double[] labels = {1, 0, 1};
    assertThat(ModelMetrics.prAuc(scores, labels)).isCloseTo((1 + 2.0 / 3) / 2, within(1e-12));
  }

  @Test
  void logLossOfKnownProbabilities() {
    double[] p = {0.8, 0.25};
    double[] y = {1, 0};
    assertThat(ModelMetrics.logLoss(p, y)).isCloseTo(-(Math.log(0.8) + Math.log(0.75)) / 2,
        within(1e-12));
  }

  @Test
  void decilesSplitByPredictionAndGiveLift() {
    double[] p = new double[20];
    double[] y = new double[20];
    for (int i = 0; i < 20; i++) {
      p[i] = i / 20.0;
      y[i] = i >= 18 ? 1 : 0;
    }
    List<ModelMetrics.Bin> bins = ModelMetrics.deciles(p, y);
    assertThat(bins).hasSize(10);
    assertThat(bins.get(0)).isEqualTo(new ModelMetrics.Bin(1, 2, 0.025, 0));
    assertThat(bins.get(9).observed()).isEqualTo(1.0);
    assertThat(bins.get(9).meanPredicted()).isCloseTo(0.925, within(1e-12));
    assertThat(ModelMetrics.liftTopDecile(p, y)).isCloseTo(10.0, within(1e-12));
    assertThat(ModelMetrics.maxCalibrationError(bins)).isCloseTo(0.825, within(1e-12));
  }

  @Test
  void regressionErrorsAndRankCorrelation() {
    double[] predicted = {1, 2, 3, 4};
    double[] actual = {2, 2, 5, 3};
    assertThat(ModelMetrics.mae(predicted, actual)).isCloseTo(1.0, within(1e-12));
    assertThat(ModelMetrics.rmse(predicted, actual)).isCloseTo(Math.sqrt(6 / 4.0),
        within(1e-12));
    assertThat(ModelMetrics.spearman(predicted, new double[] {10, 20, 30, 40}))
        .isCloseTo(1.0, within(1e-12));
    assertThat(ModelMetrics.spearman(predicted, new double[] {4, 3, 2, 1}))
        .isCloseTo(-1.0, within(1e-12));
    assertThat(ModelMetrics.ranks(new double[] {5, 1, 5, 3})).containsExactly(3.5, 1, 3.5, 2);
  }
}
