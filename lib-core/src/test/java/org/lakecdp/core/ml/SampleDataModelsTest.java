package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SampleSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.sample.SampleDataGenerator;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

/**
 * The models on generated sample data, through the real ingest and identity stages: churn
 * and propensity beat the recency-only baseline on the held-out validation cutoff and are
 * calibrated per decile within a tolerance (propensity by a Platt map fitted on the latest
 * training cutoff).
 */
@ExtendWith(SparkTestSession.class)
class SampleDataModelsTest {
  private static final int PERSONS = 400;
  private static final int DAYS = 300;
  private static final LocalDate END = LocalDate.of(2024, 12, 31);
  /** Largest |mean predicted - observed| allowed in a decile of about 30-60 customers. */
  private static final double CALIBRATION_TOLERANCE = 0.2;

  @TempDir
  static Path dir;

  private static CdpSettings settings;
  private static Lakehouse lake;

  @BeforeAll
  static void buildLakehouse() {
    Path sample = dir.resolve("sample");
    SampleDataGenerator.generate(new SampleSettings(sample.toString(), PERSONS, DAYS, END, 11),
        line -> { });
    settings = TestConfig.fromHocon(dir.resolve("lake"), hocon());
    lake = SparkTestSession.lakehouse(settings);
    LocalDate today = END.plusDays(1);
    new BronzeIngest(lake, settings, line -> { }).run(new IngestRequest(today, false, false,
        List.of()));
    new IdentityResolution(lake, settings, line -> { }).run(today);
  }

  private static String hocon() {
    Path sample = dir.resolve("sample");
    String db = "mls" + Math.abs(dir.hashCode() % 100000);
    return """
        include file("%s")
        cdp.sample.root = "%s"
        cdp.lakehouse.databases { bronze = %3$s_bronze, silver = %3$s_silver,
                                  gold = %3$s_gold, ops = %3$s_ops }
        cdp.identity.probabilistic.enabled = false
        cdp.ml.models.churn { horizon-days = 60, grid.gbt { max-depth = [2], max-iter = [20] } }
        cdp.ml.models.propensity { horizon-days = 45,
                                   grid.gbt { max-depth = [2], max-iter = [20] } }
        cdp.ml.training.cutoffs = 5
        """.formatted(repo().resolve("conf/sources/sample.conf"), sample, db);
  }

  private static Path repo() {
    return Path.of("..").toAbsolutePath().normalize();
  }

  @Test
  void churnBeatsRecencyBaselineAndIsCalibrated() {
    ModelTraining.TrainReport r = new ModelTraining(lake, settings, System.err::println)
        .run("churn", END.plusDays(1));
    System.err.println("churn " + r.metrics() + " " + r.calibration());
    assertThat(r.split().validationCutoff()).isEqualTo(END.plusDays(1).minusDays(60));
    assertThat(r.split().trainCutoffs()).allMatch(c -> !c.plusDays(60)
        .isAfter(r.split().validationCutoff()));
    assertThat(r.metrics().get("roc_auc")).isGreaterThan(r.metrics().get("baseline_roc_auc"));
    assertThat(r.calibration()).hasSize(10);
    assertThat(ModelMetrics.maxCalibrationError(r.calibration()))
        .isLessThan(CALIBRATION_TOLERANCE);
    assertThat(calibrationNote(r)).isEqualTo("none (cdp.ml.training.calibration = none)");
  }

  @Test
  void propensityBeatsRecencyBaselineAndIsCalibratedByPlattScaling() {
    CdpSettings platt = TestConfig.fromHocon(dir.resolve("lake"), hocon()
        + "cdp.ml.training.calibration = platt\n");
    ModelTraining.TrainReport r = new ModelTraining(lake, platt, System.err::println)
        .run("propensity", END.plusDays(1));
    System.err.println("propensity " + r.metrics() + " " + r.calibration());
    assertThat(r.metrics().get("roc_auc")).isGreaterThan(r.metrics().get("baseline_roc_auc"));
    assertThat(ModelMetrics.maxCalibrationError(r.calibration()))
        .isLessThan(CALIBRATION_TOLERANCE);
    // the latest training cutoff was held out and calibrated the model; the registry says how
    LocalDate held = r.split().trainCutoffs().get(r.split().trainCutoffs().size() - 1);
    assertThat(calibrationNote(r))
        .startsWith("platt on the held-out cutoff " + held + ": p = 1 / (1 + exp(");
    assertThat(r.metrics()).containsKeys("uncalibrated_max_calibration_error",
        "uncalibrated_log_loss");
  }

  private static String calibrationNote(ModelTraining.TrainReport r) {
    return lake.read(CdpTable.GOLD_MODEL_REGISTRY)
        .filter(col(MlColumns.VERSION).equalTo(r.version()))
        .select(col(MlColumns.PARAMS).getItem("calibration")).first().getString(0);
  }
}
