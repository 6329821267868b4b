package org.lakecdp.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;

class MlSettingsTest {
  @TempDir
  Path dir;

  private MlSettings load(String hocon) throws Exception {
    Path conf = dir.resolve("ml.conf");
    Files.writeString(conf, hocon);
    return CdpConfigLoader.load(conf, Map.of()).ml();
  }

  private void rejects(String hocon, String message) {
    assertThatThrownBy(() -> load(hocon)).isInstanceOf(CdpException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsNameCanonicalEventTypesAndTheGbtGrid() {
    MlSettings ml = CdpConfigLoader.load(null, Map.of()).ml();
    assertThat(ml.purchaseEventTypes()).containsExactly("purchase");
    assertThat(ml.amountAttribute()).isEqualTo("amount");
    assertThat(ml.windowsDays()).containsExactly(30, 90, 365);
    assertThat(ml.scalePartialWindows()).isTrue();
    assertThat(ml.training().calibration()).isEqualTo(MlSettings.Calibration.ISOTONIC);
    assertThat(ml.training().promotionMetric()).isEqualTo(MlSettings.PromotionMetric.LOG_LOSS);
    assertThat(ml.calendarFeatures()).isTrue();
    assertThat(ml.training().cutoffs()).isEqualTo(12);
    assertThat(ml.training().historyStart()).isEqualTo(MlSettings.HistoryStart.FIRST_PURCHASE);
    assertThat(ml.training().minHistoryDays()).isEqualTo(90);
    assertThat(ml.model("churn").horizonDays()).isEqualTo(90);
    assertThat(ml.model("churn").algorithm()).isEqualTo(MlSettings.Algorithm.GBT);
    assertThat(ml.model("churn").grid()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "max-depth", List.of(2.0, 4.0), "max-iter", List.of(30.0), "step-size", List.of(0.1)));
    assertThat(ml.training().retrainEveryDays()).isZero();
    assertThat(ml.training().trainIfNoChampion()).isTrue();
  }

  @Test
  void anotherCompanysEventTypesAndTheLogisticGridAreRead() throws Exception {
    MlSettings ml = load("""
        cdp.ml.purchase-event-types = [order_completed, store_sale]
        cdp.ml.amount-attribute = x_net_total
        cdp.ml.models.propensity { algorithm = logistic, category = shoes, horizon-days = 14 }
        cdp.ml.models.propensity.grid.logistic.reg-param = [0.5]
        """);
    assertThat(ml.purchaseEventTypes()).containsExactly("order_completed", "store_sale");
    assertThat(ml.amountAttribute()).isEqualTo("x_net_total");
    MlSettings.ModelSpec p = ml.model("propensity");
    assertThat(p.algorithm()).isEqualTo(MlSettings.Algorithm.LOGISTIC);
    assertThat(p.category()).isEqualTo("shoes");
    assertThat(p.grid()).containsEntry("reg-param", List.of(0.5))
        .containsEntry("elastic-net-param", List.of(0.0)).doesNotContainKey("max-depth");
  }

  @Test
  void gridsAndWindowsMayComeFromTheCommandLineAsText() {
    MlSettings ml = CdpConfigLoader.load(null, Map.of(
        "cdp.ml.models.churn.grid.gbt.max-depth", "[3, 5]",
        "cdp.ml.feature-windows-days", "[7, 28]")).ml();
    assertThat(ml.model("churn").grid()).containsEntry("max-depth", List.of(3.0, 5.0));
    assertThat(ml.windowsDays()).containsExactly(7, 28);
    assertThatThrownBy(() -> CdpConfigLoader.load(null, Map.of(
        "cdp.ml.models.churn.grid.gbt.max-depth", "[3,"))).hasMessage(
            "cdp.ml.models.churn.grid.gbt.max-depth must be a list of numbers: '[3,'");
  }

  @Test
  void badHorizonsWindowsAndCadenceAreNamed() {
    rejects("cdp.ml.models.churn.horizon-days = 0",
        "cdp.ml.models.churn.horizon-days must be in [1,3650]: 0");
    rejects("cdp.ml.models.clv.horizon-days = 5000",
        "cdp.ml.models.clv.horizon-days must be in [1,3650]: 5000");
    rejects("cdp.ml.feature-windows-days = [90, 30]",
        "cdp.ml.feature-windows-days must be ascending days in [1,3660]: [90, 30]");
    rejects("cdp.ml.feature-windows-days = [7.5]",
        "cdp.ml.feature-windows-days must be whole days: [7.5]");
    rejects("cdp.ml.training.retrain-every-days = -1",
        "cdp.ml.training.retrain-every-days must be in [0,3660]: -1");
    rejects("cdp.ml.training.tuning-train-ratio = 1",
        "cdp.ml.training.tuning-train-ratio must be in (0,1): 1.0");
    rejects("cdp.ml.purchase-event-types = []",
        "cdp.ml.purchase-event-types must name at least one event type: []");
    rejects("cdp.ml.training.promotion-metric = accuracy",
        "cdp.ml.training.promotion-metric must be one of [roc-auc, pr-auc, log-loss]:"
            + " 'accuracy'");
    rejects("cdp.ml.training.calibration = beta",
        "cdp.ml.training.calibration must be one of [platt, isotonic, none]: 'beta'");
    rejects("cdp.ml.training.history-start = first-order",
        "cdp.ml.training.history-start must be one of [first-event, first-purchase]:"
            + " 'first-order'");
    for (String key : List.of("cdp.ml.scale-partial-windows", "cdp.ml.calendar-features")) {
      assertThatThrownBy(() -> load(key + " = maybe"))
          .isInstanceOf(CdpException.class)
          .hasMessageStartingWith(key + " has the wrong type")
          .hasMessageEndingWith(": 'maybe'");
    }
  }

  @Test
  void badGridsAndAlgorithmsAreNamed() {
    rejects("cdp.ml.models.churn.grid.gbt.max-depth = []",
        "cdp.ml.models.churn.grid.gbt.max-depth must list at least one value: []");
    rejects("cdp.ml.models.churn.grid.gbt.max-depth = [2.5]",
        "cdp.ml.models.churn.grid.gbt.max-depth must hold whole numbers in [1,30]: [2.5]");
    rejects("cdp.ml.models.propensity.grid.gbt.step-size = [0]",
        "cdp.ml.models.propensity.grid.gbt.step-size must hold numbers in (0,1]: [0.0]");
    rejects("cdp.ml.models.churn.grid.gbt.depth = [3]",
        "unknown configuration key cdp.ml.models.churn.grid.gbt.depth"
            + " (did you mean cdp.ml.models.churn.grid.gbt.max-depth?)");
    rejects("cdp.ml.models.clv.algorithm = logistic",
        "cdp.ml.models.clv.algorithm must be gbt (a regression): 'logistic'");
    rejects("cdp.ml.models.churn.algorithm = forest",
        "cdp.ml.models.churn.algorithm must be one of [gbt, logistic]: 'forest'");
    rejects("cdp.ml.models.churn.category = shoes",
        "cdp.ml.models.churn.category applies to propensity only: 'shoes'");
  }
}
