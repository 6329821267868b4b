package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Registry promotion and champion scoring on a simulated shop in real Delta tables: a first
 * model is promoted, a worse one is registered but not promoted, and scoring stamps the
 * champion's version on every score.
 */
@ExtendWith(SparkTestSession.class)
class ModelRegistryTest {
  private static final LocalDate FIRST = LocalDate.of(2024, 1, 1);
  private static final LocalDate TODAY = FIRST.plusDays(240);

  @TempDir
  static Path dir;

  private static List<MlTestData.Event> shop;

  @BeforeAll
  static void simulate() {
    shop = MlTestData.shop(300, FIRST, 240, 5);
  }

  private static CdpSettings settings(Path root) {
    return SparkTestSession.settings(root,
        "cdp.ml.models.propensity.horizon-days", "30",
        "cdp.ml.models.propensity.grid.gbt.max-depth", "[2]",
        "cdp.ml.models.propensity.grid.gbt.max-iter", "[10]",
        "cdp.ml.models.churn.grid.gbt.max-depth", "[3]",
        "cdp.ml.models.churn.grid.gbt.max-iter", "[20]",
        "cdp.ml.models.clv.enabled", "false",
        "cdp.ml.training.cutoffs", "3",
        // 240 days of shop: churn's training cutoffs lie 30 and 60 days in, which only a
        // history counted from the first event and unscaled windows allow
        "cdp.ml.training.history-start", "first-event",
        "cdp.ml.training.min-history-days", "30",
        "cdp.ml.scale-partial-windows", "false");
  }

  /** A churn grid of one stump, in the lakehouse of {@code good}, with {@code extra} set. */
  private static CdpSettings weak(Path root, CdpSettings good, String... extra) {
    List<String> pairs = new java.util.ArrayList<>(List.of(
        "cdp.lakehouse.databases.bronze", good.lakehouse().bronzeDb(),
        "cdp.lakehouse.databases.silver", good.lakehouse().silverDb(),
        "cdp.lakehouse.databases.gold", good.lakehouse().goldDb(),
        "cdp.lakehouse.databases.ops", good.lakehouse().opsDb(),
        "cdp.ml.models.churn.grid.gbt.max-depth", "[1]",
        "cdp.ml.models.churn.grid.gbt.max-iter", "[1]",
        "cdp.ml.training.cutoffs", "3",
        "cdp.ml.training.history-start", "first-event",
        "cdp.ml.training.min-history-days", "30",
        "cdp.ml.scale-partial-windows", "false"));
    pairs.addAll(List.of(extra));
    return SparkTestSession.settings(root, pairs.toArray(String[]::new));
  }

