package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;

/**
 * The model registry in the lakehouse: {@code cdp_gold.model_registry}, one append-only row
 * per trained version, and the saved MLlib PipelineModels under
 * {@code <lakehouse root>/models/<model>/<version>}. The champion of a model is its latest
 * promoted version.
 */
public final class ModelRegistry {
  private final Lakehouse lake;

  public ModelRegistry(Lakehouse lake) {
    this.lake = lake;
  }

  /**
   * One registered version, as scoring and promotion need it.
   *
   * @param model churn, propensity or clv
   * @param version e.g. churn-v3
   * @param horizonDays label horizon
   * @param features features the model reads, in order
   * @param path saved PipelineModel
   * @param createdAt when it was trained
   * @param metrics validation metrics
   */
  public record ModelVersion(String model, String version, int horizonDays,
      List<String> features, String path, Instant createdAt, Map<String, Double> metrics) {}

  /** Folder of a version's PipelineModel. */
  public String modelPath(String model, String version) {
    return lake.settings().root() + "/models/" + model + "/" + version;
  }

  /** The next version name of a model: {@code <model>-v<n+1>} after n registered versions. */
  public String nextVersion(String model) {
    long n = lake.read(CdpTable.GOLD_MODEL_REGISTRY).filter(col(MlColumns.MODEL).equalTo(model))
        .count();
    return model + "-v" + (n + 1);
  }

  /** The current champion of a model, empty when none was ever promoted. */
  public Optional<ModelVersion> champion(String model) {
    List<Row> rows = lake.read(CdpTable.GOLD_MODEL_REGISTRY)
        .filter(col(MlColumns.MODEL).equalTo(model).and(col(MlColumns.PROMOTED)))
        .orderBy(col(MlColumns.CREATED_AT).desc(), col(MlColumns.VERSION).desc())
        .limit(1).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    Timestamp created = r.getAs(MlColumns.CREATED_AT);
    return Optional.of(new ModelVersion(r.getAs(MlColumns.MODEL), r.getAs(MlColumns.VERSION),
        r.<Integer>getAs(MlColumns.HORIZON_DAYS), r.getList(r.fieldIndex(
            MlColumns.FEATURE_LIST)), r.getAs(MlColumns.MODEL_PATH), created.toInstant(),
        r.getJavaMap(r.fieldIndex(MlColumns.METRICS))));
  }

  /**
   * A registry row for a trained version.
   *
   * @param calibration deciles of the validation predictions
   * @param dataVersions Delta version of each table read, by catalog name
   */
  public static Row row(String model, String version, String algorithm, int horizonDays,
      String category, boolean promoted, String decision, String comparedWith,
      Map<String, String> params, Map<String, Double> metrics,
      List<ModelMetrics.Bin> calibration, List<String> features, List<LocalDate> trainCutoffs,
      LocalDate validationCutoff, long trainRows, long validationRows,
      Map<String, Long> dataVersions, String configHash, String path, String runId,
      Instant createdAt) {
    List<Row> bins = calibration.stream().map(b -> RowFactory.create(b.decile(), b.rows(),
        b.meanPredicted(), b.observed())).toList();
    return RowFactory.create(model, version, algorithm, horizonDays,
        category.isEmpty() ? null : category, promoted, decision, comparedWith,
        params, metrics, bins, features,
        trainCutoffs.stream().map(java.sql.Date::valueOf).toList(),
        java.sql.Date.valueOf(validationCutoff), trainRows, validationRows,
        dataVersions, configHash, path, runId, Timestamp.from(createdAt));
  }

  /** Appends one version row; returns the Delta version written. */
  public long register(Row row, String runId) {
    return lake.append(CdpTable.GOLD_MODEL_REGISTRY, lake.spark().createDataFrame(List.of(row),
        MlColumns.REGISTRY), runId);
  }
}
