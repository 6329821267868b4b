package org.lakecdp.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.CdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EM recovers a known model from simulated pattern counts: 200,000 candidate pairs drawn from 4
 * conditionally independent comparisons, 1% matches, some values missing.
 */
class ExpectationMaximisationTest {
  private static final Logger LOG = LoggerFactory.getLogger(ExpectationMaximisationTest.class);

  private static final int PAIRS = 200_000;
  private static final double LAMBDA = 0.01;
  /** Absolute tolerance on every m and u probability. */
  private static final double PROBABILITY_TOLERANCE = 0.02;
  /** Relative tolerance on lambda. */
  private static final double LAMBDA_TOLERANCE = 0.20;

  private static final List<Comparison> COMPARISONS = List.of(
      new Comparison("first_name", ComparatorKind.NAME, List.of(0.92), 0), // 5 levels
      Comparison.of("dob", ComparatorKind.DATE), // 4 levels
      Comparison.of("postcode", ComparatorKind.NUMERIC_STRING), // 3 levels
      Comparison.of("phone", ComparatorKind.PHONE)); // 3 levels

  private static final double[][] TRUE_M = {
      {0.02, 0.02, 0.04, 0.10, 0.82},
      {0.02, 0.02, 0.02, 0.94},
      {0.02, 0.06, 0.92},
      {0.05, 0.05, 0.90}};
  private static final double[][] TRUE_U = {
      {0.92, 0.03, 0.03, 0.01, 0.01},
      {0.988, 0.008, 0.001, 0.003},
      {0.88, 0.10, 0.02},
      {0.996, 0.003, 0.001}};
  /** Chance that a comparison's value is missing on either side. */
  private static final double[] MISSING = {0.0, 0.05, 0.02, 0.10};

  private static final MatchModel TRUE_MODEL =
      new MatchModel(COMPARISONS, TRUE_M, TRUE_U, LAMBDA);

  /** Simulated pairs aggregated by pattern: [true matches, true non-matches]. */
  private static final Map<Pattern, long[]> SIMULATED = simulate(new SplittableRandom(42));

  @Test
  void recoversMUAndLambdaWhenUIsEstimatedToo() {
    MatchModel model =
        ExpectationMaximisation.estimate(COMPARISONS, counts(SIMULATED), null, 0.05, 2000);
    LOG.info("EM with u estimated: max |m error| {} (vs the sample's own m {}), max |u error|"
        + " {}, lambda {} (true {})", maxError(model.m(), TRUE_M),
        maxError(model.m(), sampleFrequencies(0)), maxError(model.u(), TRUE_U), model.lambda(),
        LAMBDA);
    assertRecovered(model.m(), TRUE_M, "m");
    assertRecovered(model.u(), TRUE_U, "u");
    assertThat(model.lambda()).isCloseTo(LAMBDA, within(LAMBDA * LAMBDA_TOLERANCE));
    assertClassifiesWell(model);
  }

  @Test
  void recoversMAndLambdaWithUFixedFromRandomPairs() {
    SplittableRandom random = new SplittableRandom(7);
    List<int[]> randomPairs = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      randomPairs.add(draw(random, TRUE_U));
    }
    double[][] u = ExpectationMaximisation.estimateU(COMPARISONS, randomPairs);
    assertRecovered(u, TRUE_U, "u from random pairs");

