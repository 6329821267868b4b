package org.lakecdp.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.lakecdp.core.profile.ProfileRows.event;
import static org.lakecdp.core.profile.ProfileRows.events;
import static org.lakecdp.core.profile.ProfileRows.member;
import static org.lakecdp.core.profile.ProfileRows.members;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.testing.Plans;
import org.lakecdp.core.testing.SparkTestSession;

/** Transactions, RFM, engagement, preferences and consent on hand-made bronze events. */
@ExtendWith(SparkTestSession.class)
class ProfileMetricsTest {
  private static final LocalDate AS_OF = LocalDate.of(2024, 5, 10);
  private static final ProfileSettings SETTINGS = GoldenRecordTest.settings("""
      cdp.profile.engagement { window-days = 30, session-gap-minutes = 30 }
      cdp.profile.transactions.rfm-window-days = 60
      cdp.profile.preferences { top-n = 2, timezone = "Europe/London" }
      """);

  private static Map<String, Row> byCustomer(Dataset<Row> rows) {
    Map<String, Row> out = new HashMap<>();
    rows.collectAsList().forEach(r -> out.put(r.getAs(ProfileColumns.CUSTOMER_ID), r));
    return out;
  }

  private static Dataset<Row> customerEvents(Dataset<Row> members, Row... bronze) {
    return CustomerEvents.selectCustomerEvents(events(bronze), members, AS_OF, SETTINGS);
  }

  @Test
  void ordersCountOnceInTheirLatestVersionAcrossChannels() {
    Dataset<Row> members = members(member("orders", "O1", "a"), member("orders", "O2", "a"),
        member("orders", "O3", "a"), member("pos", "T1", "a"), member("pos", "T2", "a"),
        member("orders", "O9", "a"), member("orders", "O4", "b"));
    Dataset<Row> ev = customerEvents(members,
        event("orders", "O1", "2024-05-01T10:00:00Z", "purchase", "order_id", "O1",
            "amount", "10.00", "order_status", "pending"),
        // a later version of O1 with its final amount
        event("orders", "O1", "2024-05-02T10:00:00Z", "purchase", "order_id", "O1",
            "amount", "12.50", "order_status", "completed"),
        event("orders", "O2", "2024-05-05T12:00:00Z", "purchase", "order_id", "O2",
            "amount", "30.25"),
        event("orders", "O3", "2024-05-06T12:00:00Z", "purchase", "order_id", "O3",
            "amount", "99", "order_status", "Cancelled"),
        event("pos", "T1", "2024-05-04T15:00:00Z", "purchase", "store_id", "ST1",
            "amount", "5.25"),
        // the same till receipt exported twice under two keys: one order
        event("pos", "T2", "2024-05-04T15:00:00Z", "purchase", "order_id", "R7",
            "channel", "store", "amount", "7"),
        event("pos", "T2b", "2024-05-04T15:00:00Z", "purchase", "order_id", "R7",
            "channel", "store", "amount", "7"),
        // after the as-of date
        event("orders", "O9", "2024-05-11T10:00:00Z", "purchase", "order_id", "O9",
            "amount", "1000"),
        event("orders", "O4", "2024-02-01T10:00:00Z", "purchase", "order_id", "O4",
            "amount", "100"));
    Map<String, Row> out = byCustomer(Transactions.summarizeOrders(
        Transactions.selectOrders(ev, SETTINGS), AS_OF, SETTINGS));
    Row a = out.get("a");
    assertThat((long) a.getAs(ProfileColumns.ORDER_COUNT)).isEqualTo(4);
    assertThat((BigDecimal) a.getAs(ProfileColumns.REVENUE)).isEqualByComparingTo("55.00");
    assertThat((BigDecimal) a.getAs(ProfileColumns.AVG_ORDER_VALUE))
        .isEqualByComparingTo("13.75");
    assertThat((long) a.getAs(ProfileColumns.ONLINE_ORDER_COUNT)).isEqualTo(2);
    assertThat((long) a.getAs(ProfileColumns.STORE_ORDER_COUNT)).isEqualTo(2);
    assertThat((BigDecimal) a.getAs(ProfileColumns.STORE_REVENUE))
        .isEqualByComparingTo("12.25");
    assertThat(a.getAs(ProfileColumns.FIRST_PURCHASE_AT).toString())
        .isEqualTo("2024-05-02 10:00:00.0");
    assertThat(a.getAs(ProfileColumns.LAST_PURCHASE_AT).toString())
        .isEqualTo("2024-05-05 12:00:00.0");
    assertThat((int) a.getAs(ProfileColumns.DAYS_SINCE_LAST_PURCHASE)).isEqualTo(5);
    Row b = out.get("b");
    assertThat((int) b.getAs(ProfileColumns.DAYS_SINCE_LAST_PURCHASE)).isEqualTo(99);
    // O4 is 99 days old: outside the 60-day RFM window
    assertThat((long) b.getAs(ProfileColumns.RFM_FREQUENCY)).isZero();
    assertThat((BigDecimal) b.getAs(ProfileColumns.RFM_MONETARY)).isEqualByComparingTo("0");
  }

