package org.lakecdp.core.identity;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.lakecdp.core.CdpException;

/**
 * A Fellegi-Sunter match model: for each comparison the probability of each agreement level
 * among true matches ({@code m}) and among non-matches ({@code u}), and the prior probability
 * {@code lambda} that a candidate pair is a match. Immutable (arrays are copied in and out),
 * thread-safe and serialisable.
 *
 * <p>The evidence of one comparison level is its log2 Bayes factor {@code log2(m/u)}, with both
 * probabilities clamped to {@code [1e-6, 1-1e-6]} so that an unseen level gives a large but
 * finite weight; a missing value (level -1) weighs 0. The match weight of a pair is the prior
 * log-odds {@code log2(lambda/(1-lambda))} plus the weights of its levels, and its match
 * probability is {@code 2^w / (1 + 2^w)}.
 *
 * <p>{@code lambda} is the share of matches among the pairs the model was estimated on, so a
 * model's probabilities hold for candidate pairs produced by the same blocking rules.
 *
 * @param comparisons the comparisons, in the order of every level vector; not empty
 * @param m per comparison, per level {@code 0..levels()-1}, P(level | match); rows sum to 1
 * @param u per comparison, per level, P(level | non-match); rows sum to 1
 * @param lambda prior match probability, in (0,1)
 */
