package org.lakecdp.core.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.config.MlSettings;

class TimeSplitTest {
  private static final MlSettings.Training TRAINING = new MlSettings.Training(3, 30, 30,
      MlSettings.HistoryStart.FIRST_EVENT, 0.75, 7, 0, true, 0.0,
      MlSettings.PromotionMetric.LOG_LOSS, MlSettings.Calibration.PLATT, 0, false);

  @Test
  void trainingLabelWindowsEndBeforeTheValidationCutoff() {
    LocalDate first = LocalDate.of(2024, 1, 1);
    LocalDate end = LocalDate.of(2025, 1, 1);
    TimeSplit split = TimeSplit.plan(first, first, end, 90, TRAINING).orElseThrow();
    assertThat(split.validationCutoff()).isEqualTo(LocalDate.of(2024, 10, 3));
    assertThat(split.trainCutoffs()).containsExactly(LocalDate.of(2024, 5, 6),
        LocalDate.of(2024, 6, 5), LocalDate.of(2024, 7, 5));
    assertThat(split.trainCutoffs().get(2).plusDays(90)).isEqualTo(split.validationCutoff());
  }

  @Test
  void cutoffsWithoutEnoughHistoryAreDropped() {
    LocalDate first = LocalDate.of(2024, 1, 1);
    // validation 2024-04-20; training 2024-03-21, 2024-02-20, and 2024-01-21 is dropped:
    // a cutoff needs 30 days of history, so none before 2024-01-31
    TimeSplit split = TimeSplit.plan(first, first, LocalDate.of(2024, 5, 20), 30, TRAINING)
        .orElseThrow();
    assertThat(split.validationCutoff()).isEqualTo(LocalDate.of(2024, 4, 20));
    assertThat(split.trainCutoffs()).containsExactly(LocalDate.of(2024, 2, 20),
        LocalDate.of(2024, 3, 21));
    assertThat(TimeSplit.plan(first, first, LocalDate.of(2024, 3, 1), 30, TRAINING)).isEmpty();
  }

  @Test
  void minimumHistoryCountsFromTheFirstPurchaseWhenConfigured() {
    LocalDate firstEvent = LocalDate.of(2019, 6, 1);
    LocalDate firstPurchase = LocalDate.of(2024, 1, 1);
    LocalDate end = LocalDate.of(2024, 5, 20);
    MlSettings.Training fromPurchase = new MlSettings.Training(3, 30, 30,
        MlSettings.HistoryStart.FIRST_PURCHASE, 0.75, 7, 0, true, 0.0,
        MlSettings.PromotionMetric.LOG_LOSS, MlSettings.Calibration.PLATT, 0, false);
    // counted from a CRM record of 2019 every cutoff has its 30 days; from the first
    // purchase 2024-01-21 has only 20 and is dropped
    assertThat(TimeSplit.plan(firstEvent, firstPurchase, end, 30, TRAINING).orElseThrow()
        .trainCutoffs()).containsExactly(LocalDate.of(2024, 1, 21), LocalDate.of(2024, 2, 20),
        LocalDate.of(2024, 3, 21));
    assertThat(TimeSplit.plan(firstEvent, firstPurchase, end, 30, fromPurchase).orElseThrow()
        .trainCutoffs()).containsExactly(LocalDate.of(2024, 2, 20), LocalDate.of(2024, 3, 21));
    assertThat(TimeSplit.plan(firstEvent, firstPurchase, LocalDate.of(2024, 3, 1), 30,
        fromPurchase)).isEmpty();
  }
}
