package org.lakecdp.core.ml;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lakecdp.core.config.MlSettings;

/**
 * The time-based train/validation split of one model. The validation cutoff is the latest
 * day whose label window is complete ({@code dataEnd - horizon}); training cutoffs start one
 * horizon before it, so no training label reads the validation window, and go back
 * {@code cutoffStepDays} at a time. Every cutoff has {@code minHistoryDays} of history before
 * it, counted from the first event or the first purchase ({@code historyStart}).
 *
 * @param trainCutoffs training cutoffs, earliest first
 * @param validationCutoff the validation cutoff, after every training label window
 */
public record TimeSplit(List<LocalDate> trainCutoffs, LocalDate validationCutoff) {
  public TimeSplit {
    trainCutoffs = List.copyOf(trainCutoffs);
  }

  /**
   * The split for data from {@code firstEvent} (the first purchase on {@code firstPurchase})
   * to {@code dataEnd} (exclusive), or empty when the history is too short for one training
   * and one validation cutoff.
   */
  public static Optional<TimeSplit> plan(LocalDate firstEvent, LocalDate firstPurchase,
      LocalDate dataEnd, int horizonDays, MlSettings.Training training) {
    LocalDate earliest = historyStart(firstEvent, firstPurchase, training)
        .plusDays(training.minHistoryDays());
    LocalDate validation = dataEnd.minusDays(horizonDays);
    List<LocalDate> train = new ArrayList<>();
    for (int i = 0; i < training.cutoffs(); i++) {
      LocalDate c = validation.minusDays(horizonDays + (long) i * training.cutoffStepDays());
      if (c.isBefore(earliest)) {
        break;
      }
      train.add(0, c);
    }
    return train.isEmpty() ? Optional.empty() : Optional.of(new TimeSplit(train, validation));
  }

  /** The day {@code minHistoryDays} is counted from. */
  public static LocalDate historyStart(LocalDate firstEvent, LocalDate firstPurchase,
      MlSettings.Training training) {
    return training.historyStart() == MlSettings.HistoryStart.FIRST_PURCHASE ? firstPurchase
        : firstEvent;
  }

  /** Days of data a split needs at least (after the history's start). */
  public static long daysNeeded(int horizonDays, MlSettings.Training training) {
    return training.minHistoryDays() + 2L * horizonDays;
  }
}
