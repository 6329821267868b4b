package org.lakecdp.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.MlSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.SparkSessions;
import org.lakecdp.core.ml.CustomerScoring;
import org.lakecdp.core.ml.ModelMetrics;
import org.lakecdp.core.ml.ModelTraining;

/**
 * The models on the sample retailer: sample data (reused when made with the same
 * parameters), bronze ingest and identity into a fresh lakehouse, then each model trained
 * (churn and propensity once per {@code --calibrations} entry, each a value of
 * {@code cdp.ml.training.calibration}: by default {@code none}, {@code platt}, then
 * {@code isotonic}) and every customer scored with the champions.
 * Prints, per model, training time, validation metrics next to the recency (or last-year
 * spend) baseline, and calibration by decile; appends one JSON line to
 * {@code <results>/ml-<timestamp>.json}. Nothing here asserts a number.
 *
 * <p>Usage: {@code MlBenchmark ml [--persons N] [--days D] [--work DIR] [--conf FILE]
 * [--results DIR] [--calibrations K,K,...]}; defaults 2,000 persons and 730 days: two
 * years, so the validation window's season has a year-earlier counterpart among the
 * training cutoffs (one year holds none; see bench/README.md, "The season").
 */
public final class MlBenchmark {
  private MlBenchmark() {}

  /** Runs the benchmark and exits with 0, 1 (failure) or 2 (bad usage). */
  public static void main(String[] args) {
    int code;
    try {
      run(args);
      code = 0;
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("usage: bench ml [--persons N] [--days D] [--work DIR] [--conf FILE]"
          + " [--results DIR] [--calibrations none,platt,isotonic]");
      code = 2;
    } catch (RuntimeException e) {
      System.err.println("bench: failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  private static void run(String[] args) {
    Map<String, String> flags = BenchFlags.parse("ml", args, Map.of("--persons", "2000",
        "--days", "730", "--work", "bench/work-ml", "--conf", "conf/application.conf",
        "--results", "bench/results", "--calibrations", "none,platt,isotonic"));
    List<String> kinds = List.of(flags.get("--calibrations").split(","));
    List<String> known = java.util.Arrays.stream(MlSettings.Calibration.values())
        .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    for (String kind : kinds) {
      if (!known.contains(kind)) {
        throw new IllegalArgumentException("--calibrations: '" + kind + "' is not one of "
            + known);
      }
    }
    Path work = Path.of(flags.get("--work")).toAbsolutePath().normalize();
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("cdp.lakehouse.root", work.resolve("lake").toString());
    overrides.put("cdp.sample.root", work.resolve("sample").toString());
    overrides.put("cdp.sample.persons", flags.get("--persons"));
    overrides.put("cdp.sample.days", flags.get("--days"));
    overrides.put("cdp.spark.conf.\"spark.ui.enabled\"", "false");
    CdpSettings settings = CdpConfigLoader.load(Path.of(flags.get("--conf")), overrides);
    IngestBenchmark.ensureSampleData(settings.sample());
    IngestBenchmark.deleteTree(work.resolve("lake"));
    LocalDate today = settings.sample().endDate().plusDays(1);

    SparkSession spark = SparkSessions.create(settings);
    try {
      Lakehouse lake = new Lakehouse(spark, settings.lakehouse());
      lake.ensureTables();
      long t = System.nanoTime();
      new BronzeIngest(lake, settings, MlBenchmark::progress).run(new IngestRequest(today,
          false, false, List.of()));
      new IdentityResolution(lake, settings, MlBenchmark::progress).run(today);
      progress(String.format(Locale.ROOT, "ingest + identity: %.1f s", seconds(t)));
      StringBuilder json = new StringBuilder("{\"at\":\"" + Instant.now() + "\",\"persons\":"
          + flags.get("--persons") + ",\"days\":" + flags.get("--days"));
      Map<String, CdpSettings> calibrations = new LinkedHashMap<>();
      for (String calibration : kinds) {
        Map<String, String> o = new LinkedHashMap<>(overrides);
        o.put("cdp.ml.training.calibration", calibration);
        calibrations.put(calibration, CdpConfigLoader.load(Path.of(flags.get("--conf")), o));
      }
      List<String[]> runs = new ArrayList<>();
      for (String model : List.of("churn", "propensity")) {
        kinds.forEach(kind -> runs.add(new String[] {model, kind}));
      }
      runs.add(new String[] {"clv", kinds.get(0)});
      for (String[] run : runs) {
        String model = run[0];
        String label = model.equals("clv") ? model : model + "/" + run[1];
        t = System.nanoTime();
        ModelTraining.TrainReport r = new ModelTraining(lake, calibrations.get(run[1]),
            MlBenchmark::progress).run(model, today);
        double s = seconds(t);
        System.out.printf(Locale.ROOT, "%s: trained in %.1f s on %,d rows, validated on %,d"
            + " (cutoff %s)%n", label, s, r.trainRows(), r.validationRows(),
            r.split().validationCutoff());
        r.metrics().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s %.4f%n", k, v));
        System.out.println("  decile  rows  mean_predicted  observed");
        for (ModelMetrics.Bin b : r.calibration()) {
          System.out.printf(Locale.ROOT, "  %6d %5d %15.4f %9.4f%n", b.decile(), b.rows(),
              b.meanPredicted(), b.observed());
        }
        json.append(",\"").append(label).append("\":{\"train_seconds\":")
            .append(String.format(Locale.ROOT, "%.1f", s));
        r.metrics().forEach((k, v) -> json.append(",\"").append(k).append("\":")
            .append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v) : "null"));
        json.append('}');
      }
      t = System.nanoTime();
      CustomerScoring.ScoreReport scored = new CustomerScoring(lake, settings,
          MlBenchmark::progress).run(today);
      double s = seconds(t);
      System.out.printf(Locale.ROOT, "score: %.1f s, rows %s%n", s, scored.rowsByModel());
      json.append(",\"score_seconds\":").append(String.format(Locale.ROOT, "%.1f", s))
          .append('}');
      IngestBenchmark.appendResult(flags.get("--results"), "ml", json);
    } finally {
      spark.stop();
    }
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }

  private static void progress(String line) {
    System.err.println(line);
  }
}