  @Test
  void rfmScoresAreQuintilesAmongCustomersWhoOrderedInTheWindow() {
    List<Row> summaries = new java.util.ArrayList<>();
    // five customers: k orders worth 10*k, last one k days ago; plus one idle customer
    for (int k = 1; k <= 5; k++) {
      summaries.add(org.apache.spark.sql.RowFactory.create("c" + k, k, (long) k,
          BigDecimal.valueOf(10L * k).setScale(2)));
    }
    summaries.add(org.apache.spark.sql.RowFactory.create("idle", 200, 0L,
        BigDecimal.ZERO.setScale(2)));
    summaries.add(org.apache.spark.sql.RowFactory.create("tie", 5, 5L,
        BigDecimal.valueOf(50L).setScale(2)));
    Dataset<Row> input = SparkTestSession.spark().createDataFrame(summaries,
        new org.apache.spark.sql.types.StructType()
            .add(ProfileColumns.CUSTOMER_ID, "string")
            .add(ProfileColumns.DAYS_SINCE_LAST_PURCHASE, "int")
            .add(ProfileColumns.RFM_FREQUENCY, "long")
            .add(ProfileColumns.RFM_MONETARY, ProfileColumns.MONEY));
    List<Row> scored = Transactions.scoreRfm(input).select(ProfileColumns.CUSTOMER_ID,
        ProfileColumns.R_SCORE, ProfileColumns.F_SCORE, ProfileColumns.M_SCORE,
        ProfileColumns.RFM_SCORE).collectAsList();
    // six active customers, score = ceil(5 * share of them at or below the value):
    // recency days 5,5 -> 2/6 -> 2; 4 -> 3/6 -> 3; 3 -> 4; 2 -> 5; 1 -> 5
    assertThat(scored).extracting(r -> r.get(0), r -> r.get(1), r -> r.get(2), r -> r.get(3),
        r -> r.get(4)).containsExactlyInAnyOrder(
        tuple("c1", 5, 1, 1, "511"),
        tuple("c2", 5, 2, 2, "522"),
        tuple("c3", 4, 3, 3, "433"),
        tuple("c4", 3, 4, 4, "344"),
        tuple("c5", 2, 5, 5, "255"),
        tuple("tie", 2, 5, 5, "255"),
        tuple("idle", null, null, null, null));
  }

