package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * Engagement of each customer: web and app sessions and views, email and support counts over
 * the engagement window, and the last activity per channel over all history.
 *
 * <p>A web event is one with a cookie id, an app event one with a device id (and not a
 * purchase, email, support, consent or profile event). A session is a session_id when the
 * event has one; otherwise the events of one device or cookie until
 * {@code session-gap-minutes} pass without one.
 */
public final class Engagement {
  private Engagement() {}

  /** Per customer with events: the engagement counts of the window. */
  public static Dataset<Row> countEngagement(Dataset<Row> customerEvents, LocalDate asOf,
      ProfileSettings settings) {
    Dataset<Row> window = customerEvents.where(CustomerEvents.inWindow(asOf,
        settings.engagementWindowDays()));
    Column channel = col(CustomerEvents.ACTIVITY_CHANNEL);
    Column type = col(BronzeColumns.EVENT_TYPE);
    Column digital = channel.isin(CustomerEvents.WEB, CustomerEvents.APP);
    Column sessionId = CustomerEvents.attribute("session_id");
    Column visitor = coalesce(col(IdentityColumns.DEVICE_ID), col(IdentityColumns.COOKIE_ID));
    Column previous = lag(col(BronzeColumns.EVENT_TIME), 1).over(Window.partitionBy(
            col(IdentityColumns.CUSTOMER_ID), channel, visitor)
        .orderBy(col(BronzeColumns.EVENT_TIME), col(BronzeColumns.SOURCE),
            col(BronzeColumns.RECORD_KEY)));
    Column gap = col(BronzeColumns.EVENT_TIME).cast("long").minus(previous.cast("long"));
    Dataset<Row> sessions = window.where(digital.and(sessionId.isNull()))
        .withColumn("starts", when(previous.isNull()
            .or(gap.gt(settings.sessionGapMinutes() * 60L)), lit(1)).otherwise(lit(0)))
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(sum(when(channel.equalTo(CustomerEvents.WEB), col("starts"))).as("web_gap"),
            sum(when(channel.equalTo(CustomerEvents.APP), col("starts"))).as("app_gap"));
    // distinct session ids in two steps, not count_distinct: two distinct counts in one
    // aggregation expand every event into one row per count and shuffle them all again
    Dataset<Row> sessionIds = window.where(digital.and(sessionId.isNotNull()))
        .groupBy(col(IdentityColumns.CUSTOMER_ID), channel, sessionId.as("sid"))
        .agg(count(lit(1)).as("n"))
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(count(when(channel.equalTo(CustomerEvents.WEB), lit(1))).as("web_sid"),
            count(when(channel.equalTo(CustomerEvents.APP), lit(1))).as("app_sid"));
    Dataset<Row> counts = window.groupBy(col(IdentityColumns.CUSTOMER_ID)).agg(
        count(when(channel.equalTo(CustomerEvents.WEB).and(type.isin(
            EventTypes.VIEWS.toArray())), lit(1))).as(ProfileColumns.WEB_PAGE_VIEWS),
        count(when(channel.equalTo(CustomerEvents.APP).and(type.isin(
            EventTypes.VIEWS.toArray())), lit(1))).as(ProfileColumns.APP_PAGE_VIEWS),
        typeCount(EventTypes.EMAIL_SEND).as(ProfileColumns.EMAIL_SENDS),
        typeCount(EventTypes.EMAIL_OPEN).as(ProfileColumns.EMAIL_OPENS),
        typeCount(EventTypes.EMAIL_CLICK).as(ProfileColumns.EMAIL_CLICKS),
        typeCount(EventTypes.EMAIL_UNSUBSCRIBE).as(ProfileColumns.EMAIL_UNSUBSCRIBES),
        typeCount(EventTypes.EMAIL_BOUNCE).as(ProfileColumns.EMAIL_BOUNCES),
        typeCount(EventTypes.SUPPORT_TICKET).as(ProfileColumns.SUPPORT_TICKETS));
    return counts.join(sessions, new String[] {IdentityColumns.CUSTOMER_ID}, "left")
        .join(sessionIds, new String[] {IdentityColumns.CUSTOMER_ID}, "left")
        .withColumn(ProfileColumns.WEB_SESSIONS, coalesce(col("web_sid"), lit(0L))
            .plus(coalesce(col("web_gap"), lit(0L))))
        .withColumn(ProfileColumns.APP_SESSIONS, coalesce(col("app_sid"), lit(0L))
            .plus(coalesce(col("app_gap"), lit(0L))))
        .drop("web_sid", "app_sid", "web_gap", "app_gap");
  }

  /**
   * Per customer with activity: last_activity_at, last_activity_by_channel (a map sorted by
   * channel) and preferred_channel, the channel of most active days in the engagement window
   * (ties: the latest activity, then the channel name); null without activity in the window.
   */
  public static Dataset<Row> summarizeActivity(Dataset<Row> customerEvents, LocalDate asOf,
      ProfileSettings settings) {
    Column inWindow = CustomerEvents.inWindow(asOf, settings.engagementWindowDays());
    Dataset<Row> perChannel = customerEvents
        .where(col(CustomerEvents.ACTIVITY_CHANNEL).isNotNull())
        .groupBy(col(IdentityColumns.CUSTOMER_ID), col(CustomerEvents.ACTIVITY_CHANNEL))
        .agg(max(col(BronzeColumns.EVENT_TIME)).as("last"),
            count_distinct(when(inWindow, col(BronzeColumns.EVENT_DATE))).as("days"));
    Column channel = col(CustomerEvents.ACTIVITY_CHANNEL);
    return perChannel.groupBy(col(IdentityColumns.CUSTOMER_ID)).agg(
        max(col("last")).as(ProfileColumns.LAST_ACTIVITY_AT),
        map_from_entries(sort_array(collect_list(struct(channel, col("last")))))
            .as(ProfileColumns.LAST_ACTIVITY_BY_CHANNEL),
        max_by(when(col("days").gt(0), channel), struct(col("days"), col("last"), channel))
            .as("best"),
        max(col("days")).as("most_days"))
        .withColumn(ProfileColumns.PREFERRED_CHANNEL, when(col("most_days").gt(0), col("best")))
        .drop("best", "most_days");
  }

  private static Column typeCount(String eventType) {
    return count(when(col(BronzeColumns.EVENT_TYPE).equalTo(eventType), lit(1)));
  }
}