    MatchModel model =
        ExpectationMaximisation.estimate(COMPARISONS, counts(SIMULATED), u, 0.05, 2000);
    LOG.info("EM with u fixed: max |m error| {} (vs the sample's own m {}), max |u error| {},"
        + " lambda {} (true {})", maxError(model.m(), TRUE_M),
        maxError(model.m(), sampleFrequencies(0)), maxError(u, TRUE_U), model.lambda(), LAMBDA);
    assertThat(model.u()).isEqualTo(u);
    assertRecovered(model.m(), TRUE_M, "m");
    assertThat(model.lambda()).isCloseTo(LAMBDA, within(LAMBDA * LAMBDA_TOLERANCE));
    assertClassifiesWell(model);
  }

  @Test
  void recoversUAndTheFreeMWithOtherMFixedFromKnownMatches() {
    // 5,000 pairs known to match (linked by a rule on another field); phone's m is left to EM
    SplittableRandom random = new SplittableRandom(11);
    Map<Pattern, Long> known = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      known.merge(new Pattern(draw(random, TRUE_M)), 1L, Long::sum);
    }
    double[][] fixed = ProbabilisticMatcher.mFromLinkedPairs(COMPARISONS, known, 1);
    fixed[3] = null;
    MatchModel model = ExpectationMaximisation.estimate(COMPARISONS, counts(SIMULATED), null,
        fixed, 0.05, 2000);
    for (int k = 0; k < 3; k++) {
      assertThat(model.m()[k]).as("fixed m of %s", COMPARISONS.get(k).name())
          .containsExactly(fixed[k], within(1e-12));
    }
    assertRecovered(model.m(), TRUE_M, "m");
    assertRecovered(model.u(), TRUE_U, "u");
    assertThat(model.lambda()).isCloseTo(LAMBDA, within(LAMBDA * LAMBDA_TOLERANCE));
    assertClassifiesWell(model);
  }

  @Test
  void mFromKnownMatchesKeepsHouseholdsApartWhereFreeEmMergesThem() {
    // candidate pairs of one block: 3% the same person, 12% two persons of one household
    // (same street and postcode, other first name and email), the rest strangers
    List<Comparison> fields = List.of(Comparison.of("first_name", ComparatorKind.EXACT),
        Comparison.of("email", ComparatorKind.EXACT),
        Comparison.of("street", ComparatorKind.EXACT),
        Comparison.of("postcode", ComparatorKind.EXACT));
    double[] person = {0.95, 0.6, 0.8, 0.85};
    double[] household = {0.03, 0.01, 0.97, 0.98};
    double[] stranger = {0.05, 0.001, 0.02, 0.1};
    SplittableRandom random = new SplittableRandom(5);
    Map<Pattern, Long> blocked = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      double r = random.nextDouble();
      double[] agree = r < 0.03 ? person : r < 0.15 ? household : stranger;
      blocked.merge(new Pattern(agreements(random, agree)), 1L, Long::sum);
    }
    // pairs linked by a shared email: email itself is masked, as levelledLinkedPairs does
    Map<Pattern, Long> linked = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      int[] levels = agreements(random, person);
      levels[1] = -1;
      linked.merge(new Pattern(levels), 1L, Long::sum);
    }
    int[] householdPair = {0, 0, 1, 1};
    int[] personPair = {1, 0, 1, 1};

    MatchModel free = ExpectationMaximisation.estimate(fields, blocked, null, 0.1, 2000);
    assertThat(free.matchWeight(householdPair)).as("free EM: 'same address' is its match"
        + " class").isPositive();

    double[][] m = ProbabilisticMatcher.mFromLinkedPairs(fields, linked, 100);
    assertThat(m[1]).as("email is never compared on email-linked pairs").isNull();
    MatchModel anchored = ExpectationMaximisation.estimate(fields, blocked, null, m, 0.1, 2000);
    assertThat(anchored.matchWeight(householdPair)).isNegative();
    assertThat(anchored.matchWeight(personPair)).isPositive();
    assertThat(anchored.lambda()).isCloseTo(0.03, within(0.01));
  }

  @Test
  void doesNotSwapTheClassesFromAPoorStart() {
    MatchModel model =
        ExpectationMaximisation.estimate(COMPARISONS, counts(SIMULATED), null, 0.9, 2000);
    assertThat(model.lambda()).isCloseTo(LAMBDA, within(LAMBDA * LAMBDA_TOLERANCE));
    assertRecovered(model.m(), TRUE_M, "m");
  }

  @Test
  void theTrueModelSeparatesTheSimulation() {
    // the bar the estimated models are held to is reachable at all: the Bayes-optimal
    // classifier has precision 0.9957 and recall 0.9915 in expectation on this model
    assertClassifiesWell(TRUE_MODEL);
  }

  @Test
  void smoothsLevelsNeverSeen() {
    Map<Pattern, Long> counts = Map.of(Pattern.of(4, 3, 2, 2), 10L, Pattern.of(0, 0, 0, 0), 990L,
        Pattern.of(0, 0, 0, -1), 100L);
    MatchModel model = ExpectationMaximisation.estimate(COMPARISONS, counts, null, 0.01, 500);
    for (int k = 0; k < COMPARISONS.size(); k++) {
      assertThat(Arrays.stream(model.m()[k]).min().orElseThrow()).isPositive();
      assertThat(Arrays.stream(model.u()[k]).min().orElseThrow()).isPositive();
    }
    assertThat(model.lambda()).isCloseTo(10.0 / 1100, within(0.002));
    assertThat(model.weight(0, 4)).isPositive();
    assertThat(model.weight(0, 0)).isNegative();
  }

  @Test
  void estimatesUAsSmoothedLevelFrequencies() {
    List<Comparison> one = List.of(COMPARISONS.get(2));
    double[][] u = ExpectationMaximisation.estimateU(one,
        List.of(new int[] {0}, new int[] {0}, new int[] {1}, new int[] {-1}));
    assertThat(u[0]).containsExactly(new double[] {3.0 / 6, 2.0 / 6, 1.0 / 6}, within(1e-15));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 3, 2), 5L), null, 0.01, 10))
        .isInstanceOf(CdpException.class)
        .hasMessage("a comparison pattern needs one level per comparison"
            + " [first_name, dob, postcode, phone]: [4, 3, 2]");
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 4, 2, 2), 5L), null, 0.01, 10))
        .hasMessage("comparison 'dob' (DATE) has levels -1..3: 4");
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 3, 2, 2), -5L), null, 0.01, 10))
        .hasMessage("EM pattern [4, 3, 2, 2] must have a count >= 0: -5");
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 3, 2, 2), 0L), null, 0.01, 10))
        .hasMessage("EM needs at least one counted pair; all 1 pattern counts are 0");
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 3, 2, 2), 5L), null, 0, 10))
        .hasMessage("EM initial lambda must be in (0,1): 0.0");
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 3, 2, 2), 5L), new double[][] {{1}}, 0.01, 10))
        .hasMessage("fixed u needs one row per comparison (4), got 1 rows");
    assertThatThrownBy(() -> ExpectationMaximisation.estimate(COMPARISONS,
        Map.of(Pattern.of(4, 3, 2, 2), 5L), null, new double[][] {null, null, {1, 0}, null},
        0.01, 10))
        .hasMessage("fixed m of comparison 'postcode' needs one probability >= 0 per level (3),"
            + " not all 0: [1.0, 0.0]");
    assertThatThrownBy(() -> ExpectationMaximisation.estimateU(COMPARISONS,
        List.of(new int[] {0, 0})))
        .hasMessage("a comparison pattern needs one level per comparison"
            + " [first_name, dob, postcode, phone]: [0, 0]");
  }

  @Test
  void patternsAreValuesOverTheirLevels() {
    int[] levels = {2, -1, 0};
    Pattern p = new Pattern(levels);
    levels[0] = 0;
    p.levels()[1] = 5;
    assertThat(p).isEqualTo(Pattern.of(2, -1, 0)).hasSameHashCodeAs(Pattern.of(2, -1, 0));
    assertThat(p).isNotEqualTo(Pattern.of(2, -1, 1));
    assertThat(p.toString()).isEqualTo("[2, -1, 0]");
    assertThat(new HashMap<>(Map.of(p, 3L))).containsEntry(Pattern.of(2, -1, 0), 3L);
  }

  private static Map<Pattern, long[]> simulate(SplittableRandom random) {
    Map<Pattern, long[]> byPattern = new HashMap<>();
    for (int i = 0; i < PAIRS; i++) {
      boolean match = random.nextDouble() < LAMBDA;
      int[] levels = draw(random, match ? TRUE_M : TRUE_U);
      byPattern.computeIfAbsent(new Pattern(levels), p -> new long[2])[match ? 0 : 1]++;
    }
    return byPattern;
  }

  /** Levels of EXACT comparisons: 1 (agree) with the given chance each, else 0. */
  private static int[] agreements(SplittableRandom random, double[] agree) {
    int[] levels = new int[agree.length];
    for (int k = 0; k < agree.length; k++) {
      levels[k] = random.nextDouble() < agree[k] ? 1 : 0;
    }
    return levels;
  }

  private static int[] draw(SplittableRandom random, double[][] p) {
    int[] levels = new int[p.length];
    for (int k = 0; k < p.length; k++) {
      if (random.nextDouble() < MISSING[k]) {
        levels[k] = -1;
        continue;
      }
      double r = random.nextDouble();
      int level = 0;
      while (level < p[k].length - 1 && r >= p[k][level]) {
        r -= p[k][level];
        level++;
      }
      levels[k] = level;
    }
    return levels;
  }

  private static Map<Pattern, Long> counts(Map<Pattern, long[]> simulated) {
    Map<Pattern, Long> counts = new HashMap<>();
    simulated.forEach((p, c) -> counts.put(p, c[0] + c[1]));
    return counts;
  }

  private static void assertRecovered(double[][] estimated, double[][] expected, String what) {
    for (int k = 0; k < expected.length; k++) {
      assertThat(estimated[k]).as("%s of %s", what, COMPARISONS.get(k).name())
          .containsExactly(expected[k], within(PROBABILITY_TOLERANCE));
    }
  }

  /** Level frequencies among the simulated matches (0) or non-matches (1), no smoothing. */
  private static double[][] sampleFrequencies(int matchClass) {
    double[][] f = new double[TRUE_M.length][];
    for (int k = 0; k < f.length; k++) {
      f[k] = new double[TRUE_M[k].length];
    }
    SIMULATED.forEach((p, c) -> {
      for (int k = 0; k < f.length; k++) {
        if (p.level(k) >= 0) {
          f[k][p.level(k)] += c[matchClass];
        }
      }
    });
    for (double[] row : f) {
      double sum = Arrays.stream(row).sum();
      for (int l = 0; l < row.length; l++) {
        row[l] /= sum;
      }
    }
    return f;
  }

  private static double maxError(double[][] estimated, double[][] expected) {
    double max = 0;
    for (int k = 0; k < expected.length; k++) {
      for (int l = 0; l < expected[k].length; l++) {
        max = Math.max(max, Math.abs(estimated[k][l] - expected[k][l]));
      }
    }
    return max;
  }

  /** Precision and recall over the simulated pairs at match probability 0.5 exceed 0.98. */
  private static void assertClassifiesWell(MatchModel model) {
    long truePositives = 0;
    long falsePositives = 0;
    long falseNegatives = 0;
    for (Map.Entry<Pattern, long[]> e : SIMULATED.entrySet()) {
      boolean predicted = MatchModel.probability(model.matchWeight(e.getKey().levels())) >= 0.5;
      long[] c = e.getValue();
      if (predicted) {
        truePositives += c[0];
        falsePositives += c[1];
      } else {
        falseNegatives += c[0];
      }
    }
    double precision = truePositives / (double) (truePositives + falsePositives);
    double recall = truePositives / (double) (truePositives + falseNegatives);
    LOG.info("precision {} recall {} ({} true matches)", precision, recall,
        truePositives + falseNegatives);
    assertThat(precision).as("precision").isGreaterThan(0.98);
    assertThat(recall).as("recall").isGreaterThan(0.98);
  }
}
