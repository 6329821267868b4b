package org.lakecdp.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
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
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class ProbabilisticMatcherTest {

  private static final List<Comparison> COMPARISONS = List.of(
      new Comparison("first_name", ComparatorKind.NAME, null, 0, "last_name"),
      new Comparison("last_name", ComparatorKind.NAME, null, 0, "first_name"));

  private static Dataset<Row> nodes(SparkSession spark) {
    StructType schema = new StructType()
        .add(IdentityColumns.NODE_ID, DataTypes.LongType)
        .add("first_name", DataTypes.StringType)
        .add("last_name", DataTypes.StringType);
    return spark.createDataFrame(List.of(
        RowFactory.create(1L, "ann", "lee"),
        RowFactory.create(2L, "lee", "ann"),
        RowFactory.create(3L, "ann", "smith"),
        RowFactory.create(4L, "ann", "smith"),
        RowFactory.create(5L, "ann", "lee"),
        RowFactory.create(6L, "bob", "smith")), schema);
  }

  private static Dataset<Row> pairs(SparkSession spark, long... ab) {
    StructType schema = new StructType().add(IdentityColumns.NODE_A, DataTypes.LongType)
        .add(IdentityColumns.NODE_B, DataTypes.LongType);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < ab.length; i += 2) {
      rows.add(RowFactory.create(ab[i], ab[i + 1]));
    }
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void comparesWithTheSwapFieldAttached(SparkSession spark) {
    Dataset<Row> levelled = ProbabilisticMatcher.compareFields(ProbabilisticMatcher.attachFields(
        pairs(spark, 1, 2, 3, 4, 1, 3), nodes(spark), COMPARISONS), COMPARISONS);
    Map<Long, List<Integer>> byA = new HashMap<>();
    for (Row r : levelled.collectAsList()) {
      byA.put(r.getLong(r.fieldIndex(IdentityColumns.NODE_A)) * 10
          + r.getLong(r.fieldIndex(IdentityColumns.NODE_B)), r.getList(r.fieldIndex("levels")));
    }
    int exact = COMPARISONS.get(0).exactLevel();
    assertThat(byA).containsOnlyKeys(12L, 34L, 13L);
    assertThat(byA.get(12L)).as("ann lee / lee ann").containsExactly(1, 1);
    assertThat(byA.get(34L)).containsExactly(exact, exact);
    assertThat(byA.get(13L)).as("lee / smith: no swap either").containsExactly(exact, 0);
  }

  @Test
  void ruleLinkedPairsAreLevelledWithoutTheFieldsTheirRulesMatchedOn(SparkSession spark) {
    StructType schema = new StructType().add(IdentityGraph.SRC, DataTypes.LongType)
        .add(IdentityGraph.DST, DataTypes.LongType).add(ProbabilisticMatcher.RULE,
            DataTypes.StringType);
    Dataset<Row> links = spark.createDataFrame(List.of(
        RowFactory.create(4L, 3L, "same_surname"),   // both directions, two rules: one pair
        RowFactory.create(3L, 4L, "same_record"),
        RowFactory.create(1L, 5L, "same_email"),     // a rule on an uncompared field
        RowFactory.create(6L, 6L, "same_email")), schema);
    Map<Pattern, Long> linked = ProbabilisticMatcher.countPatterns(
        ProbabilisticMatcher.levelledLinkedPairs(links, nodes(spark), COMPARISONS,
            Map.of("same_surname", List.of("last_name"), "same_email", List.of("email"))));
    int exact = COMPARISONS.get(0).exactLevel();
    assertThat(linked).containsOnly(Map.entry(Pattern.of(exact, -1), 1L),
        Map.entry(Pattern.of(exact, exact), 1L));

    double[][] m = ProbabilisticMatcher.mFromLinkedPairs(COMPARISONS, linked, 2);
    assertThat(m[1]).as("last name seen on one linked pair, fewer than 2").isNull();
    int levels = COMPARISONS.get(0).levels();
    assertThat(m[0][exact]).as("2 of 2 exact, add-one smoothed")
        .isCloseTo(3.0 / (2 + levels), within(1e-12));
    assertThat(m[0][0]).isCloseTo(1.0 / (2 + levels), within(1e-12));
  }

  @Test
  void termFrequencyIsRelativeToTheChanceAgreement(SparkSession spark) {
    Dataset<Row> matchable = nodes(spark);
    Dataset<Row> tf = ProbabilisticMatcher.termFrequencies(matchable, "last_name");
    // last names: lee 2, ann 1, smith 3 of 6; chance = (4 + 1 + 9) / 36
    Map<String, Double> relative = new HashMap<>();
    for (Row r : ProbabilisticMatcher.relativeFrequencies(tf).collectAsList()) {
      relative.put(r.getString(0), r.getDouble(1));
    }
    double chance = 14.0 / 36;
    assertThat(relative).hasSize(3);
    assertThat(relative.get("lee")).isCloseTo(2.0 / 6 / chance, within(1e-9));
    assertThat(relative.get("smith")).isCloseTo(3.0 / 6 / chance, within(1e-9));

    int top = COMPARISONS.get(0).exactLevel();
    double[][] m = new double[2][];
    double[][] u = new double[2][];
    for (int k = 0; k < 2; k++) {
      m[k] = new double[top + 1];
      u[k] = new double[top + 1];
      java.util.Arrays.fill(m[k], 0.02);
      java.util.Arrays.fill(u[k], 0.1);
      m[k][top] = 1 - 0.02 * top;
      u[k][top] = 1 - 0.1 * top;
    }
    MatchModel model = new MatchModel(COMPARISONS, m, u, 0.3);
    Dataset<Row> levelled = ProbabilisticMatcher.compareFields(ProbabilisticMatcher.attachFields(
        pairs(spark, 1, 5, 3, 4), matchable, COMPARISONS), COMPARISONS);
    Map<Long, Double> weights = new HashMap<>();
    for (Row r : ProbabilisticMatcher.scorePairs(levelled, model, Map.of("last_name", tf))
        .collectAsList()) {
      weights.put(r.getLong(r.fieldIndex(IdentityColumns.NODE_A)),
          r.getDouble(r.fieldIndex(IdentityColumns.MATCH_WEIGHT)));
    }
    int[] bothExact = {top, top};
    assertThat(weights.get(1L)).as("ann lee: lee rarer than smith")
        .isCloseTo(model.matchWeight(bothExact, new double[] {Double.NaN,
            relative.get("lee")}), within(1e-9))
        .isGreaterThan(weights.get(3L));
    assertThat(weights.get(3L)).isCloseTo(model.matchWeight(bothExact)
        - Math.log(relative.get("smith")) / Math.log(2), within(1e-9));
  }
}