  @Test
  void engagementCountsSessionsViewsEmailsTicketsAndLastActivityPerChannel() {
    Dataset<Row> members = members(member("web", "W1", "a"), member("web", "W2", "a"),
        member("web", "W3", "a"), member("web", "W4", "a"), member("app", "A1", "a"),
        member("app", "A2", "a"), member("email", "E1", "a"), member("email", "E2", "a"),
        member("email", "E3", "a"), member("support", "S1", "a"), member("pos", "T1", "a"),
        member("web", "W0", "a"));
    Dataset<Row> ev = customerEvents(members,
        event("web", "W0", "2024-03-01T10:00:00Z", "page_view", "cookie_id", "k1"),
        event("web", "W1", "2024-05-06T10:00:00Z", "page_view", "cookie_id", "k1"),
        event("web", "W2", "2024-05-06T10:20:00Z", "product_view", "cookie_id", "k1",
            "category", "shoes", "product_id", "P1"),
        event("web", "W3", "2024-05-06T11:00:00Z", "add_to_cart", "cookie_id", "k1",
            "category", "bags", "product_id", "P2"),
        event("web", "W4", "2024-05-07T09:00:00Z", "page_view", "cookie_id", "k2"),
        event("app", "A1", "2024-05-08T20:00:00Z", "screen_view", "device_id", "d1",
            "session_id", "s1"),
        event("app", "A2", "2024-05-08T23:30:00Z", "product_view", "device_id", "d1",
            "session_id", "s1", "category", "shoes", "product_id", "P1"),
        event("email", "E1", "2024-05-02T08:00:00Z", "email_send", "email", "a@x.com"),
        event("email", "E2", "2024-05-02T09:00:00Z", "email_open", "email", "a@x.com"),
        event("email", "E3", "2024-05-02T09:01:00Z", "email_click", "email", "a@x.com"),
        event("support", "S1", "2024-05-09T12:00:00Z", "support_ticket", "channel", "phone"),
        event("pos", "T1", "2024-05-04T15:00:00Z", "purchase", "store_id", "ST1",
            "category", "bags", "amount", "5"));
    Row a = byCustomer(Engagement.countEngagement(ev, AS_OF, SETTINGS)).get("a");
    // k1: 10:00 and 10:20 one session, 11:00 a new one (40 min gap); k2 a third
    assertThat((long) a.getAs(ProfileColumns.WEB_SESSIONS)).isEqualTo(3);
    assertThat((long) a.getAs(ProfileColumns.WEB_PAGE_VIEWS)).isEqualTo(3);
    assertThat((long) a.getAs(ProfileColumns.APP_SESSIONS)).isEqualTo(1);
    assertThat((long) a.getAs(ProfileColumns.APP_PAGE_VIEWS)).isEqualTo(2);
    assertThat((long) a.getAs(ProfileColumns.EMAIL_SENDS)).isEqualTo(1);
    assertThat((long) a.getAs(ProfileColumns.EMAIL_OPENS)).isEqualTo(1);
    assertThat((long) a.getAs(ProfileColumns.EMAIL_CLICKS)).isEqualTo(1);
    assertThat((long) a.getAs(ProfileColumns.EMAIL_UNSUBSCRIBES)).isZero();
    assertThat((long) a.getAs(ProfileColumns.SUPPORT_TICKETS)).isEqualTo(1);

    Row act = byCustomer(Engagement.summarizeActivity(ev, AS_OF, SETTINGS)).get("a");
    Map<String, java.sql.Timestamp> last = act.getJavaMap(
        act.fieldIndex(ProfileColumns.LAST_ACTIVITY_BY_CHANNEL));
    assertThat(last).containsOnlyKeys("web", "app", "email", "support", "store");
    assertThat(last.get("web").toString()).isEqualTo("2024-05-07 09:00:00.0");
    assertThat(last.get("email").toString()).isEqualTo("2024-05-02 09:01:00.0");
    assertThat(act.getAs(ProfileColumns.LAST_ACTIVITY_AT).toString())
        .isEqualTo("2024-05-09 12:00:00.0");
    // web is active on two days (05-06, 05-07), every other channel on one
    assertThat((String) act.getAs(ProfileColumns.PREFERRED_CHANNEL)).isEqualTo("web");

    Row top = byCustomer(Preferences.rankTop(ev, "category", ProfileColumns.TOP_CATEGORIES,
        AS_OF, SETTINGS)).get("a");
    // bags: a purchase; shoes: two views; the purchase ranks first
    assertThat(top.getList(top.fieldIndex(ProfileColumns.TOP_CATEGORIES)))
        .containsExactly("bags", "shoes");
    Row products = byCustomer(Preferences.rankTop(ev, "product_id",
        ProfileColumns.TOP_PRODUCTS, AS_OF, SETTINGS)).get("a");
    assertThat(products.getList(products.fieldIndex(ProfileColumns.TOP_PRODUCTS)))
        .containsExactly("P2", "P1");
    Row habits = byCustomer(Preferences.summarizeHabits(ev, AS_OF, SETTINGS)).get("a");
    assertThat((String) habits.getAs(ProfileColumns.PREFERRED_STORE)).isEqualTo("ST1");
    // London is UTC+1 in May. Mornings: W0, W1, W2, W4, E2, E3 (6); afternoons: W3, S1, T1;
    // A1 evening; A2 (23:30Z) is 00:30 on Thursday, night
    assertThat((String) habits.getAs(ProfileColumns.PREFERRED_TIME_OF_DAY))
        .isEqualTo("morning");
    // Thursdays: E2, E3 (05-02), S1 (05-09), A2; Mondays: W1, W2, W3
    assertThat((String) habits.getAs(ProfileColumns.PREFERRED_DAY_OF_WEEK))
        .isEqualTo("Thursday");
  }

