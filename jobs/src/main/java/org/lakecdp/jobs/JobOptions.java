package org.lakecdp.jobs;

import java.time.LocalDate;
import java.util.List;

/**
 * Options of one job run.
 *
 * @param date logical date
 * @param dateGiven true when the operator named the date (rerun or backfill of that day);
 *     false means "today, and catch up on everything pending"
 * @param force redo the date even if already done
 * @param sources restrict to these sources (ingest), empty for all
 * @param models models to train (train), empty for every enabled one
 */
record JobOptions(LocalDate date, boolean dateGiven, boolean force, List<String> sources,
    List<String> models) {
  JobOptions(LocalDate date, boolean dateGiven, boolean force, List<String> sources) {
    this(date, dateGiven, force, sources, List.of());
  }

  JobOptions withModels(List<String> models) {
    return new JobOptions(date, dateGiven, force, sources, List.copyOf(models));
  }
}
