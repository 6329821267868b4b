package org.lakecdp.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lakecdp.core.config.MlSettings;
import org.lakecdp.core.ml.ModelTraining;

/**
 * {@code cdp run train --model churn|propensity|clv}: trains a model (each enabled one
 * without {@code --model}), registers it, and promotes it when it beats the champion. Not
 * part of the nightly pipeline; scoring trains a model that has no champion yet.
 */
final class TrainJob implements Job {
  @Override
  public String name() {
    return ModelTraining.JOB;
  }

  @Override
  public String description() {
    return "train churn, propensity or clv (--model), register and promote (cdp_gold)";
  }

  @Override
  public boolean perDay() {
    return false;
  }

  @Override
  public String run(CdpSession session, JobOptions options) {
    MlSettings ml = session.settings().ml();
    List<String> models = options.models().isEmpty() ? MlSettings.MODEL_NAMES.stream()
        .filter(m -> ml.model(m).enabled()).toList() : options.models();
    models.forEach(ml::model);
    List<String> lines = new ArrayList<>();
    for (String model : models) {
      ModelTraining.TrainReport r = new ModelTraining(session.lakehouse(), session.settings(),
          session.progress()).run(model, options.date());
      lines.add(String.format(Locale.ROOT, "train %s: %s %s, %,d training and %,d validation"
          + " rows; %s; %s", r.runId(), model, r.version(), r.trainRows(), r.validationRows(),
          metrics(r.metrics()), r.decision()));
    }
    return String.join("\n", lines);
  }

  static String metrics(Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    metrics.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%.4f", v)));
    return String.join(", ", parts);
  }
}
