package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.MlSettings;
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

  /** Trains {@code model} under the test's settings plus {@code extra} HOCON; prints metrics. */
  private static ModelTraining.TrainReport train(String model, String extra) {
    CdpSettings withExtra = TestConfig.fromHocon(dir.resolve("lake"), hocon() + extra);
    ModelTraining.TrainReport r = new ModelTraining(lake, withExtra, System.err::println)
        .run(model, END.plusDays(1));
    System.err.println(model + " " + r.metrics() + " " + r.calibration());
    return r;
  }

  @Test
  void churnWithoutACalibrationMapBeatsRecencyBaselineAndIsCalibrated() {
    ModelTraining.TrainReport r = train("churn", "cdp.ml.training.calibration = none\n");
    assertThat(r.split().validationCutoff()).isEqualTo(END.plusDays(1).minusDays(60));
    assertThat(r.split().trainCutoffs()).allMatch(c -> !c.plusDays(60)
        .isAfter(r.split().validationCutoff()));
    assertThat(r.metrics().get("roc_auc")).isGreaterThan(r.metrics().get("baseline_roc_auc"));
    assertThat(r.calibration()).hasSize(10);
    assertThat(ModelMetrics.maxCalibrationError(r.calibration()))
        .isLessThan(CALIBRATION_TOLERANCE);
    assertThat(calibrationNote(r)).isEqualTo("none (cdp.ml.training.calibration = none)");
  }

  /**
   * Lifetime value, the regression: on the held-out validation cutoff its expected spend in the
   * next 60 days is closer to what was spent (MAE, RMSE) and ranks the customers better
   * (Spearman) than last year's spend scaled to the horizon; the registry keeps its metrics.
   */
  @Test
  void lifetimeValueBeatsLastYearsSpendOnErrorAndRank() {
    ModelTraining.TrainReport r = train("clv", "cdp.ml.models.clv { horizon-days = 60,"
        + " grid.gbt { max-depth = [2], max-iter = [20] } }\n");
    assertThat(r.split().validationCutoff()).isEqualTo(END.plusDays(1).minusDays(60));
    assertThat(r.metrics().get("mean_actual")).isPositive();
    assertThat(r.metrics().get("mae")).isLessThan(r.metrics().get("baseline_mae"));
    assertThat(r.metrics().get("rmse")).isLessThan(r.metrics().get("baseline_rmse"));
    assertThat(r.metrics().get("spearman")).isGreaterThan(r.metrics().get("baseline_spearman"));
    assertThat(r.metrics()).doesNotContainKey("roc_auc");
    Row registered = lake.read(CdpTable.GOLD_MODEL_REGISTRY)
        .filter(col(MlColumns.VERSION).equalTo(r.version())).first();
    assertThat(registered.getJavaMap(registered.fieldIndex(MlColumns.METRICS)))
        .containsEntry("rmse", r.metrics().get("rmse"));
  }

  @Test
  void propensityBeatsRecencyBaselineAndIsCalibratedByPlattScaling() {
    CdpSettings platt = TestConfig.fromHocon(dir.resolve("lake"), hocon()
        + "cdp.ml.training.calibration = platt\n");
    // the latest training cutoff was held out and calibrated the model; the registry says how
    trainCalibratedOnTheLatestCutoff(platt, "propensity",
        held -> "platt on the held-out cutoff " + held + ": p = 1 / (1 + exp(");
  }

  /**
   * Trains {@code model} under {@code settings}: better than the recency baseline, calibrated
   * within the tolerance, the latest training cutoff held out for the map, and the registry's
   * note on it starting with {@code note} of that cutoff.
   */
  private static ModelTraining.TrainReport trainCalibratedOnTheLatestCutoff(
      CdpSettings settings, String model, java.util.function.Function<LocalDate, String> note) {
    ModelTraining.TrainReport r = new ModelTraining(lake, settings, System.err::println)
        .run(model, END.plusDays(1));
    System.err.println(model + " " + r.metrics() + " " + r.calibration());
    assertThat(r.metrics().get("roc_auc")).isGreaterThan(r.metrics().get("baseline_roc_auc"));
    assertThat(ModelMetrics.maxCalibrationError(r.calibration()))
        .isLessThan(CALIBRATION_TOLERANCE);
    LocalDate held = r.split().trainCutoffs().get(r.split().trainCutoffs().size() - 1);
    assertThat(calibrationNote(r)).startsWith(note.apply(held));
    assertThat(r.metrics()).containsKeys("uncalibrated_max_calibration_error",
        "uncalibrated_log_loss");
    return r;
  }

  @Test
  void churnCalibratedByIsotonicRegressionReloadsAndScoresWithinTheMap() {
    CdpSettings isotonic = settings;
    assertThat(isotonic.ml().training().calibration()).as("the default")
        .isEqualTo(MlSettings.Calibration.ISOTONIC);
    ModelTraining.TrainReport r = trainCalibratedOnTheLatestCutoff(isotonic, "churn",
        held -> "isotonic on the held-out cutoff " + held + ": ");

    // the saved pipeline, read back as scoring reads a champion, ends in the isotonic map:
    // scores lie within its range and never fall as the model's own probability rises
    String path = lake.read(CdpTable.GOLD_MODEL_REGISTRY)
        .filter(col(MlColumns.VERSION).equalTo(r.version()))
        .select(MlColumns.MODEL_PATH).first().getString(0);
    PipelineModel saved = PipelineModel.load(path);
    double[] heights = ((IsotonicRegressionModel) saved.stages()[saved.stages().length - 1])
        .predictions().toArray();
    Dataset<Row> features = CustomerFeatures.population(CustomerFeatures.buildFeatures(
        CustomerFeatures.customerEvents(lake.read(CdpTable.BRONZE_EVENTS),
            lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)),
        CustomerFeatures.cutoffs(lake.spark(), List.of(END.plusDays(1))), END.minusDays(DAYS),
        isotonic.ml()), isotonic.ml().model("churn"));
    List<Row> scored = ModelPipelines.score(saved, features, "churn")
        .select(functions.vector_to_array(col("probability"), "float64").getItem(1).as("p"),
            col(ModelPipelines.SCORED))
        .orderBy("p").collectAsList();
    assertThat(scored).hasSizeGreaterThan(100);
    for (int i = 0; i < scored.size(); i++) {
      double score = scored.get(i).getDouble(1);
      assertThat(score).isBetween(heights[0], heights[heights.length - 1]);
      if (i > 0 && scored.get(i).getDouble(0) > scored.get(i - 1).getDouble(0)) {
        assertThat(score).isGreaterThanOrEqualTo(scored.get(i - 1).getDouble(1));
      }
    }
    assertThat(scored.stream().map(x -> x.getDouble(1)).distinct().count())
        .as("more than one probability").isGreaterThan(1);
  }

  private static String calibrationNote(ModelTraining.TrainReport r) {
    return lake.read(CdpTable.GOLD_MODEL_REGISTRY)
        .filter(col(MlColumns.VERSION).equalTo(r.version()))
        .select(col(MlColumns.PARAMS).getItem("calibration")).first().getString(0);
  }
}
