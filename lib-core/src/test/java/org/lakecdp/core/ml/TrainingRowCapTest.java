package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
 * {@code cdp.ml.training.max-training-rows}: the sample of training rows is about the asked
 * share, the same rows however the data is ordered or partitioned, and a train run with a cap
 * below its rows fits the sample and records how many rows there were.
 */
@ExtendWith(SparkTestSession.class)
class TrainingRowCapTest {
  private static final StructType ROWS = new StructType()
      .add(MlColumns.CUSTOMER_ID, DataTypes.StringType)
      .add(MlColumns.AS_OF, DataTypes.DateType)
      .add(CustomerFeatures.LABEL, DataTypes.DoubleType);

  @TempDir
  static Path dir;

  private static Dataset<Row> rows(SparkSession spark, int customers, int cutoffs) {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      for (int k = 0; k < cutoffs; k++) {
        rows.add(RowFactory.create("c" + c, Date.valueOf(LocalDate.of(2025, 1, 1)
            .plusDays(30L * k)), (double) ((c + k) % 3 == 0 ? 1 : 0)));
      }
    }
    return spark.createDataFrame(rows, ROWS);
  }

  @Test
  void theSampleIsAboutTheShareAskedAndTheSameRowsHoweverTheyArePartitioned(
      SparkSession spark) {
    Dataset<Row> all = rows(spark, 5_000, 4);
    List<Row> sampled = ModelTraining.sample(all, 0.1, 7).orderBy(MlColumns.CUSTOMER_ID,
        MlColumns.AS_OF).collectAsList();
    // 20,000 rows at 0.1: the binomial's standard deviation is 42, so +-200 is about 5 sigma
    assertThat(sampled.size()).isBetween(1_800, 2_200);
    Dataset<Row> shuffled = all.orderBy(col(MlColumns.AS_OF).desc()).repartition(7);
    assertThat(ModelTraining.sample(shuffled, 0.1, 7).orderBy(MlColumns.CUSTOMER_ID,
        MlColumns.AS_OF).collectAsList()).containsExactlyElementsOf(sampled);
    assertThat(ModelTraining.sample(all, 0.1, 8).orderBy(MlColumns.CUSTOMER_ID,
        MlColumns.AS_OF).collectAsList()).as("another seed, other rows")
        .isNotEqualTo(sampled);
    // every cutoff keeps its share, and so does each class
    Map<Object, Long> perCutoff = new java.util.HashMap<>();
    sampled.forEach(r -> perCutoff.merge(r.get(1), 1L, Long::sum));
    assertThat(perCutoff).hasSize(4).allSatisfy((cutoff, n) -> assertThat(n)
        .isBetween(400L, 600L));
    long positives = sampled.stream().filter(r -> r.getDouble(2) == 1.0).count();
    assertThat((double) positives / sampled.size()).isBetween(0.28, 0.39);
  }

  @Test
  void aTrainRunOverTheCapFitsASampleAndRecordsTheRowsItLeftOut() {
    LocalDate first = LocalDate.of(2024, 1, 1);
    LocalDate today = first.plusDays(240);
    String[] common = {
        "cdp.ml.models.churn.grid.gbt.max-depth", "[2]",
        "cdp.ml.models.churn.grid.gbt.max-iter", "[5]",
        "cdp.ml.training.cutoffs", "3",
        "cdp.ml.training.history-start", "first-event",
        "cdp.ml.training.min-history-days", "30",
        "cdp.ml.scale-partial-windows", "false"};
    CdpSettings uncapped = settings(dir.resolve("cap"), common, "0");
    Lakehouse lake = SparkTestSession.lakehouse(uncapped);
    MlTestData.write(lake, MlTestData.shop(300, first, 240, 11));
    ModelTraining.TrainReport all = new ModelTraining(lake, uncapped, line -> { })
        .run("churn", today);

    long cap = all.trainRows() / 3;
    CdpSettings capped = settings(dir.resolve("cap"), common, String.valueOf(cap),
        "cdp.lakehouse.databases.bronze", uncapped.lakehouse().bronzeDb(),
        "cdp.lakehouse.databases.silver", uncapped.lakehouse().silverDb(),
        "cdp.lakehouse.databases.gold", uncapped.lakehouse().goldDb(),
        "cdp.lakehouse.databases.ops", uncapped.lakehouse().opsDb());
    List<String> progress = new ArrayList<>();
    ModelTraining.TrainReport some = new ModelTraining(lake, capped, progress::add)
        .run("churn", today);

    assertThat(some.trainRows()).isBetween(cap / 2, cap * 3 / 2);
    assertThat(some.validationRows()).as("validation is never sampled")
        .isEqualTo(all.validationRows());
    assertThat(progress).anyMatch(l -> l.contains(some.trainRows() + " of " + all.trainRows()
        + " training rows sampled"));
    Row registered = lake.read(CdpTable.GOLD_MODEL_REGISTRY)
        .filter(col(MlColumns.VERSION).equalTo(some.version())).first();
    assertThat(registered.<Long>getAs(MlColumns.TRAIN_ROWS)).isEqualTo(some.trainRows());
    assertThat(registered.getJavaMap(registered.fieldIndex(MlColumns.PARAMS)))
        .containsEntry("training_rows_available", String.valueOf(all.trainRows()))
        .containsEntry("max_training_rows", String.valueOf(cap));
  }

  @Test
  void aNegativeCapIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> SparkTestSession.settings(dir.resolve("bad"),
        "cdp.ml.training.max-training-rows", "-5"))
        .isInstanceOf(CdpException.class)
        .hasMessageContaining("cdp.ml.training.max-training-rows")
        .hasMessageContaining("-5");
  }

  private static CdpSettings settings(Path root, String[] common, String cap,
      String... more) {
    List<String> kv = new ArrayList<>(List.of(common));
    kv.add("cdp.ml.training.max-training-rows");
    kv.add(cap);
    kv.addAll(List.of(more));
    return SparkTestSession.settings(root, kv.toArray(String[]::new));
  }
}
