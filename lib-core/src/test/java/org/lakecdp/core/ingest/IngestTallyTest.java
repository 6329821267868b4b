package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lakecdp.core.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class IngestTallyTest {
  private static final AtomicInteger RUNS = new AtomicInteger();

  /**
   * 1,200 records over 6 partitions: source "a" files f0..f2 with every 100th record bad
   * (12 bad, raw "bad-<i>" of 5 or 6 characters), source "b" file f0 all good.
   */
  private static Dataset<Row> records(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      boolean b = i % 4 == 3;
      rows.add(RowFactory.create(b ? "b" : "a", "f" + (b ? 0 : i % 3),
          !b && i % 100 == 0 ? "bad event time '" + i + "'" : null,
          (!b && i % 100 == 0 ? "bad-" : "good-") + i, "2024-05-0" + (1 + i % 3)));
    }
    StructType schema = new StructType().add("source", DataTypes.StringType)
        .add("file", DataTypes.StringType).add("reason", DataTypes.StringType)
        .add("raw", DataTypes.StringType).add("date", DataTypes.StringType);
    return spark.createDataFrame(rows, schema).repartition(6);
  }

  private static IngestTally.Tally tally(SparkSession spark, int maxRows, long maxChars) {
    Dataset<Row> in = records(spark);
    IngestTally seen = IngestTally.register(spark, "tally_" + RUNS.incrementAndGet(), maxRows,
        maxChars);
    var bad = col("reason").isNotNull();
    long good = in.filter(seen.keep(col("source"), col("file"), col("reason"),
        when(bad, col("raw")), when(bad, col("date")))).count();
    assertThat(good).isEqualTo(1188);
    return seen.value();
  }

  @Test
  void countsEveryFileAndKeepsTheQuarantinedRecordsWithinTheBounds(SparkSession spark) {
    IngestTally.Tally t = tally(spark, 12, 1000);
    assertThat(t.records()).isEqualTo(1200);
    assertThat(t.quarantined()).isEqualTo(12);
    assertThat(t.counts("a", "f0")).containsExactly(300, 4);
    assertThat(t.counts("a", "f1")).containsExactly(300, 4);
    assertThat(t.counts("b", "f0")).containsExactly(300, 0);
    assertThat(t.counts("b", "f1")).containsExactly(0, 0);
    assertThat(t.filesWithQuarantined()).containsExactlyInAnyOrder("f0", "f1", "f2");
    assertThat(t.isOverflowed()).isFalse();
    assertThat(t.quarantinedRecords()).hasSize(12)
        .contains(new IngestTally.Quarantined("a", "f1", "bad event time '100'", "bad-100",
            "2024-05-02"));
  }

  @Test
  void moreRecordsOrMoreTextThanTheBoundsKeepsNoneButStillCountsAll(SparkSession spark) {
    for (IngestTally.Tally t : List.of(tally(spark, 11, 1000), tally(spark, 12, 60),
        tally(spark, 0, 1000))) {
      assertThat(t.isOverflowed()).isTrue();
      assertThat(t.quarantined()).isEqualTo(12);
      assertThat(t.counts("a", "f2")).containsExactly(300, 4);
      assertThatThrownBy(t::quarantinedRecords).isInstanceOf(IllegalStateException.class);
    }
    // the 12 raw texts hold 84 characters: bad-0, bad-100 .. bad-900, bad-1000, bad-1100
    assertThat(tally(spark, 12, 84).isOverflowed()).isFalse();
    assertThat(tally(spark, 12, 83).isOverflowed()).isTrue();
  }
}
