package org.lakecdp.core.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lakecdp.core.CdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unsupervised estimation of a {@link MatchModel} by Expectation-Maximisation over a two-class
 * (match / non-match) latent model with comparisons independent given the class.
 *
 * <p>EM runs on aggregated data: the Spark side counts how many candidate pairs have each
 * distinct level vector ({@link Pattern}), so a run here touches a few thousand patterns at
 * most, whatever the number of pairs. Level -1 (missing) of a comparison contributes nothing to
 * that comparison's likelihood or counts.
 *
 * <p>How it runs:
 *
 * <ul>
 *   <li>Start: {@code lambda} = the given initial value; {@code m} puts 0.9 on the exact level
 *       and shares 0.1 over the lower levels in proportion to level + 1; {@code u} is the level
 *       frequency over all pairs (nearly all of which are non-matches), unless fixed.
 *   <li>Each M-step adds a Laplace pseudo-count of {@value #PSEUDO_COUNT} pair to every level,
 *       so no probability becomes 0.
 *   <li>When u is estimated, the class whose levels show less agreement on average is made the
 *       non-match class after each step (EM is symmetric in the two classes and could otherwise
 *       settle on the mirror solution).
 *   <li>Stops when no m, u or lambda changes by more than {@value #TOLERANCE}, or after
 *       {@code maxIterations} (logged as a warning).
 * </ul>
 *
 * <p>With u fixed from random pairs ({@link #estimateU}), only m and lambda are estimated: the
 * approach of Splink, more stable when comparisons are few or correlated.
 */
public final class ExpectationMaximisation {
  /** Laplace pseudo-count added to every level's expected count in each M-step. */
  public static final double PSEUDO_COUNT = 1.0;
  /** Convergence threshold on the largest absolute change of any parameter. */
  public static final double TOLERANCE = 1e-6;

  private static final Logger LOG = LoggerFactory.getLogger(ExpectationMaximisation.class);
  private static final double TOP_LEVEL_PRIOR = 0.9;

  private ExpectationMaximisation() {}

  /**
   * Estimates m, u (unless given) and lambda from pattern counts.
   *
   * @param comparisons the comparisons, in the order of every pattern's levels; not empty
   * @param patterns count of candidate pairs per level vector; counts must be &ge; 0 and not all
   *     0; each pattern has one level per comparison, -1 allowed
   * @param uFromRandomPairs per comparison per level the u probabilities estimated from random
   *     pairs, held fixed (rows are normalised to sum 1); or null to estimate u too
   * @param initialLambda the starting prior match probability, in (0,1)
   * @param maxIterations at least 1
   * @return the estimated model; its lambda is the share of matches among the counted pairs
   * @throws CdpException on empty or inconsistent input, naming the offending value
   */
  public static MatchModel estimate(List<Comparison> comparisons, Map<Pattern, Long> patterns,
      double[][] uFromRandomPairs, double initialLambda, int maxIterations) {
    return estimate(comparisons, patterns, uFromRandomPairs, null, initialLambda,
        maxIterations);
  }

  /**
   * As {@link #estimate(List, Map, double[][], double, int)}, with the m probabilities of some
   * comparisons known beforehand (from pairs that are matches for another reason, such as a
   * shared verified email: {@link ProbabilisticMatcher#mFromLinkedPairs}) and held fixed.
   *
   * @param mFromLinks per comparison the fixed m probabilities (normalised to sum 1), or a
   *     null row for a comparison whose m EM estimates; null estimates every m. With any m
   *     fixed, the fixed rows say which class is the match class, so the classes are never
   *     swapped.
   */
  public static MatchModel estimate(List<Comparison> comparisons, Map<Pattern, Long> patterns,
      double[][] uFromRandomPairs, double[][] mFromLinks, double initialLambda,
      int maxIterations) {
    int[] sizes = levelCounts(comparisons);
    int n = sizes.length;
    if (patterns == null || patterns.isEmpty()) {
      throw new CdpException("EM needs at least one comparison pattern with a count: "
          + patterns);
    }
    if (!(initialLambda > 0 && initialLambda < 1)) {
      throw new CdpException("EM initial lambda must be in (0,1): " + initialLambda);
    }
    if (maxIterations < 1) {
      throw new CdpException("EM maxIterations must be at least 1: " + maxIterations);
    }
    int[][] levels = new int[patterns.size()][];
    double[] counts = new double[patterns.size()];
    double total = 0;
    int p = 0;
    for (Map.Entry<Pattern, Long> e : patterns.entrySet()) {
      Pattern pattern = e.getKey();
      Long count = e.getValue();
      checkLevels(comparisons, pattern == null ? null : pattern.levels());
      if (count == null || count < 0) {
        throw new CdpException("EM pattern " + pattern + " must have a count >= 0: " + count);
      }
      levels[p] = pattern.levels();
      counts[p] = count;
      total += count;
      p++;
    }
    if (total <= 0) {
      throw new CdpException("EM needs at least one counted pair; all " + patterns.size()
          + " pattern counts are 0");
    }

    boolean uFixed = uFromRandomPairs != null;
    double[][] u = uFixed ? normalisedCopy(comparisons, uFromRandomPairs)
        : levelFrequencies(sizes, levels, counts);
    double[][] m = initialM(sizes);
    boolean[] mFixed = new boolean[n];
    boolean anyMFixed = false;
    if (mFromLinks != null) {
      if (mFromLinks.length != n) {
        throw new CdpException("fixed m needs one row per comparison (" + n + "), got "
            + mFromLinks.length + " rows");
      }
      for (int k = 0; k < n; k++) {
        if (mFromLinks[k] != null) {
          m[k] = normalisedRow(comparisons.get(k), "m", mFromLinks[k]);
          mFixed[k] = true;
          anyMFixed = true;
        }
      }
    }
    double lambda = initialLambda;

    double[] posterior = new double[levels.length];
    double[][] logM = new double[n][];
    double[][] logU = new double[n][];
    double change = Double.POSITIVE_INFINITY;
    int iteration = 0;
    while (iteration < maxIterations && change >= TOLERANCE) {
      iteration++;
      // E-step: posterior match probability of each pattern, in the log domain
      logs(m, logM);
      logs(u, logU);
      double logLambda = Math.log(lambda);
      double logNotLambda = Math.log1p(-lambda);
      for (int i = 0; i < levels.length; i++) {
        double lm = logLambda;
        double lu = logNotLambda;
        int[] pattern = levels[i];
        for (int k = 0; k < n; k++) {
          int level = pattern[k];
          if (level >= 0) {
            lm += logM[k][level];
            lu += logU[k][level];
          }
        }
        posterior[i] = 1 / (1 + Math.exp(lu - lm));
      }
      // M-step
      double matches = 0;
      for (int i = 0; i < levels.length; i++) {
        matches += counts[i] * posterior[i];
      }
      double newLambda = Math.min(1 - MatchModel.MIN_PROBABILITY,
          Math.max(MatchModel.MIN_PROBABILITY, matches / total));
      double[][] newM = expectedFrequencies(sizes, levels, counts, posterior, true);
      for (int k = 0; k < n; k++) {
        if (mFixed[k]) {
          newM[k] = m[k];
        }
      }
      double[][] newU = uFixed ? u : expectedFrequencies(sizes, levels, counts, posterior, false);
      if (!uFixed && !anyMFixed && agreement(newM, sizes) < agreement(newU, sizes)) {
        double[][] swap = newM;
        newM = newU;
        newU = swap;
        newLambda = 1 - newLambda;
      }
      change = Math.max(Math.abs(newLambda - lambda),
          Math.max(maxChange(m, newM), uFixed ? 0 : maxChange(u, newU)));
      m = newM;
      u = newU;
      lambda = newLambda;
    }

    MatchModel model = new MatchModel(comparisons, m, u, lambda);
    if (change >= TOLERANCE) {
      LOG.warn("EM did not converge in {} iterations (largest last change {}); lambda={}",
          maxIterations, change, lambda);
    } else {
      LOG.info("EM converged in {} iterations over {} patterns of {} pairs, u {}, m of {} of"
          + " {} comparisons fixed; lambda={}", iteration, levels.length, (long) total,
          uFixed ? "fixed" : "estimated", countTrue(mFixed), n,
          String.format(Locale.ROOT, "%.6g", lambda));
    }
    if (agreement(m, sizes) <= agreement(u, sizes)) {
      LOG.warn("EM found a match class that agrees less than the non-match class; the given u"
          + " probabilities or the blocking may not fit these pairs:\n{}", model);
    }
    return model;
  }

  /**
   * Estimates u per comparison per level from the level vectors of random record pairs (pairs
   * drawn without blocking, nearly all non-matches): the level frequencies, each level with a
   * Laplace pseudo-count of {@value #PSEUDO_COUNT}. Level -1 is not counted.
   *
   * @param comparisons the comparisons, in the order of every vector's levels
   * @param randomPairLevels level vectors, one level per comparison each
   * @throws CdpException when a vector has the wrong length or a level out of range
   */
  public static double[][] estimateU(List<Comparison> comparisons,
      Iterable<int[]> randomPairLevels) {
    int[] sizes = levelCounts(comparisons);
    if (randomPairLevels == null) {
      throw new CdpException("estimating u needs the level vectors of random pairs, got null");
    }
    double[][] counts = new double[sizes.length][];
    for (int k = 0; k < sizes.length; k++) {
      counts[k] = new double[sizes[k]];
    }
    long pairs = 0;
    for (int[] levels : randomPairLevels) {
      checkLevels(comparisons, levels);
      for (int k = 0; k < sizes.length; k++) {
        if (levels[k] >= 0) {
          counts[k][levels[k]]++;
        }
      }
      pairs++;
    }
    LOG.info("estimated u from {} random pairs", pairs);
    for (int k = 0; k < sizes.length; k++) {
      normalise(counts[k], PSEUDO_COUNT);
    }
    return counts;
  }

  private static int[] levelCounts(List<Comparison> comparisons) {
    if (comparisons == null || comparisons.isEmpty()) {
      throw new CdpException("EM needs at least one comparison: " + comparisons);
    }
    int[] sizes = new int[comparisons.size()];
    for (int k = 0; k < sizes.length; k++) {
      sizes[k] = comparisons.get(k).levels();
    }
    return sizes;
  }

  private static void checkLevels(List<Comparison> comparisons, int[] levels) {
    if (levels == null || levels.length != comparisons.size()) {
      throw new CdpException("a comparison pattern needs one level per comparison "
          + comparisons.stream().map(Comparison::name).toList() + ": "
          + (levels == null ? null : Arrays.toString(levels)));
    }
    for (int k = 0; k < levels.length; k++) {
      comparisons.get(k).checkLevel(levels[k]);
    }
  }

  private static double[][] initialM(int[] sizes) {
    double[][] m = new double[sizes.length][];
    for (int k = 0; k < sizes.length; k++) {
      int top = sizes[k] - 1;
      m[k] = new double[sizes[k]];
      m[k][top] = TOP_LEVEL_PRIOR;
      double lowerWeights = top * (top + 1) / 2.0;
      for (int level = 0; level < top; level++) {
        m[k][level] = (1 - TOP_LEVEL_PRIOR) * (level + 1) / lowerWeights;
      }
    }
    return m;
  }

  private static double[][] levelFrequencies(int[] sizes, int[][] levels, double[] counts) {
    double[] all = new double[levels.length];
    Arrays.fill(all, 1);
    return expectedFrequencies(sizes, levels, counts, all, true);
  }

  /** Smoothed level frequencies, weighting each pattern by weight (or 1 - weight). */
  private static double[][] expectedFrequencies(int[] sizes, int[][] levels, double[] counts,
      double[] weight, boolean matchClass) {
    double[][] f = new double[sizes.length][];
    for (int k = 0; k < sizes.length; k++) {
      f[k] = new double[sizes[k]];
    }
    for (int i = 0; i < levels.length; i++) {
      double c = counts[i] * (matchClass ? weight[i] : 1 - weight[i]);
      int[] pattern = levels[i];
      for (int k = 0; k < sizes.length; k++) {
        if (pattern[k] >= 0) {
          f[k][pattern[k]] += c;
        }
      }
    }
    for (double[] row : f) {
      normalise(row, PSEUDO_COUNT);
    }
    return f;
  }

  private static void normalise(double[] row, double pseudoCount) {
    double sum = 0;
    for (int l = 0; l < row.length; l++) {
      row[l] += pseudoCount;
      sum += row[l];
    }
    for (int l = 0; l < row.length; l++) {
      row[l] /= sum;
    }
  }

  private static double[][] normalisedCopy(List<Comparison> comparisons, double[][] given) {
    if (given.length != comparisons.size()) {
      throw new CdpException("fixed u needs one row per comparison ("
          + comparisons.size() + "), got " + given.length + " rows");
    }
    double[][] u = new double[given.length][];
    for (int k = 0; k < given.length; k++) {
      u[k] = normalisedRow(comparisons.get(k), "u", given[k]);
    }
    return u;
  }

  /** One comparison's fixed {@code what} (m or u) probabilities, normalised to sum 1. */
  private static double[] normalisedRow(Comparison c, String what, double[] row) {
    double sum = 0;
    boolean valid = row != null && row.length == c.levels();
    for (int l = 0; valid && l < row.length; l++) {
      valid = row[l] >= 0 && Double.isFinite(row[l]);
      sum += row[l];
    }
    if (!valid || !(sum > 0)) {
      throw new CdpException("fixed " + what + " of comparison '" + c.name() + "' needs one"
          + " probability >= 0 per level (" + c.levels() + "), not all 0: "
          + Arrays.toString(row));
    }
    double[] out = new double[row.length];
    for (int l = 0; l < row.length; l++) {
      out[l] = row[l] / sum;
    }
    return out;
  }

  private static int countTrue(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  private static void logs(double[][] p, double[][] into) {
    for (int k = 0; k < p.length; k++) {
      if (into[k] == null) {
        into[k] = new double[p[k].length];
      }
      for (int l = 0; l < p[k].length; l++) {
        into[k][l] = Math.log(MatchModel.clamp(p[k][l]));
      }
    }
  }

  /** Mean over comparisons of the expected level, scaled to [0,1] per comparison. */
  private static double agreement(double[][] p, int[] sizes) {
    double sum = 0;
    for (int k = 0; k < sizes.length; k++) {
      double expected = 0;
      for (int l = 0; l < sizes[k]; l++) {
        expected += p[k][l] * l;
      }
      sum += expected / (sizes[k] - 1);
    }
    return sum / sizes.length;
  }

  private static double maxChange(double[][] a, double[][] b) {
    double max = 0;
    for (int k = 0; k < a.length; k++) {
      for (int l = 0; l < a[k].length; l++) {
        max = Math.max(max, Math.abs(a[k][l] - b[k][l]));
      }
    }
    return max;
  }
}
