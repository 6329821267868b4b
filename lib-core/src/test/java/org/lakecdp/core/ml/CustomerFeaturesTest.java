package org.lakecdp.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.lakecdp.core.ml.MlTestData.event;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lakecdp.core.config.MlSettings;
import org.lakecdp.core.testing.Plans;
import org.lakecdp.core.testing.SparkTestSession;
import org.lakecdp.core.testing.TestConfig;

/** Point-in-time discipline of features and labels, on hand-made events. */
@ExtendWith(SparkTestSession.class)
class CustomerFeaturesTest {
  private static final LocalDate CUTOFF = LocalDate.of(2024, 4, 1);
  /** Day of the first event of {@link #history}: 82 days before the cutoff. */
  private static final LocalDate HISTORY_START = LocalDate.of(2024, 1, 10);
  private static final MlSettings ML = TestConfig.settings(Path.of("/tmp/unused"),
      java.util.Map.of()).ml();

  private static List<MlTestData.Event> history() {
    return List.of(
        event("c1", "purchase", "2024-03-01T12:00:00Z", "amount", "10", "category", "shoes",
            "store_id", "s1"),
        event("c1", "page_view", "2024-03-05T12:00:00Z"),
        event("c1", "purchase", "2024-03-20T12:00:00Z", "amount", "30.5", "category", "bags"),
        event("c1", "email_open", "2024-03-31T23:59:59Z"),
        event("c2", "page_view", "2024-01-10T00:00:00Z"),
        event("c2", "purchase", "2024-01-11T00:00:00Z", "amount", "n/a"));
  }

  private static List<MlTestData.Event> future() {
    return List.of(
        event("c1", "purchase", "2024-04-01T00:00:00Z", "amount", "99"),
        event("c1", "page_view", "2024-04-02T00:00:00Z"),
        event("c2", "purchase", "2024-04-30T23:00:00Z", "amount", "5", "category", "shoes"),
        event("c3", "page_view", "2024-04-03T00:00:00Z"));
  }

  private static Dataset<Row> customerEvents(SparkSession spark, List<MlTestData.Event> e) {
    return CustomerFeatures.customerEvents(MlTestData.bronze(spark, e),
        MlTestData.membership(spark, e));
  }

  private static Dataset<Row> features(SparkSession spark, List<MlTestData.Event> events) {
    return CustomerFeatures.buildFeatures(customerEvents(spark, events),
        CustomerFeatures.cutoffs(spark, List.of(CUTOFF)), HISTORY_START, ML);
  }

  @Test
  void distinctCountsEqualCountDistinctOfTheEventsBeforeEachCutoff(SparkSession spark) {
    MlSettings raw = TestConfig.settings(Path.of("/tmp/unused"),
        java.util.Map.of("cdp.ml.scale-partial-windows", "false")).ml();
    List<MlTestData.Event> events = new ArrayList<>(MlTestData.shop(40,
        LocalDate.of(2024, 1, 1), 120, 7));
    // a second purchase source, a purchase without category, one exactly at a cutoff
    events.add(new MlTestData.Event("c1", "pos", "p1", "2024-03-05T23:59:59Z", "purchase",
        java.util.Map.of("amount", "5")));
    events.add(new MlTestData.Event("c1", "pos", "p2", "2024-04-01T00:00:00Z", "purchase",
        java.util.Map.of("amount", "5", "category", "hats")));
    Dataset<Row> customerEvents = customerEvents(spark, events);
    Dataset<Row> cutoffs = CustomerFeatures.cutoffs(spark, List.of(CUTOFF,
        LocalDate.of(2024, 3, 1)));
    Dataset<Row> before = customerEvents.crossJoin(cutoffs)
        .where("event_time < cast(as_of as timestamp)")
        .withColumn("age", org.apache.spark.sql.functions.expr(
            "(unix_seconds(cast(as_of as timestamp)) - unix_seconds(event_time)) / 86400.0"));
    List<org.apache.spark.sql.Column> counts = new ArrayList<>();
    for (int w : raw.windowsDays()) {
      counts.add(org.apache.spark.sql.functions.countDistinct(org.apache.spark.sql.functions
          .expr("case when age <= " + w + " then to_date(event_time) end")).cast("double")
          .as("active_days_" + w + "d"));
    }
    counts.add(org.apache.spark.sql.functions.countDistinct(org.apache.spark.sql.functions
        .expr("attributes['category']")).cast("double").as("distinct_categories"));
    counts.add(org.apache.spark.sql.functions.countDistinct(org.apache.spark.sql.functions
        .col("source")).cast("double").as("distinct_sources"));
    Dataset<Row> expected = before.groupBy("customer_id", "as_of").agg(counts.get(0),
        counts.subList(1, counts.size()).toArray(org.apache.spark.sql.Column[]::new));
    String[] columns = expected.columns();
    Dataset<Row> actual = CustomerFeatures.buildFeatures(customerEvents, cutoffs,
        LocalDate.of(2024, 1, 1), raw).selectExpr(columns);
    assertThat(expected.count()).isGreaterThan(40);
    assertThat(actual.exceptAll(expected).isEmpty()).as("features not in the reference")
        .isTrue();
    assertThat(expected.exceptAll(actual).isEmpty()).as("reference not in the features")
        .isTrue();
  }

