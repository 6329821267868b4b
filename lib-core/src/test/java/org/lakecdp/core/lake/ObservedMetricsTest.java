package org.lakecdp.core.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class ObservedMetricsTest {
  @TempDir
  Path dir;

  @Test
  void metricsOfADeltaWriteArriveAndTheSessionStaysSerializable(SparkSession spark)
      throws IOException {
    Dataset<Row> rows = spark.range(1, 101).toDF("n");
    Map<String, Object> seen;
    try (ObservedMetrics metrics = ObservedMetrics.listen(spark, "observed_metrics_test")) {
      metrics.observe(rows, count(lit(1)).as("rows"), sum(col("n")).as("total"))
          .filter(col("n").gt(50))
          .write().format("delta").save(dir.resolve("t").toString());
      seen = metrics.await();
    }
    assertThat(seen).containsEntry("rows", 100L).containsEntry("total", 5050L);
    assertThat(spark.read().format("delta").load(dir.resolve("t").toString()).count())
        .isEqualTo(50);
    // MLlib's logistic regression ships the session inside its tasks (training summary)
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(spark);
    }
  }
}
