package org.lakecdp.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lakecdp.core.CdpException;

/**
 * Features, labels, training and scoring of the gold models ({@code cdp.ml}). Event types
 * are canonical bronze event types, so the same settings work on any company's sources.
 *
 * @param purchaseEventTypes event types that count as a purchase (labels, monetary features)
 * @param amountAttribute attribute holding a purchase's amount; missing or non-numeric is 0
 * @param pageViewEventTypes event types counted as page views
 * @param emailOpenEventTypes event types counted as email opens
 * @param emailClickEventTypes event types counted as email clicks
 * @param supportEventTypes event types counted as support tickets
 * @param windowsDays look-back windows of the windowed features, ascending
 * @param scalePartialWindows whether a window reaching back before the first event is
 *     scaled to its full length (counts times window / days of data), so that features of
 *     early cutoffs compare with those of later ones
 * @param calendarFeatures whether the models read the cutoff's day of the year (as sine and
 *     cosine), so that training cutoffs a year apart can teach them the seasons
 * @param training time-based split, tuning and retrain cadence
 * @param models the three models by name: churn, propensity, clv
 */
public record MlSettings(List<String> purchaseEventTypes, String amountAttribute,
    List<String> pageViewEventTypes, List<String> emailOpenEventTypes,
    List<String> emailClickEventTypes, List<String> supportEventTypes, List<Integer> windowsDays,
    boolean scalePartialWindows, boolean calendarFeatures, Training training,
    Map<String, ModelSpec> models) {

  /** Model names, in scoring order. */
  public static final List<String> MODEL_NAMES = List.of("churn", "propensity", "clv");

  public MlSettings {
    if (purchaseEventTypes.isEmpty()) {
      throw CdpException.badConfig("cdp.ml.purchase-event-types", "must name at least one"
          + " event type", purchaseEventTypes);
    }
    if (amountAttribute.isBlank()) {
      throw CdpException.badConfig("cdp.ml.amount-attribute", "must not be empty",
          amountAttribute);
    }
    if (windowsDays.isEmpty()) {
      throw CdpException.badConfig("cdp.ml.feature-windows-days", "must list at least one"
          + " window", windowsDays);
    }
    for (int i = 0; i < windowsDays.size(); i++) {
      int w = windowsDays.get(i);
      if (w < 1 || w > 3660 || (i > 0 && w <= windowsDays.get(i - 1))) {
        throw CdpException.badConfig("cdp.ml.feature-windows-days", "must be ascending days"
            + " in [1,3660]", windowsDays);
      }
    }
    purchaseEventTypes = List.copyOf(purchaseEventTypes);
    pageViewEventTypes = List.copyOf(pageViewEventTypes);
    emailOpenEventTypes = List.copyOf(emailOpenEventTypes);
    emailClickEventTypes = List.copyOf(emailClickEventTypes);
    supportEventTypes = List.copyOf(supportEventTypes);
    windowsDays = List.copyOf(windowsDays);
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  /** One model's settings, failing with the known names when {@code name} is not one. */
  public ModelSpec model(String name) {
    ModelSpec spec = models.get(name);
    if (spec == null) {
      throw CdpException.notOneOf("model", name, MODEL_NAMES);
    }
    return spec;
  }

  /**
   * The time-based split and when to retrain.
   *
   * @param cutoffs number of training cutoffs (snapshots), each {@code cutoffStepDays} apart
   * @param cutoffStepDays days between two training cutoffs
   * @param minHistoryDays days of history a cutoff needs before it, counted from
   *     {@code historyStart} (earlier cutoffs are skipped)
   * @param historyStart where the history of {@code minHistoryDays} starts
   * @param tuningTrainRatio share of training rows fitting each grid point in
   *     TrainValidationSplit; the rest picks the best point
   * @param seed random seed of tuning and of the learners
   * @param retrainEveryDays nightly scoring retrains a model whose champion is at least this
   *     many days old; 0 never retrains on its own (only {@code cdp run train} does)
   * @param trainIfNoChampion nightly scoring trains a model that has no champion yet
   * @param minImprovement a new model is promoted only when its promotion metric beats the
   *     champion's on the same validation rows by more than this: by this much for ROC AUC
   *     and PR AUC, by this share for log loss and (clv) RMSE
   * @param promotionMetric what churn and propensity are compared on for promotion (clv:
   *     RMSE)
   * @param calibration how churn and propensity probabilities are calibrated
   * @param maxTrainingRows at most this many training rows fit the model, a deterministic
   *     sample of them when there are more; 0 = every row
   * @param promoteWhenIncomparable whether a new model replaces a champion that reads
   *     features today's configuration does not build (and so cannot be compared with it)
   */
  public record Training(int cutoffs, int cutoffStepDays, int minHistoryDays,
      HistoryStart historyStart, double tuningTrainRatio, long seed, int retrainEveryDays,
      boolean trainIfNoChampion, double minImprovement, PromotionMetric promotionMetric,
      Calibration calibration, long maxTrainingRows, boolean promoteWhenIncomparable) {
    public Training {
      if (maxTrainingRows < 0) {
        throw CdpException.badConfig("cdp.ml.training.max-training-rows",
            "must be >= 0 (0 = every row)", maxTrainingRows);
      }
      range("cdp.ml.training.cutoffs", cutoffs, 1, 120);
      range("cdp.ml.training.cutoff-step-days", cutoffStepDays, 1, 3660);
      range("cdp.ml.training.min-history-days", minHistoryDays, 0, 3660);
      range("cdp.ml.training.retrain-every-days", retrainEveryDays, 0, 3660);
      if (!(tuningTrainRatio > 0 && tuningTrainRatio < 1)) {
        throw CdpException.badConfig("cdp.ml.training.tuning-train-ratio", "must be in (0,1)",
            tuningTrainRatio);
      }
      if (!(minImprovement >= 0)) {
        throw CdpException.badConfig("cdp.ml.training.min-improvement", "must be >= 0",
            minImprovement);
      }
    }
  }

  /**
   * Where a model's history starts, for {@link Training#minHistoryDays}: the first resolved
   * event of any type, or the first purchase. CRM and consent records often carry dates years
   * older than the behavioural history; counted from the first purchase, no training cutoff
   * sees purchase windows that the start of the history cut short.
   */
  public enum HistoryStart { FIRST_EVENT, FIRST_PURCHASE }

  /**
   * Calibration of the classifiers' probabilities. {@code PLATT}: the latest training cutoff
   * is held out of the grid search, and a logistic regression of its labels on the chosen
   * model's margin maps margins to probabilities (ranking unchanged). {@code ISOTONIC}: the
   * same held-out cutoff, and a non-decreasing map of the chosen model's probability fitted
   * to its labels (isotonic regression; ranking kept, ties where the map is flat).
   * {@code NONE}: the learner's own probabilities, every training cutoff in the search.
   */
  public enum Calibration { PLATT, ISOTONIC, NONE }

  /**
   * The validation metric a new churn or propensity model must beat the champion on.
   * {@code LOG_LOSS} (the default) rewards ranking and calibrated probabilities both, so a
   * calibrated model can replace an uncalibrated champion of the same ranking; {@code ROC_AUC}
   * judges the ranking alone (a calibration map's ties cost it a little), {@code PR_AUC} the
   * ranking of the rare positives.
   */
  public enum PromotionMetric {
    ROC_AUC("roc_auc", true), PR_AUC("pr_auc", true), LOG_LOSS("log_loss", false);

    private final String metric;
    private final boolean higherIsBetter;

    PromotionMetric(String metric, boolean higherIsBetter) {
      this.metric = metric;
      this.higherIsBetter = higherIsBetter;
    }

    /** Name of the metric in the registry's {@code metrics}. */
    public String metric() {
      return metric;
    }

    public boolean higherIsBetter() {
      return higherIsBetter;
    }
  }

  /** Learning algorithms a model may use. */
  public enum Algorithm {
    GBT(Set.of("max-depth", "max-iter", "step-size")),
    LOGISTIC(Set.of("reg-param", "elastic-net-param", "max-iter"));

    private final Set<String> gridKeys;

    Algorithm(Set<String> gridKeys) {
      this.gridKeys = gridKeys;
    }

    /** Hyperparameters this algorithm's grid may set. */
    public Set<String> gridKeys() {
      return gridKeys;
    }

    /** Lower-case name as written in configuration. */
    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One model.
   *
   * @param name churn, propensity or clv
   * @param enabled scored (and trained when needed) by nightly runs
   * @param horizonDays days after the cutoff the label looks at
   * @param category propensity only: purchases of this category count; empty for any
   * @param algorithm gradient-boosted trees or logistic regression (clv: trees only)
   * @param grid hyperparameter grid: each key to the values to try
   */
  public record ModelSpec(String name, boolean enabled, int horizonDays, String category,
      Algorithm algorithm, Map<String, List<Double>> grid) {
    public ModelSpec {
      String key = "cdp.ml.models." + name;
      if (!MODEL_NAMES.contains(name)) {
        throw CdpException.notOneOf("cdp.ml.models", name, MODEL_NAMES);
      }
      range(key + ".horizon-days", horizonDays, 1, 3650);
      if (name.equals("clv") && algorithm != Algorithm.GBT) {
        throw CdpException.badConfig(key + ".algorithm", "must be gbt (a regression)",
            algorithm.configName());
      }
      if (!name.equals("propensity") && !category.isEmpty()) {
        throw CdpException.badConfig(key + ".category", "applies to propensity only",
            category);
      }
      Map<String, List<Double>> copy = new LinkedHashMap<>();
      for (Map.Entry<String, List<Double>> e : grid.entrySet()) {
        String gridKey = key + ".grid." + algorithm.configName() + "." + e.getKey();
        if (!algorithm.gridKeys().contains(e.getKey())) {
          throw CdpException.notOneOf(gridKey.substring(0, gridKey.lastIndexOf('.'))
              + " key of algorithm " + algorithm.configName(), e.getKey(),
              new java.util.TreeSet<>(algorithm.gridKeys()));
        }
        if (e.getValue().isEmpty()) {
          throw CdpException.badConfig(gridKey, "must list at least one value", e.getValue());
        }
        for (double v : e.getValue()) {
          gridValue(gridKey, e.getKey(), v, e.getValue());
        }
        copy.put(e.getKey(), List.copyOf(new ArrayList<>(e.getValue())));
      }
      grid = java.util.Collections.unmodifiableMap(copy);
    }
  }

  private static void gridValue(String key, String param, double v, List<Double> all) {
    boolean ok = switch (param) {
      case "max-depth" -> v == Math.rint(v) && v >= 1 && v <= 30;
      case "max-iter" -> v == Math.rint(v) && v >= 1 && v <= 10_000;
      case "step-size" -> v > 0 && v <= 1;
      case "reg-param" -> v >= 0;
      case "elastic-net-param" -> v >= 0 && v <= 1;
      default -> false;
    };
    if (!ok) {
      String rule = switch (param) {
        case "max-depth" -> "must hold whole numbers in [1,30]";
        case "max-iter" -> "must hold whole numbers in [1,10000]";
        case "step-size" -> "must hold numbers in (0,1]";
        case "reg-param" -> "must hold numbers >= 0";
        default -> "must hold numbers in [0,1]";
      };
      throw CdpException.badConfig(key, rule, all);
    }
  }

  private static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw CdpException.badConfig(key, "must be in [" + min + "," + max + "]", value);
    }
  }
}
