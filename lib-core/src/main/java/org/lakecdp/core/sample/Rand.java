package org.lakecdp.core.sample;

import java.util.SplittableRandom;

/** Small sampling helpers over {@link SplittableRandom}; all deterministic for a given stream. */
final class Rand {
  private Rand() {}

  static boolean chance(SplittableRandom rng, double p) {
    return rng.nextDouble() < p;
  }

  static <T> T pick(SplittableRandom rng, T[] values) {
    return values[rng.nextInt(values.length)];
  }

  static double exponential(SplittableRandom rng, double mean) {
    return -mean * Math.log(1.0 - rng.nextDouble());
  }

  static double logNormal(SplittableRandom rng, double mu, double sigma) {
    return Math.exp(mu + sigma * rng.nextGaussian());
  }

  /** A Poisson draw; exact for small means, normal approximation above 40. */
  static int poisson(SplittableRandom rng, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 40) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * rng.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double product = rng.nextDouble();
    int n = 0;
    while (product > limit) {
      product *= rng.nextDouble();
      n++;
    }
    return n;
  }

  /** Cumulative weights for picking an index in proportion to its weight. */
  static final class Weighted {
    private final double[] cumulative;

    Weighted(double[] weights) {
      cumulative = new double[weights.length];
      double sum = 0;
      for (int i = 0; i < weights.length; i++) {
        sum += weights[i];
        cumulative[i] = sum;
      }
    }

    /** Weights {@code 1 / (rank+1)^exponent}: a few very common values, a long tail. */
    static Weighted zipf(int size, double exponent) {
      double[] w = new double[size];
      for (int i = 0; i < size; i++) {
        w[i] = 1.0 / Math.pow(i + 1, exponent);
      }
      return new Weighted(w);
    }

    int pick(SplittableRandom rng) {
      double x = rng.nextDouble() * cumulative[cumulative.length - 1];
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > x) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }
}
