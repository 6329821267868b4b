package org.lakecdp.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.CdpException;

class MatchModelTest {

  private static final double EPS = 1e-12;
  private static final List<Comparison> COMPARISONS = List.of(
      Comparison.of("country", ComparatorKind.EXACT),
      Comparison.of("postcode", ComparatorKind.NUMERIC_STRING));

  /** Weights: country 3 (exact) / log2(2/9); postcode 1 / 0 / -1; prior -2. */
  private static MatchModel model() {
    return new MatchModel(COMPARISONS,
        new double[][] {{0.2, 0.8}, {0.25, 0.25, 0.5}},
        new double[][] {{0.9, 0.1}, {0.5, 0.25, 0.25}}, 0.2);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void weightsAreLog2BayesFactors() {
    MatchModel model = model();
    assertThat(model.priorWeight()).isCloseTo(-2, within(EPS));
    assertThat(model.weight(0, 1)).isCloseTo(3, within(EPS));
    assertThat(model.weight(0, 0)).isCloseTo(log2(0.2 / 0.9), within(EPS));
    assertThat(model.weight(1, 2)).isCloseTo(1, within(EPS));
    assertThat(model.weight(1, 1)).isCloseTo(0, within(EPS));
    assertThat(model.weight(1, 0)).isCloseTo(-1, within(EPS));
    assertThat(model.weight(1, -1)).isZero();
  }

  @Test
  void matchWeightSumsPriorAndLevelWeights() {
    MatchModel model = model();
    assertThat(model.matchWeight(new int[] {1, 2})).isCloseTo(2, within(EPS));
    assertThat(model.matchWeight(new int[] {-1, 0})).isCloseTo(-3, within(EPS));
    assertThat(model.matchWeight(new int[] {1, -1})).isCloseTo(1, within(EPS));
    assertThat(model.matchWeight(new int[] {-1, -1})).isCloseTo(-2, within(EPS));
    assertThat(model.matchWeight(new int[] {0, 1}))
        .isCloseTo(-2 + log2(0.2 / 0.9), within(EPS));
  }

  @Test
  void probabilityOfAWeight() {
    assertThat(MatchModel.probability(2)).isCloseTo(0.8, within(EPS));
    assertThat(MatchModel.probability(-3)).isCloseTo(1.0 / 9, within(EPS));
    assertThat(MatchModel.probability(1)).isCloseTo(2.0 / 3, within(EPS));
    assertThat(MatchModel.probability(0)).isEqualTo(0.5);
    assertThat(MatchModel.probability(5000)).isEqualTo(1.0);
    assertThat(MatchModel.probability(-5000)).isEqualTo(0.0);
  }

  @Test
  void probabilitiesAreClampedSoWeightsStayFinite() {
    MatchModel model = new MatchModel(List.of(COMPARISONS.get(0)),
        new double[][] {{0, 1}}, new double[][] {{0.5, 0.5}}, 0.5);
    assertThat(model.weight(0, 0)).isCloseTo(log2(1e-6 / 0.5), within(EPS));
    assertThat(model.weight(0, 1)).isCloseTo(log2((1 - 1e-6) / 0.5), within(EPS));
    assertThat(model.matchWeight(new int[] {0})).isCloseTo(log2(2e-6), within(EPS));
  }

  @Test
  void relativeTermFrequencyMakesRareAgreementsCountMore() {
    MatchModel model = model();
    double plain = model.matchWeight(new int[] {1, 2});
    double rare = model.matchWeight(new int[] {1, 2}, new double[] {Double.NaN, 0.1});
    double typical = model.matchWeight(new int[] {1, 2}, new double[] {Double.NaN, 1});
    double common = model.matchWeight(new int[] {1, 2}, new double[] {Double.NaN, 4});
    assertThat(rare).isCloseTo(plain + log2(10), within(EPS));
    assertThat(typical).as("as common as a typical agreement: no change")
        .isCloseTo(plain, within(EPS));
    assertThat(common).isCloseTo(plain - 2, within(EPS));
    assertThat(model.matchWeight(new int[] {1, 2}, new double[] {Double.NaN, Double.NaN}))
        .isEqualTo(plain);
    assertThat(model.matchWeight(new int[] {1, 1}, new double[] {0.01, 0.01}))
        .as("country exact adjusted, postcode not exact so not")
        .isCloseTo(-2 + 3 + log2(100) + 0, within(EPS));
    assertThat(model.matchWeight(new int[] {1, 2}, new double[] {Double.NaN, 0}))
        .as("tf clamped to 1e-6")
        .isCloseTo(plain + log2(1e6), within(EPS));
  }

  @Test
  void levelsOfTwoRecords() {
    assertThat(model().levels(new String[] {"au", "2000"}, new String[] {"au", "2001"}))
        .containsExactly(1, 1);
    assertThat(model().levels(new String[] {null, "2000"}, new String[] {"nz", "3100"}))
        .containsExactly(-1, 0);
  }

  @Test
  void isImmutable() {
    double[][] m = {{0.2, 0.8}, {0.25, 0.25, 0.5}};
    MatchModel model = new MatchModel(COMPARISONS, m,
        new double[][] {{0.9, 0.1}, {0.5, 0.25, 0.25}}, 0.2);
    m[0][1] = 0.0;
    model.m()[0][1] = 0.0;
    model.u()[0][1] = 0.0;
    assertThat(model.weight(0, 1)).isCloseTo(3, within(EPS));
    assertThat(model).isEqualTo(model()).hasSameHashCodeAs(model());
  }

  @Test
  void printsOneLinePerLevel() {
    assertThat(model().toString()).contains("lambda=0.200000 prior_weight=-2.000",
        "country          1 exact                                0.800000   0.100000    3.000",
        "postcode         1 levenshtein<=1                       0.250000   0.250000    0.000");
  }

  @Test
  void badModelsAndVectorsAreNamed() {
    assertThatThrownBy(() -> new MatchModel(COMPARISONS,
        new double[][] {{0.2, 0.8}, {0.25, 0.25, 0.6}},
        new double[][] {{0.9, 0.1}, {0.5, 0.25, 0.25}}, 0.2))
        .isInstanceOf(CdpException.class)
        .hasMessageStartingWith("match model m of comparison 'postcode' must sum to 1, sums to"
            + " 1.1");
    assertThatThrownBy(() -> new MatchModel(COMPARISONS,
        new double[][] {{0.2, 0.8}, {0.5, 0.5}},
        new double[][] {{0.9, 0.1}, {0.5, 0.25, 0.25}}, 0.2))
        .hasMessage("match model m of comparison 'postcode' needs one probability per level"
            + " (3): [0.5, 0.5]");
    assertThatThrownBy(() -> new MatchModel(COMPARISONS,
        new double[][] {{0.2, 0.8}, {0.25, 0.25, 0.5}},
        new double[][] {{0.9, 0.1}, {0.5, 0.25, 0.25}}, 1.0))
        .hasMessage("match model lambda (prior match probability) must be in (0,1): 1.0");
    assertThatThrownBy(() -> model().matchWeight(new int[] {1}))
        .hasMessage("a level vector needs one level per comparison [country, postcode]: [1]");
    assertThatThrownBy(() -> model().matchWeight(new int[] {1, 3}))
        .hasMessage("comparison 'postcode' (NUMERIC_STRING) has levels -1..2: 3");
    assertThatThrownBy(() -> model().weight(2, 0))
        .hasMessage("comparison index must be in 0..1 [country, postcode]: 2");
    assertThatThrownBy(() -> model().matchWeight(new int[] {1, 1}, new double[] {0.1}))
        .hasMessage("term frequencies need one value (NaN for none) per comparison"
            + " [country, postcode]: [0.1]");
  }

  @Test
  void survivesJavaSerialisation() throws Exception {
    MatchModel copy = ComparisonTest.roundTrip(model());
    assertThat(copy).isEqualTo(model());
    assertThat(copy.matchWeight(new int[] {1, 2})).isCloseTo(2, within(EPS));
  }
}