  @Test
  void perCustomerAggregatesReadEventsPartitionedByCustomerWithoutShufflingThemAgain(
      SparkSession spark) {
    Dataset<Row> members = members(member("orders", "O1", "a"), member("web", "W1", "b"));
    Dataset<Row> ev = CustomerEvents.partitionByCustomer(customerEvents(members,
        event("orders", "O1", "2024-05-01T10:00:00Z", "purchase", "order_id", "O1",
            "amount", "10", "category", "bags", "store_id", "ST1"),
        event("web", "W1", "2024-05-06T10:00:00Z", "page_view", "cookie_id", "k1")))
        .persist();
    try {
      // as the job does: a cache is planned with its partitioning once it is materialised
      assertThat(ev.count()).isEqualTo(2);
      Map<String, java.util.function.Supplier<Dataset<Row>>> aggregates = Map.of(
          "orders", () -> Transactions.summarizeOrders(Transactions.selectOrders(ev, SETTINGS),
              AS_OF, SETTINGS),
          "engagement", () -> Engagement.countEngagement(ev, AS_OF, SETTINGS),
          "activity", () -> Engagement.summarizeActivity(ev, AS_OF, SETTINGS),
          "top categories", () -> Preferences.rankTop(ev, "category",
              ProfileColumns.TOP_CATEGORIES, AS_OF, SETTINGS),
          "habits", () -> Preferences.summarizeHabits(ev, AS_OF, SETTINGS),
          "consents", () -> Consents.latestConsents(ev));
      aggregates.forEach((name, query) -> assertThat(Plans.shufflesOfCachedData(spark, query))
          .as(name).isZero());
      // the check sees a shuffle when there is one
      assertThat(Plans.shufflesOfCachedData(spark, () -> ev.groupBy("source").count()))
          .isEqualTo(1);
    } finally {
      ev.unpersist();
    }
  }

  @Test
  void consentIsTheLatestEventPerPurposeAndChannelAsOfTheRun() {
    Dataset<Row> members = members(member("consent", "K1", "a"), member("consent", "K2", "a"),
        member("consent", "K3", "a"), member("consent", "K4", "a"),
        member("consent", "K5", "a"));
    Dataset<Row> ev = customerEvents(members,
        event("consent", "K1", "2024-04-01T10:00:00Z", "consent", "consent_purpose",
            "email_marketing", "channel", "web", "consent_status", "granted"),
        event("consent", "K2", "2024-05-07T10:00:00Z", "consent", "consent_purpose",
            "Email_Marketing", "channel", "email", "consent_status", "WITHDRAWN"),
        event("consent", "K3", "2024-04-02T10:00:00Z", "consent", "consent_purpose",
            "analytics", "channel", "web", "consent_status", "granted"),
        // after the as-of date: not yet known
        event("consent", "K4", "2024-05-20T10:00:00Z", "consent", "consent_purpose",
            "analytics", "channel", "web", "consent_status", "withdrawn"),
        // no status: ignored
        event("consent", "K5", "2024-05-08T10:00:00Z", "consent", "consent_purpose",
            "profiling"));
    Row a = byCustomer(Consents.latestConsents(ev)).get("a");
    assertThat(a.getList(a.fieldIndex(ProfileColumns.CONSENTS)).stream()
        .map(r -> ((Row) r).getString(0) + "/" + ((Row) r).getString(1) + "="
            + ((Row) r).getString(2) + " " + ((Row) r).getString(5)))
        .containsExactly("analytics/web=granted K3", "email_marketing/email=withdrawn K2",
            "email_marketing/web=granted K1");
    assertThat(a.getJavaMap(a.fieldIndex(ProfileColumns.CONSENT_STATUS)))
        .containsExactly(Map.entry("analytics", "granted"),
            Map.entry("email_marketing", "withdrawn"));
  }
}
