package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;

/**
 * The bronze events of each customer, as the profile reads them: the latest version of every
 * source record up to the end of the logical date, with the customer id of its membership
 * and the activity channel it counts for.
 */
public final class CustomerEvents {
  private CustomerEvents() {}

  /** Column: channel an event counts as activity on, null when it is no activity. */
  public static final String ACTIVITY_CHANNEL = "activity_channel";
  /** Column: true for a store (offline) purchase. */
  public static final String OFFLINE = "offline";

  static final String WEB = "web";
  static final String APP = "app";
  static final String ONLINE = "online";
  static final String STORE = "store";
  static final String EMAIL = "email";
  static final String SUPPORT = "support";

  /**
   * Bronze events of records with a membership, latest version per source record (by event
   * time, then ingest time, then content hash), event date at most {@code asOf}; columns
   * customer_id, source, record_key, event_time, event_date, event_type, device_id,
   * cookie_id, attributes, offline, activity_channel.
   */
  public static Dataset<Row> selectCustomerEvents(Dataset<Row> bronze, Dataset<Row> membership,
      LocalDate asOf, ProfileSettings settings) {
    Dataset<Row> latest = bronze
        .where(col(BronzeColumns.EVENT_DATE).leq(lit(java.sql.Date.valueOf(asOf))))
        .select(col(BronzeColumns.SOURCE), col(BronzeColumns.RECORD_KEY),
            col(BronzeColumns.EVENT_TIME), col(BronzeColumns.EVENT_DATE),
            col(BronzeColumns.EVENT_TYPE), col(IdentityColumns.DEVICE_ID),
            col(IdentityColumns.COOKIE_ID), col(BronzeColumns.ATTRIBUTES),
            col(BronzeColumns.INGESTED_AT), col(BronzeColumns.RECORD_HASH))
        .withColumn("v", row_number().over(Window.partitionBy(col(BronzeColumns.SOURCE),
                col(BronzeColumns.RECORD_KEY))
            .orderBy(col(BronzeColumns.EVENT_TIME).desc(), col(BronzeColumns.INGESTED_AT).desc(),
                col(BronzeColumns.RECORD_HASH).desc())))
        .where(col("v").equalTo(1))
        .drop("v", BronzeColumns.INGESTED_AT, BronzeColumns.RECORD_HASH);
    Dataset<Row> joined = latest.join(membership.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.CUSTOMER_ID)),
        new String[] {BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY});
    Column type = col(BronzeColumns.EVENT_TYPE);
    Column offline = attribute("store_id").isNotNull()
        .or(coalesce(lower(attribute("channel")).isin(settings.offlineChannels().toArray()),
            lit(false)));
    Column digital = not(type.isin(EventTypes.NOT_DIGITAL.toArray()))
        .and(col(IdentityColumns.DEVICE_ID).isNotNull()
            .or(col(IdentityColumns.COOKIE_ID).isNotNull()));
    return joined
        .withColumn(OFFLINE, type.equalTo(EventTypes.PURCHASE).and(offline))
        .withColumn(ACTIVITY_CHANNEL,
            when(type.equalTo(EventTypes.PURCHASE), when(offline, lit(STORE)).otherwise(ONLINE))
                .when(type.isin(EventTypes.EMAIL_ACTIVITY.toArray()), lit(EMAIL))
                .when(type.equalTo(EventTypes.SUPPORT_TICKET), lit(SUPPORT))
                .when(digital, when(col(IdentityColumns.DEVICE_ID).isNotNull(), lit(APP))
                    .otherwise(WEB)));
  }

  /**
   * {@code customerEvents} hash-partitioned by customer_id into
   * {@code spark.sql.shuffle.partitions} partitions: one shuffle of the events, after which
   * every aggregation and window keyed by the customer (alone or with more columns) reads
   * its partition where it is instead of shuffling the events again. The number is explicit
   * so that adaptive execution keeps the partitioning the later joins of per-customer results
   * share.
   */
  public static Dataset<Row> partitionByCustomer(Dataset<Row> customerEvents) {
    int partitions = Integer.parseInt(customerEvents.sparkSession().conf()
        .get("spark.sql.shuffle.partitions"));
    return customerEvents.repartition(partitions, col(IdentityColumns.CUSTOMER_ID));
  }

  /** A canonical attribute, trimmed, null when absent or blank. */
  static Column attribute(String name) {
    Column v = trim(element_at(col(BronzeColumns.ATTRIBUTES), lit(name)));
    return when(v.notEqual(""), v);
  }

  /** True for events on or after the first day of a window of {@code days} ending asOf. */
  static Column inWindow(LocalDate asOf, int days) {
    return col(BronzeColumns.EVENT_DATE).geq(date_sub(lit(java.sql.Date.valueOf(asOf)),
        days - 1));
  }

  private static Column not(Column c) {
    return org.apache.spark.sql.functions.not(c);
  }

  static List<String> channels() {
    return List.of(WEB, APP, ONLINE, STORE, EMAIL, SUPPORT);
  }
}