public record MatchModel(List<Comparison> comparisons, double[][] m, double[][] u, double lambda)
    implements Serializable {

  /** Probabilities are clamped to {@code [MIN_PROBABILITY, 1 - MIN_PROBABILITY]}. */
  public static final double MIN_PROBABILITY = 1e-6;

  private static final double LN2 = Math.log(2);
  private static final double SUM_TOLERANCE = 1e-6;

  public MatchModel {
    if (comparisons == null || comparisons.isEmpty()) {
      throw new CdpException("a match model needs at least one comparison: " + comparisons);
    }
    comparisons = List.copyOf(comparisons);
    m = checkedCopy("m", comparisons, m);
    u = checkedCopy("u", comparisons, u);
    if (!(lambda > 0 && lambda < 1)) {
      throw new CdpException("match model lambda (prior match probability) must be in (0,1): "
          + lambda);
    }
  }

  /** A copy of the m probabilities. */
  @Override
  public double[][] m() {
    return deepCopy(m);
  }

  /** A copy of the u probabilities. */
  @Override
  public double[][] u() {
    return deepCopy(u);
  }

  /** P(level | match) of one comparison level (0..levels()-1), unclamped. */
  public double m(int comparison, int level) {
    checkLevel(comparison, level);
    return level < 0 ? Double.NaN : m[comparison][level];
  }

  /** P(level | non-match) of one comparison level (0..levels()-1), unclamped. */
  public double u(int comparison, int level) {
    checkLevel(comparison, level);
    return level < 0 ? Double.NaN : u[comparison][level];
  }

  /**
   * Log2 Bayes factor of one comparison level: {@code log2(m/u)} of the clamped probabilities;
   * 0 for level -1 (missing).
   *
   * @throws CdpException when the comparison index or the level is out of range
   */
  public double weight(int comparison, int level) {
    checkLevel(comparison, level);
    return level < 0 ? 0 : log2(clamp(m[comparison][level]) / clamp(u[comparison][level]));
  }

  /** The prior log-odds {@code log2(lambda / (1 - lambda))}. */
  public double priorWeight() {
    return log2(lambda / (1 - lambda));
  }

  /**
   * Total match weight of a level vector: {@link #priorWeight()} plus the weight of each level.
   *
   * @param levels one level per comparison, -1 for missing
   * @throws CdpException when the vector has the wrong length or a level is out of range
   */
  public double matchWeight(int[] levels) {
    return matchWeight(levels, null);
  }

  /**
   * Match weight with term-frequency adjustment: where comparison k is at its exact level and
   * {@code tf[k]} is a number, {@code -log2(tf[k])} is added to that level's weight.
   * {@code tf[k]} is the <em>relative</em> frequency of the agreed value: its share among
   * records divided by the chance that two random records agree on the field (the sum of the
   * squared shares of all values). A value exactly as common as a typical agreement adds 0, a
   * ten times rarer one about +3.3, a more common one subtracts; it is clamped to at least
   * {@value #MIN_PROBABILITY}. Relative, because u of the exact level is estimated among the
   * blocked pairs, whose agreement on a blocking field is no chance event: dividing by the raw
   * share would count the blocking as evidence (a shared rare surname of a household would
   * outweigh a different first name). Agreeing on a rare surname so counts more than agreeing
   * on "smith".
   *
   * @param levels one level per comparison, -1 for missing
   * @param tf per comparison the relative term frequency of the agreed value, or NaN for none;
   *     a null array means no adjustment at all
   * @throws CdpException when an array has the wrong length or a level is out of range
   */
  public double matchWeight(int[] levels, double[] tf) {
    int n = m.length;
    if (levels == null || levels.length != n) {
      throw new CdpException("a level vector needs one level per comparison " + names()
          + ": " + (levels == null ? null : Arrays.toString(levels)));
    }
    if (tf != null && tf.length != n) {
      throw new CdpException("term frequencies need one value (NaN for none) per comparison "
          + names() + ": " + Arrays.toString(tf));
    }
    double w = priorWeight();
    for (int k = 0; k < n; k++) {
      int level = levels[k];
      if (level == -1) {
        continue;
      }
      double[] mk = m[k];
      if (level < -1 || level >= mk.length) {
        checkLevel(k, level);
      }
      double uk = clamp(u[k][level]);
      w += log2(clamp(mk[level]) / uk);
      if (tf != null && level == mk.length - 1 && !Double.isNaN(tf[k])) {
        w -= log2(Math.max(MIN_PROBABILITY, tf[k]));
      }
    }
    return w;
  }

  /** Match probability of a match weight: {@code 2^w / (1 + 2^w)}, computed without overflow. */
  public static double probability(double matchWeight) {
    if (matchWeight >= 0) {
      return 1 / (1 + Math.pow(2, -matchWeight));
    }
    double odds = Math.pow(2, matchWeight);
    return odds / (1 + odds);
  }

  /**
   * The level vector of two records, one value per comparison in the same order.
   *
   * @throws CdpException when an array does not have one value per comparison
   */
  public int[] levels(String[] left, String[] right) {
    int n = comparisons.size();
    if (left == null || right == null || left.length != n || right.length != n) {
      throw new CdpException("both records need one value per comparison " + names() + ": "
          + Arrays.toString(left) + " / " + Arrays.toString(right));
    }
    int[] levels = new int[n];
    for (int k = 0; k < n; k++) {
      levels[k] = comparisons.get(k).level(left[k], right[k]);
    }
    return levels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatchModel other && comparisons.equals(other.comparisons)
        && Arrays.deepEquals(m, other.m) && Arrays.deepEquals(u, other.u)
        && Double.compare(lambda, other.lambda) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * comparisons.hashCode() + Arrays.deepHashCode(m))
        + Arrays.deepHashCode(u)) + Double.hashCode(lambda);
  }

  /**
   * A table for people: the prior, then one line per comparison level from exact down, with
   * its m, u and weight.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "MatchModel lambda=%.6g prior_weight=%.3f%n", lambda,
        priorWeight()));
    sb.append(String.format(Locale.ROOT, "  %-16s %-36s %10s %10s %8s%n", "comparison", "level",
        "m", "u", "weight"));
    for (int k = 0; k < m.length; k++) {
      Comparison c = comparisons.get(k);
      for (int level = m[k].length - 1; level >= 0; level--) {
        sb.append(String.format(Locale.ROOT, "  %-16s %-36s %10.6f %10.6f %8.3f%n", c.name(),
            level + " " + c.levelLabel(level), m[k][level], u[k][level], weight(k, level)));
      }
    }
    return sb.toString();
  }

  private void checkLevel(int comparison, int level) {
    if (comparison < 0 || comparison >= m.length) {
      throw new CdpException("comparison index must be in 0.." + (m.length - 1) + " "
          + names() + ": " + comparison);
    }
    comparisons.get(comparison).checkLevel(level);
  }

  private List<String> names() {
    return comparisons.stream().map(Comparison::name).toList();
  }

  static double clamp(double p) {
    return Math.min(1 - MIN_PROBABILITY, Math.max(MIN_PROBABILITY, p));
  }

  private static double log2(double x) {
    return Math.log(x) / LN2;
  }

  private static double[][] checkedCopy(String what, List<Comparison> comparisons,
      double[][] p) {
    if (p == null || p.length != comparisons.size()) {
      throw new CdpException("match model " + what + " needs one row per comparison ("
          + comparisons.size() + "), got " + (p == null ? null : p.length + " rows"));
    }
    double[][] copy = new double[p.length][];
    for (int k = 0; k < p.length; k++) {
      Comparison c = comparisons.get(k);
      double[] row = p[k];
      if (row == null || row.length != c.levels()) {
        throw new CdpException("match model " + what + " of comparison '" + c.name()
            + "' needs one probability per level (" + c.levels() + "): "
            + Arrays.toString(row));
      }
      double sum = 0;
      for (double v : row) {
        if (!(v >= 0 && v <= 1)) {
          throw new CdpException("match model " + what + " of comparison '" + c.name()
              + "' must hold probabilities in [0,1]: " + Arrays.toString(row));
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        throw new CdpException("match model " + what + " of comparison '" + c.name()
            + "' must sum to 1, sums to " + sum + ": " + Arrays.toString(row));
      }
      copy[k] = row.clone();
    }
    return copy;
  }

  private static double[][] deepCopy(double[][] p) {
    double[][] copy = new double[p.length][];
    for (int k = 0; k < p.length; k++) {
      copy[k] = p[k].clone();
    }
    return copy;
  }
}
