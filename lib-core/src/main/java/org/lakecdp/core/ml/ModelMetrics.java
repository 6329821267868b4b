package org.lakecdp.core.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Validation metrics of scores against outcomes, computed on the driver from plain arrays
 * (one pair per validation row). Spark-free, so each is unit-tested by hand-computed cases.
 */
public final class ModelMetrics {
  private ModelMetrics() {}

  /** One decile of predictions: rows, mean prediction, mean outcome. */
  public record Bin(int decile, long rows, double meanPredicted, double observed) {}

  /**
   * Area under the ROC curve: the probability that a random positive scores above a random
   * negative, ties counting one half (Mann-Whitney). NaN when one class is absent.
   */
  public static double rocAuc(double[] scores, double[] labels) {
    double[] ranks = ranks(scores);
    double positives = 0;
    double rankSum = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 0.5) {
        positives++;
        rankSum += ranks[i];
      }
    }
    double negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
  }

  /**
   * Area under the precision-recall curve as average precision: the mean, over positives,
   * of the precision at each positive's score (tied scores taken together). NaN without
   * positives.
   */
  public static double prAuc(double[] scores, double[] labels) {
    Integer[] order = descending(scores);
    double positives = Arrays.stream(labels).filter(l -> l > 0.5).count();
    if (positives == 0) {
      return Double.NaN;
    }
    double tp = 0;
    double seen = 0;
    double sum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      double groupTp = 0;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        groupTp += labels[order[j]] > 0.5 ? 1 : 0;
        j++;
      }
      tp += groupTp;
      seen += j - i;
      sum += groupTp * (tp / seen);
      i = j;
    }
    return sum / positives;
  }

  /** Mean binary cross-entropy, probabilities clipped to [1e-15, 1 - 1e-15]. */
  public static double logLoss(double[] probabilities, double[] labels) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
      sum -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
    }
    return sum / labels.length;
  }

  /**
   * Ten bins of equal size (the first {@code n % 10} one row larger) by ascending
   * prediction; decile 10 holds the highest predictions. Fewer than ten rows give fewer bins.
   */
  public static List<Bin> deciles(double[] predictions, double[] outcomes) {
    Integer[] order = ascending(predictions);
    int n = order.length;
    List<Bin> bins = new ArrayList<>();
    int start = 0;
    int count = Math.min(10, n);
    for (int d = 0; d < count; d++) {
      int size = n / count + (d < n % count ? 1 : 0);
      double p = 0;
      double o = 0;
      for (int k = start; k < start + size; k++) {
        p += predictions[order[k]];
        o += outcomes[order[k]];
      }
      bins.add(new Bin(d + 1, size, p / size, o / size));
      start += size;
    }
    return bins;
  }

  /** Largest |mean prediction - observed rate| over the deciles. */
  public static double maxCalibrationError(List<Bin> bins) {
    return bins.stream().mapToDouble(b -> Math.abs(b.meanPredicted() - b.observed())).max()
        .orElse(Double.NaN);
  }

  /** Outcome rate of the top decile divided by the overall rate; NaN when the rate is 0. */
  public static double liftTopDecile(double[] predictions, double[] outcomes) {
    List<Bin> bins = deciles(predictions, outcomes);
    double overall = Arrays.stream(outcomes).average().orElse(Double.NaN);
    return overall == 0 || bins.isEmpty() ? Double.NaN
        : bins.get(bins.size() - 1).observed() / overall;
  }

  /** Mean absolute error. */
  public static double mae(double[] predictions, double[] actuals) {
    double sum = 0;
    for (int i = 0; i < actuals.length; i++) {
      sum += Math.abs(predictions[i] - actuals[i]);
    }
    return sum / actuals.length;
  }

  /** Root mean squared error. */
  public static double rmse(double[] predictions, double[] actuals) {
    double sum = 0;
    for (int i = 0; i < actuals.length; i++) {
      double e = predictions[i] - actuals[i];
      sum += e * e;
    }
    return Math.sqrt(sum / actuals.length);
  }

  /** Spearman rank correlation (Pearson on average ranks); NaN when either side is constant. */
  public static double spearman(double[] a, double[] b) {
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double ma = Arrays.stream(ra).average().orElse(0);
    double mb = Arrays.stream(rb).average().orElse(0);
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < ra.length; i++) {
      cov += (ra[i] - ma) * (rb[i] - mb);
      va += (ra[i] - ma) * (ra[i] - ma);
      vb += (rb[i] - mb) * (rb[i] - mb);
    }
    return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
  }

  /** 1-based ranks, ties sharing their average rank. */
  static double[] ranks(double[] values) {
    Integer[] order = ascending(values);
    double[] ranks = new double[values.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && values[order[j]] == values[order[i]]) {
        j++;
      }
      double rank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) {
        ranks[order[k]] = rank;
      }
      i = j;
    }
    return ranks;
  }

  private static Integer[] ascending(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    return order;
  }

  private static Integer[] descending(double[] values) {
    Integer[] order = ascending(values);
    Integer[] reversed = new Integer[order.length];
    for (int i = 0; i < order.length; i++) {
      reversed[i] = order[order.length - 1 - i];
    }
    return reversed;
  }
}