  @Test
  void featuresOfEveryCutoffDoNotShuffleTheEventsAgain(SparkSession spark) {
    Dataset<Row> events = customerEvents(spark, history()).persist();
    try {
      // as the jobs do: a cache is planned with its partitioning once it is materialised
      assertThat(events.count()).isEqualTo(history().size());
      Dataset<Row> cutoffs = CustomerFeatures.cutoffs(spark, List.of(CUTOFF,
          CUTOFF.minusDays(30)));
      assertThat(Plans.shufflesOfCachedData(spark, () -> CustomerFeatures.buildFeatures(events,
          cutoffs, HISTORY_START, ML))).isZero();
      // the check sees a shuffle when there is one
      assertThat(Plans.shufflesOfCachedData(spark, () -> events.groupBy("source").count()))
          .isEqualTo(1);
    } finally {
      events.unpersist();
    }
  }

  @Test
  void featuresReadOnlyEventsBeforeTheCutoff(SparkSession spark) {
    List<Row> before = features(spark, history()).orderBy("customer_id").collectAsList();
    List<MlTestData.Event> all = new ArrayList<>(history());
    all.addAll(future());
    List<Row> after = features(spark, all).orderBy("customer_id").collectAsList();
    assertThat(after).as("events from the cutoff on change nothing").isEqualTo(before);

    assertThat(before).extracting(r -> r.getAs("customer_id"), r -> r.getAs("recency_days"),
        r -> r.getAs("purchases_total"), r -> r.getAs("spend_total"),
        r -> r.getAs("avg_order_value"), r -> r.getAs("mean_days_between_purchases"),
        r -> r.getAs("purchases_30d"), r -> r.getAs("page_views_30d"),
        r -> r.getAs("email_opens_30d"), r -> r.getAs("distinct_categories"),
        r -> r.getAs("store_purchase_share"), r -> r.getAs("tenure_days"))
        .containsExactly(
            tuple("c1", 11.5, 2.0, 40.5, 20.25, 19.0, 1.0, 1.0, 1.0, 2.0, 0.5, 30.5),
            tuple("c2", 81.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 82.0));
    assertThat(before.get(0).<Double>getAs("days_since_last_event")).isCloseTo(1.0 / 86400,
        org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void windowsLongerThanTheHistoryAreScaledToTheirLength(SparkSession spark) {
    Dataset<Row> events = customerEvents(spark, history());
    MlSettings scaled = TestConfig.settings(Path.of("/tmp/unused"),
        java.util.Map.of()).ml();
    assertThat(scaled.scalePartialWindows()).as("the default").isTrue();
    Row c1 = CustomerFeatures.buildFeatures(events, CustomerFeatures.cutoffs(spark,
        List.of(CUTOFF)), HISTORY_START, scaled).filter("customer_id = 'c1'").first();
    // 82 days of data before the cutoff: the 30-day window is whole, 90 and 365 are not
    assertThat(c1.<Double>getAs("purchases_30d")).isEqualTo(1.0);
    assertThat(c1.<Double>getAs("purchases_90d")).isCloseTo(2.0 * 90 / 82, within(1e-9));
    assertThat(c1.<Double>getAs("spend_365d")).isCloseTo(40.5 * 365 / 82, within(1e-9));
    assertThat(c1.<Double>getAs("active_days_365d")).isCloseTo(4.0 * 365 / 82, within(1e-9));
    // totals are not windows
    assertThat(c1.<Double>getAs("purchases_total")).isEqualTo(2.0);

    Row early = CustomerFeatures.buildFeatures(events, CustomerFeatures.cutoffs(spark,
        List.of(CUTOFF)), LocalDate.of(2023, 1, 1), scaled).filter("customer_id = 'c1'")
        .first();
    assertThat(early.<Double>getAs("purchases_365d")).as("a whole year of data").isEqualTo(2.0);

    MlSettings raw = TestConfig.settings(Path.of("/tmp/unused"),
        java.util.Map.of("cdp.ml.scale-partial-windows", "false")).ml();
    Row unscaled = CustomerFeatures.buildFeatures(events, CustomerFeatures.cutoffs(spark,
        List.of(CUTOFF)), HISTORY_START, raw).filter("customer_id = 'c1'").first();
    assertThat(unscaled.<Double>getAs("purchases_365d")).as("raw counts").isEqualTo(2.0);
  }

  @Test
  void calendarFeaturesPlaceEachCutoffInTheYear(SparkSession spark) {
    assertThat(ML.calendarFeatures()).as("the default").isTrue();
    Dataset<Row> events = customerEvents(spark, history());
    List<Row> rows = CustomerFeatures.buildFeatures(events, CustomerFeatures.cutoffs(spark,
            List.of(CUTOFF, LocalDate.of(2024, 10, 1), LocalDate.of(2025, 1, 1))),
        HISTORY_START, ML).filter("customer_id = 'c2'").orderBy("as_of").collectAsList();
    // a quarter of the way round (1 April), three quarters (1 October), back at the start
    assertThat(rows).extracting(r -> r.<Double>getAs("cutoff_day_of_year_sin"))
        .satisfiesExactly(
            v -> assertThat(v).isCloseTo(1.0, within(0.001)),
            v -> assertThat(v).isCloseTo(-1.0, within(0.001)),
            v -> assertThat(v).isCloseTo(0.0, within(1e-12)));
    assertThat(rows).extracting(r -> r.<Double>getAs("cutoff_day_of_year_cos"))
        .satisfiesExactly(
            v -> assertThat(v).isCloseTo(0.0, within(0.02)),
            v -> assertThat(v).isCloseTo(0.0, within(0.02)),
            v -> assertThat(v).isCloseTo(1.0, within(1e-12)));
    assertThat(CustomerFeatures.names(ML)).contains("cutoff_day_of_year_sin",
        "cutoff_day_of_year_cos");

    MlSettings off = TestConfig.settings(Path.of("/tmp/unused"),
        java.util.Map.of("cdp.ml.calendar-features", "false")).ml();
    assertThat(CustomerFeatures.names(off)).noneMatch(n -> n.startsWith("cutoff_day"));
    assertThat(CustomerFeatures.buildFeatures(events, CustomerFeatures.cutoffs(spark,
        List.of(CUTOFF)), HISTORY_START, off).columns()).doesNotContain(
            "cutoff_day_of_year_sin", "cutoff_day_of_year_cos");
  }

  @Test
  void labelsReadOnlyTheHorizonAfterTheCutoff(SparkSession spark) {
    List<MlTestData.Event> all = new ArrayList<>(history());
    all.addAll(future());
    Dataset<Row> events = customerEvents(spark, all);
    Dataset<Row> features = CustomerFeatures.buildFeatures(events,
        CustomerFeatures.cutoffs(spark, List.of(CUTOFF)), HISTORY_START, ML);
    MlSettings.ModelSpec churn = new MlSettings.ModelSpec("churn", true, 30, "",
        MlSettings.Algorithm.GBT, java.util.Map.of());
    MlSettings.ModelSpec propensity = new MlSettings.ModelSpec("propensity", true, 29, "",
        MlSettings.Algorithm.GBT, java.util.Map.of());
    MlSettings.ModelSpec shoes = new MlSettings.ModelSpec("propensity", true, 30, "shoes",
        MlSettings.Algorithm.GBT, java.util.Map.of());
    MlSettings.ModelSpec clv = new MlSettings.ModelSpec("clv", true, 30, "",
        MlSettings.Algorithm.GBT, java.util.Map.of());

    // c1 buys at the cutoff instant; c2 on day 30 (inside 30 days, outside 29); c3 is unknown
    // before the cutoff and gets no row
    assertThat(labels(events, features, churn)).containsExactlyInAnyOrder(
        tuple("c1", 0.0), tuple("c2", 0.0));
    assertThat(labels(events, features, propensity)).containsExactlyInAnyOrder(
        tuple("c1", 1.0), tuple("c2", 0.0));
    assertThat(labels(events, features, shoes)).containsExactlyInAnyOrder(
        tuple("c1", 0.0), tuple("c2", 1.0));
    assertThat(labels(events, features, clv)).containsExactlyInAnyOrder(
        tuple("c1", 99.0), tuple("c2", 5.0));

    // without the future, every customer churns and nothing is spent: labels never read
    // the purchases before the cutoff
    Dataset<Row> past = customerEvents(spark, history());
    assertThat(labels(past, features, churn)).containsExactlyInAnyOrder(
        tuple("c1", 1.0), tuple("c2", 1.0));
    assertThat(labels(past, features, clv)).containsExactlyInAnyOrder(
        tuple("c1", 0.0), tuple("c2", 0.0));
  }

  @Test
  void churnIsAboutCustomersWhoBoughtBefore(SparkSession spark) {
    List<MlTestData.Event> events = List.of(
        event("c1", "purchase", "2024-03-01T12:00:00Z", "amount", "10"),
        event("c9", "page_view", "2024-03-01T12:00:00Z"));
    Dataset<Row> f = features(spark, events);
    MlSettings.ModelSpec churn = new MlSettings.ModelSpec("churn", true, 30, "",
        MlSettings.Algorithm.GBT, java.util.Map.of());
    assertThat(CustomerFeatures.population(f, churn).collectAsList())
        .extracting(r -> r.getAs("customer_id")).containsExactly("c1");
    assertThat(f.filter("customer_id = 'c9'").first().<Double>getAs("recency_days"))
        .isEqualTo(CustomerFeatures.NO_PURCHASE_RECENCY);
  }

  private static List<org.assertj.core.groups.Tuple> labels(Dataset<Row> events,
      Dataset<Row> features, MlSettings.ModelSpec spec) {
    return labels(events, features, spec, ML);
  }

  private static List<org.assertj.core.groups.Tuple> labels(Dataset<Row> events,
      Dataset<Row> features, MlSettings.ModelSpec spec, MlSettings ml) {
    return CustomerFeatures.buildLabels(events, features, spec, ml).collectAsList().stream()
        .map(r -> tuple(r.getAs("customer_id"), r.getAs("label"))).toList();
  }

  /**
   * Another company's vocabulary (its purchases called order_completed, their amount
   * net_total, page views screen_view, email opens mail_opened) declared in cdp.ml gives the
   * features and labels the sample retailer's names give the same history: nothing reads
   * the generator's names.
   */
  @Test
  void anotherCompanysEventTypesAndAmountGiveTheSameFeaturesAndLabels(SparkSession spark) {
    MlSettings theirs = TestConfig.fromHocon(Path.of("/tmp/unused"), """
        cdp.ml { purchase-event-types = [order_completed], amount-attribute = net_total,
                 page-view-event-types = [screen_view], email-open-event-types = [mail_opened] }
        """).ml();
    java.util.Map<String, String> types = java.util.Map.of("purchase", "order_completed",
        "page_view", "screen_view", "email_open", "mail_opened");
    List<MlTestData.Event> all = new ArrayList<>(history());
    all.addAll(future());
    List<MlTestData.Event> renamed = all.stream().map(e -> {
      java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
      e.attributes().forEach((k, v) -> attributes.put(k.equals("amount") ? "net_total" : k, v));
      return new MlTestData.Event(e.customer(), e.source(), e.key(), e.time(),
          types.getOrDefault(e.type(), e.type()), attributes);
    }).toList();
    assertThat(renamed).extracting(MlTestData.Event::type).doesNotContain("purchase");

    Dataset<Row> ourEvents = customerEvents(spark, all);
    Dataset<Row> theirEvents = customerEvents(spark, renamed);
    Dataset<Row> ours = CustomerFeatures.buildFeatures(ourEvents,
        CustomerFeatures.cutoffs(spark, List.of(CUTOFF)), HISTORY_START, ML);
    Dataset<Row> theirFeatures = CustomerFeatures.buildFeatures(theirEvents,
        CustomerFeatures.cutoffs(spark, List.of(CUTOFF)), HISTORY_START, theirs);
    List<Row> expected = ours.orderBy("customer_id").collectAsList();
    assertThat(expected.get(0).<Double>getAs("spend_total")).isEqualTo(40.5);
    assertThat(theirFeatures.orderBy("customer_id").collectAsList()).isEqualTo(expected);
    for (String model : List.of("churn", "propensity", "clv")) {
      MlSettings.ModelSpec spec = new MlSettings.ModelSpec(model, true, 30, "",
          MlSettings.Algorithm.GBT, java.util.Map.of());
      assertThat(labels(theirEvents, theirFeatures, spec, theirs)).as(model)
          .containsExactlyInAnyOrderElementsOf(labels(ourEvents, ours, spec));
    }
  }
}
