package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.MlSettings;
import org.lakecdp.core.config.MlSettings.ModelSpec;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The score job ({@code cdp run score}, part of the nightly): every enabled model's champion
 * scores every customer of its population as of one day into
 * {@code cdp_gold.customer_scores}, each row stamped with the champion's version.
 *
 * <p>The as-of date is the logical date, or the day after the last resolved event when that
 * is earlier (a lakehouse whose data stopped is scored as of its end, not with a growing
 * recency). Before scoring, a model without a champion is trained
 * ({@code train-if-no-champion}), and one whose champion is {@code retrain-every-days} old or
 * older is retrained; a model whose history is too short to train is skipped with a note.
 * Rerunning a day replaces that day's scores and features. A customer who had withdrawn a
 * {@code cdp.privacy.modelling-purposes} purpose before the as-of date gets no features and
 * no score row.
 */
public final class CustomerScoring {
  /** Job name in the run ledger. */
  public static final String JOB = "score";

  private static final Logger LOG = LoggerFactory.getLogger(CustomerScoring.class);
  private static final List<CdpTable> WRITES = List.of(CdpTable.GOLD_CUSTOMER_FEATURES,
      CdpTable.GOLD_CUSTOMER_SCORES);

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final MlSettings ml;
  private final Consumer<String> progress;

  public CustomerScoring(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.settings = settings;
    this.ml = settings.ml();
    this.progress = progress;
  }

  /**
   * What a score run did.
   *
   * @param asOf the features' cutoff
   * @param rowsByModel scores written per model
   * @param versions champion version that scored, per model
   * @param notes models trained or skipped, and why
   */
  public record ScoreReport(String runId, LocalDate asOf, Map<String, Long> rowsByModel,
      Map<String, String> versions, List<String> notes) {}

  /** Scores as of {@code logicalDate} (see the class comment); throws after undoing writes. */
  public ScoreReport run(LocalDate logicalDate) {
    List<String> notes = new ArrayList<>();
    Map<String, ModelRegistry.ModelVersion> champions = prepareChampions(logicalDate, notes);
    RunLedger ledger = new RunLedger(lake, settings);
    RunContext run = ledger.start(JOB, logicalDate);
    Map<CdpTable, Long> before = new EnumMap<>(CdpTable.class);
    WRITES.forEach(t -> before.put(t, lake.version(t)));
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      ScoreReport report = score(run, logicalDate, champions, notes, versions);
      Map<String, String> details = new LinkedHashMap<>();
      report.versions().forEach((m, v) -> details.put("version." + m, v));
      report.rowsByModel().forEach((m, n) -> details.put("rows." + m, String.valueOf(n)));
      details.put("as_of", String.valueOf(report.asOf()));
      long total = report.rowsByModel().values().stream().mapToLong(Long::longValue).sum();
      ledger.succeed(run, new RunOutcome(0, total, 0, versions, details));
      return report;
    } catch (Exception e) {
      LOG.error("score run {} failed: {}", run.runId(), e.getMessage());
      before.forEach((table, version) -> lake.restore(table, version, run.runId()));
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
          : new CdpException("score run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  private Map<String, ModelRegistry.ModelVersion> prepareChampions(LocalDate logicalDate,
      List<String> notes) {
    ModelRegistry registry = new ModelRegistry(lake);
    Map<String, ModelRegistry.ModelVersion> champions = new LinkedHashMap<>();
    Optional<LocalDate[]> bounds = Optional.empty();
    boolean boundsRead = false;
    for (String name : MlSettings.MODEL_NAMES) {
      ModelSpec spec = ml.model(name);
      if (!spec.enabled()) {
        continue;
      }
      Optional<ModelRegistry.ModelVersion> champion = registry.champion(name);
      String reason = null;
      if (champion.isEmpty() && ml.training().trainIfNoChampion()) {
        reason = "no champion yet";
      } else if (champion.isPresent() && ml.training().retrainEveryDays() > 0
          && !champion.get().createdAt().atZone(ZoneOffset.UTC).toLocalDate()
              .plusDays(ml.training().retrainEveryDays()).isAfter(logicalDate)) {
        reason = "champion " + champion.get().version() + " is "
            + Duration.between(champion.get().createdAt(), Instant.now()).toDays()
            + " day(s) old";
      }
      if (reason != null) {
        if (!boundsRead) {
          bounds = ModelTraining.dataBounds(CustomerFeatures.customerEvents(
              lake.read(CdpTable.BRONZE_EVENTS), lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)),
              ml);
          boundsRead = true;
        }
        Optional<TimeSplit> split = bounds.flatMap(b -> TimeSplit.plan(b[0], b[2],
            ModelTraining.dataEnd(b[1], logicalDate), spec.horizonDays(), ml.training()));
        if (split.isEmpty()) {
          notes.add(name + ": not trained (" + reason + "): history shorter than the "
              + TimeSplit.daysNeeded(spec.horizonDays(), ml.training()) + " days needed");
        } else {
          progress.accept("score: training " + name + " first (" + reason + ")");
          try {
            ModelTraining.TrainReport t = new ModelTraining(lake, settings, progress)
                .run(name, logicalDate);
            notes.add(name + ": trained " + t.version() + " (" + reason + "): "
                + t.decision());
          } catch (CdpException e) {
            // the training run is recorded FAILED in the ledger; scoring goes on with the
            // champion there is (none: the model is not scored) rather than stopping the
            // nightly's profiles and segments
            LOG.warn("score: training {} failed: {}", name, e.getMessage());
            notes.add(name + ": training failed (" + reason + "): " + e.getMessage());
          }
          champion = registry.champion(name);
        }
      }
      if (champion.isPresent()) {
        champions.put(name, champion.get());
      } else if (reason == null) {
        notes.add(name + ": no champion; not scored (cdp.ml.training.train-if-no-champion"
            + " is false)");
      }
    }
    return champions;
  }