  @Test
  void aWorseModelIsRegisteredButNotPromotedAndScoringUsesTheChampion() {
    Path root = dir.resolve("promotion");
    CdpSettings good = settings(root);
    Lakehouse lake = SparkTestSession.lakehouse(good);
    MlTestData.write(lake, shop);

    ModelTraining.TrainReport first = new ModelTraining(lake, good, line -> { })
        .run("churn", TODAY);
    assertThat(first.version()).isEqualTo("churn-v1");
    assertThat(first.promoted()).isTrue();

    // one stump: the same features, far less capacity; judged by its ranking
    ModelTraining.TrainReport second = new ModelTraining(lake,
        weak(root, good, "cdp.ml.training.promotion-metric", "roc-auc"), line -> { })
        .run("churn", TODAY);
    assertThat(second.version()).isEqualTo("churn-v2");
    assertThat(second.metrics().get("champion_roc_auc"))
        .as("the champion is evaluated on the same validation rows")
        .isEqualTo(first.metrics().get("roc_auc"));
    assertThat(second.metrics().get("roc_auc")).isLessThan(first.metrics().get("roc_auc"));
    assertThat(second.promoted()).isFalse();
    assertThat(second.decision()).startsWith("roc_auc ").endsWith(": not promoted");

    List<Row> registry = lake.read(CdpTable.GOLD_MODEL_REGISTRY).orderBy(MlColumns.VERSION)
        .collectAsList();
    assertThat(registry).extracting(r -> r.getAs(MlColumns.VERSION),
        r -> r.getAs(MlColumns.PROMOTED), r -> r.getAs(MlColumns.COMPARED_WITH))
        .containsExactly(tuple("churn-v1", true, null), tuple("churn-v2", false, "churn-v1"));
    Row v1 = registry.get(0);
    assertThat(v1.<String>getAs(MlColumns.CONFIG_HASH)).isEqualTo(good.configHash());
    assertThat(v1.getJavaMap(v1.fieldIndex(MlColumns.DATA_VERSIONS)))
        .containsKeys(lake.name(CdpTable.BRONZE_EVENTS),
            lake.name(CdpTable.SILVER_CUSTOMER_MEMBERSHIP),
            lake.name(CdpTable.GOLD_CUSTOMER_FEATURES));
    assertThat(v1.getList(v1.fieldIndex(MlColumns.FEATURE_LIST)))
        .containsExactlyElementsOf(CustomerFeatures.names(good.ml()));
    assertThat(v1.getList(v1.fieldIndex(MlColumns.CALIBRATION))).hasSize(10);
    assertThat(new ModelRegistry(lake).champion("churn").orElseThrow().version())
        .isEqualTo("churn-v1");

    // the stump again, judged by log loss (the default): worse probabilities, not promoted
    ModelTraining.TrainReport byLogLoss = new ModelTraining(lake, weak(root, good), line -> { })
        .run("churn", TODAY);
    assertThat(byLogLoss.version()).isEqualTo("churn-v3");
    assertThat(byLogLoss.metrics().get("champion_log_loss"))
        .as("the champion's log loss on the same validation rows")
        .isEqualTo(first.metrics().get("log_loss"));
    assertThat(byLogLoss.metrics().get("log_loss")).isGreaterThan(first.metrics().get("log_loss"));
    assertThat(byLogLoss.promoted()).isFalse();
    assertThat(byLogLoss.decision()).startsWith("log_loss ").endsWith(": not promoted");
    assertThat(new ModelRegistry(lake).champion("churn").orElseThrow().version())
        .isEqualTo("churn-v1");

    // scoring: churn has its champion; propensity has none and is trained first
    CustomerScoring.ScoreReport scored = new CustomerScoring(lake, good, line -> { })
        .run(TODAY);
    assertThat(scored.versions()).containsEntry("churn", "churn-v1")
        .containsEntry("propensity", "propensity-v1").doesNotContainKey("clv");
    assertThat(scored.asOf()).isEqualTo(TODAY);
    List<Row> scores = lake.read(CdpTable.GOLD_CUSTOMER_SCORES).collectAsList();
    assertThat(scores).extracting(r -> r.getAs(MlColumns.MODEL),
        r -> r.getAs(MlColumns.MODEL_VERSION), r -> r.getAs(MlColumns.HORIZON_DAYS),
        r -> r.getAs(MlColumns.RUN_ID)).containsOnly(
            tuple("churn", "churn-v1", 90, scored.runId()),
            tuple("propensity", "propensity-v1", 30, scored.runId()));
    assertThat(scores).allMatch(r -> r.<Double>getAs(MlColumns.SCORE) >= 0
        && r.<Double>getAs(MlColumns.SCORE) <= 1);
    long customers = lake.read(CdpTable.GOLD_CUSTOMER_FEATURES)
        .filter(col(MlColumns.AS_OF).equalTo(java.sql.Date.valueOf(TODAY))).count();
    assertThat(scored.rowsByModel().get("propensity")).isEqualTo(customers);
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_SCORES).schema().simpleString())
        .isEqualTo("struct<customer_id:string,model:string,model_version:string,score:double,"
            + "horizon_days:int,as_of:date,scored_at:timestamp,run_id:string>");

    // a rerun of the day on the same input writes nothing: the first run's rows stay
    long scoresVersion = lake.version(CdpTable.GOLD_CUSTOMER_SCORES);
    long featuresVersion = lake.version(CdpTable.GOLD_CUSTOMER_FEATURES);
    CustomerScoring.ScoreReport again = new CustomerScoring(lake, good, line -> { })
        .run(TODAY);
    assertThat(again.versions()).isEqualTo(scored.versions());
    assertThat(again.notes()).anyMatch(n -> n.contains("unchanged"));
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_SCORES)).isEqualTo(scoresVersion);
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_FEATURES)).isEqualTo(featuresVersion);
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_SCORES).collectAsList())
        .containsExactlyInAnyOrderElementsOf(scores);
    // a day whose scores differ (one stored score altered) is replaced whole
    lake.spark().sql("UPDATE delta.`" + lake.path(CdpTable.GOLD_CUSTOMER_SCORES)
        + "` SET score = -1 WHERE customer_id = '" + scores.get(0).getAs(MlColumns.CUSTOMER_ID)
        + "'");
    CustomerScoring.ScoreReport third = new CustomerScoring(lake, good, line -> { })
        .run(TODAY);
    assertThat(lake.version(CdpTable.GOLD_CUSTOMER_SCORES)).isGreaterThan(scoresVersion + 1);
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_SCORES).count()).isEqualTo(scores.size());
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_SCORES).where(col(MlColumns.SCORE).lt(0))
        .count()).isZero();
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_SCORES).select(MlColumns.RUN_ID).distinct()
        .collectAsList()).extracting(r -> r.getString(0)).containsExactly(third.runId());

    // the feature windows changed: the champion reads a 365-day window today's rows lack, so
    // the two cannot be compared and the champion stays, unless told otherwise
    String[] narrower = {"cdp.ml.feature-windows-days", "[30, 90]",
        "cdp.ml.models.propensity.enabled", "false", "cdp.ml.models.clv.enabled", "false"};
    ModelTraining.TrainReport incomparable = new ModelTraining(lake,
        weak(root, good, narrower), line -> { }).run("churn", TODAY);
    assertThat(incomparable.version()).isEqualTo("churn-v4");
    assertThat(incomparable.promoted()).isFalse();
    assertThat(incomparable.decision()).isEqualTo("champion churn-v1 reads features today's"
        + " configuration does not build, so the two cannot be compared: not promoted (set"
        + " cdp.ml.training.promote-when-incomparable = true to replace it)");
    assertThat(new ModelRegistry(lake).champion("churn").orElseThrow().version())
        .isEqualTo("churn-v1");
    assertThatThrownBy(() -> new CustomerScoring(lake, weak(root, good, narrower), line -> { })
        .run(TODAY)).isInstanceOf(CdpException.class)
        .hasMessageContaining("champion churn-v1 reads features [")
        .hasMessageEndingWith("--set ml.training.promote-when-incomparable=true");

    String[] replacing = java.util.stream.Stream.concat(java.util.Arrays.stream(narrower),
        java.util.stream.Stream.of("cdp.ml.training.promote-when-incomparable", "true"))
        .toArray(String[]::new);
    ModelTraining.TrainReport replaced = new ModelTraining(lake, weak(root, good, replacing),
        line -> { }).run("churn", TODAY);
    assertThat(replaced.version()).isEqualTo("churn-v5");
    assertThat(replaced.promoted()).isTrue();
    assertThat(replaced.decision()).endsWith(": promoted"
        + " (cdp.ml.training.promote-when-incomparable = true)");
    CustomerScoring.ScoreReport rescored = new CustomerScoring(lake,
        weak(root, good, narrower), line -> { }).run(TODAY);
    assertThat(rescored.versions()).containsExactly(java.util.Map.entry("churn", "churn-v5"));
    assertThat(lake.read(CdpTable.GOLD_CUSTOMER_SCORES)
        .where(col(MlColumns.MODEL).equalTo("churn")).select(MlColumns.MODEL_VERSION)
        .distinct().collectAsList()).extracting(r -> r.getString(0))
        .containsExactly("churn-v5");
  }
}
