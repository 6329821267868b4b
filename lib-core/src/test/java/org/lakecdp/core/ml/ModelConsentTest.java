package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Training and scoring leave out customers who had withdrawn a modelling purpose
 * (cdp.privacy.modelling-purposes) before the cutoff, and only them.
 */
@ExtendWith(SparkTestSession.class)
class ModelConsentTest {
  private static final LocalDate FIRST = LocalDate.of(2024, 1, 1);
  private static final LocalDate TODAY = FIRST.plusDays(240);

  @TempDir
  Path dir;

  private static Set<String> customers(Lakehouse lake, CdpTable table, LocalDate asOf) {
    return lake.read(table).where(col(MlColumns.AS_OF).equalTo(lit(java.sql.Date.valueOf(
            asOf)))).select(MlColumns.CUSTOMER_ID).collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  @Test
  void customersWhoWithdrewBeforeTheCutoffAreNeitherTrainedOnNorScored() {
    CdpSettings settings = SparkTestSession.settings(dir.resolve("lake"),
        "cdp.ml.models.churn.enabled", "false", "cdp.ml.models.clv.enabled", "false",
        "cdp.ml.models.propensity.horizon-days", "30",
        "cdp.ml.models.propensity.grid.gbt.max-depth", "[2]",
        "cdp.ml.models.propensity.grid.gbt.max-iter", "[5]",
        "cdp.ml.training.cutoffs", "2");
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    List<MlTestData.Event> shop = new ArrayList<>(MlTestData.shop(150, FIRST, 240, 11));
    // the three customers active earliest: all have features at every cutoff
    List<String> early = shop.stream().sorted(Comparator.comparing(MlTestData.Event::time))
        .map(MlTestData.Event::customer).distinct().limit(3).toList();
    String always = early.get(0);
    String lately = early.get(1);
    String granted = early.get(2);
    shop.add(MlTestData.event(always, "consent", FIRST + "T00:00:01Z", "consent_purpose",
        "analytics", "consent_status", "withdrawn"));
    // withdrawn the day before scoring, after every training cutoff
    shop.add(MlTestData.event(lately, "consent", TODAY.minusDays(1) + "T12:00:00Z",
        "consent_purpose", "Analytics", "consent_status", "WITHDRAWN"));
    // email_marketing is no modelling purpose; a grant is no withdrawal
    shop.add(MlTestData.event(granted, "consent", FIRST + "T00:00:01Z", "consent_purpose",
        "email_marketing", "consent_status", "withdrawn"));
    shop.add(MlTestData.event(granted, "consent", FIRST + "T00:00:02Z", "consent_purpose",
        "analytics", "consent_status", "granted"));
    MlTestData.write(lake, shop);

    ModelTraining.TrainReport trained = new ModelTraining(lake, settings, line -> { })
        .run("propensity", TODAY);
    List<LocalDate> cutoffs = new ArrayList<>(trained.split().trainCutoffs());
    cutoffs.add(trained.split().validationCutoff());
    for (LocalDate cutoff : cutoffs) {
      assertThat(cutoff).isBefore(TODAY.minusDays(1));
      Set<String> rows = customers(lake, CdpTable.GOLD_CUSTOMER_FEATURES, cutoff);
      assertThat(rows).as("features at " + cutoff).contains(lately, granted)
          .doesNotContain(always);
    }

    CustomerScoring.ScoreReport scored = new CustomerScoring(lake, settings, line -> { })
        .run(TODAY);
    assertThat(scored.asOf()).isEqualTo(TODAY);
    Set<String> scoredCustomers = customers(lake, CdpTable.GOLD_CUSTOMER_SCORES, TODAY);
    assertThat(scoredCustomers).contains(granted).doesNotContain(always, lately);
    assertThat(customers(lake, CdpTable.GOLD_CUSTOMER_FEATURES, TODAY))
        .contains(granted).doesNotContain(always, lately);
    // everyone else with events is scored: only the two withdrawals are left out
    long withEvents = shop.stream().map(MlTestData.Event::customer).distinct().count();
    assertThat(scoredCustomers).hasSize((int) withEvents - 2);
  }
}