  private ScoreReport score(RunContext run, LocalDate logicalDate,
      Map<String, ModelRegistry.ModelVersion> champions, List<String> notes,
      Map<String, Long> versions) {
    Dataset<Row> events = CustomerFeatures.customerEvents(lake.read(CdpTable.BRONZE_EVENTS),
        lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> features = null;
    try {
      Optional<LocalDate[]> bounds = ModelTraining.dataBounds(events, ml);
      if (bounds.isEmpty()) {
        notes.add("no resolved events: nothing scored");
        return new ScoreReport(run.runId(), logicalDate, Map.of(), Map.of(), notes);
      }
      LocalDate asOf = ModelTraining.dataEnd(bounds.get()[1], logicalDate);
      features = CustomerFeatures.leaveOutWithdrawn(CustomerFeatures.buildFeatures(events,
              CustomerFeatures.cutoffs(lake.spark(), List.of(asOf)), bounds.get()[2], ml),
          lake.read(CdpTable.BRONZE_EVENTS), lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP),
          settings).persist(StorageLevel.MEMORY_AND_DISK());
      Timestamp at = Timestamp.from(Instant.now());
      String day = "DATE'" + asOf + "'";
      // a rerun on the same input writes nothing: rows equal but for run id and time stay
      long featureVersion = lake.replaceWhereIfChanged(CdpTable.GOLD_CUSTOMER_FEATURES,
          CustomerFeatures.toTableRows(features, ml, run.runId(), at),
          MlColumns.AS_OF + " = " + day, Set.of(MlColumns.RUN_ID, MlColumns.COMPUTED_AT),
          run.runId());
      if (featureVersion >= 0) {
        versions.put(lake.name(CdpTable.GOLD_CUSTOMER_FEATURES), featureVersion);
      }
      Dataset<Row> all = null;
      Map<String, String> used = new LinkedHashMap<>();
      for (Map.Entry<String, ModelRegistry.ModelVersion> e : champions.entrySet()) {
        ModelRegistry.ModelVersion champion = e.getValue();
        Dataset<Row> scored = scores(features, champion, ml.model(e.getKey()), asOf, at,
            run.runId());
        all = all == null ? scored : all.unionByName(scored);
        used.put(e.getKey(), champion.version());
      }
      Map<String, Long> rows = new LinkedHashMap<>();
      if (all != null) {
        String models = used.keySet().stream().map(Lakehouse::quote)
            .collect(Collectors.joining(", "));
        all = all.persist(StorageLevel.MEMORY_AND_DISK());
        long scoreVersion = lake.replaceWhereIfChanged(CdpTable.GOLD_CUSTOMER_SCORES, all,
            MlColumns.AS_OF + " = " + day + " AND " + MlColumns.MODEL + " IN (" + models + ")",
            Set.of(MlColumns.RUN_ID, MlColumns.SCORED_AT), run.runId());
        all.unpersist();
        if (scoreVersion >= 0) {
          versions.put(lake.name(CdpTable.GOLD_CUSTOMER_SCORES), scoreVersion);
        } else {
          notes.add("the scores as of " + asOf + " are unchanged (same champions, same"
              + " input): nothing written");
        }
        lake.read(CdpTable.GOLD_CUSTOMER_SCORES).filter(col(MlColumns.AS_OF).equalTo(
            lit(java.sql.Date.valueOf(asOf)))).groupBy(MlColumns.MODEL).count()
            .collectAsList().forEach(r -> {
              if (used.containsKey(r.getString(0))) {
                rows.put(r.getString(0), r.getLong(1));
              }
            });
      }
      return new ScoreReport(run.runId(), asOf, rows, used, notes);
    } finally {
      if (features != null) {
        features.unpersist();
      }
      events.unpersist();
    }
  }

  /** The rows of {@code customer_scores} one champion gives its population. */
  static Dataset<Row> scores(Dataset<Row> features, ModelRegistry.ModelVersion champion,
      ModelSpec spec, LocalDate asOf, Timestamp at, String runId) {
    List<String> missing = champion.features().stream()
        .filter(f -> !java.util.Arrays.asList(features.columns()).contains(f)).toList();
    if (!missing.isEmpty()) {
      throw new CdpException("score " + spec.name() + ": champion " + champion.version()
          + " reads features " + missing + " that cdp.ml no longer builds; replace it with"
          + " cdp run train --model " + spec.name()
          + " --set ml.training.promote-when-incomparable=true");
    }
    PipelineModel model = PipelineModel.load(champion.path());
    return ModelPipelines.score(model, CustomerFeatures.population(features, spec),
        spec.name()).select(col(MlColumns.CUSTOMER_ID),
            lit(spec.name()).as(MlColumns.MODEL),
            lit(champion.version()).as(MlColumns.MODEL_VERSION),
            col(ModelPipelines.SCORED).cast(DataTypes.DoubleType).as(MlColumns.SCORE),
            lit(champion.horizonDays()).as(MlColumns.HORIZON_DAYS),
            lit(java.sql.Date.valueOf(asOf)).as(MlColumns.AS_OF),
            lit(at).as(MlColumns.SCORED_AT), lit(runId).as(MlColumns.RUN_ID));
  }
}
