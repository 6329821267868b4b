package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
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
 * Preferences of each customer over the preferences window: top categories and products,
 * preferred store, time of day and day of week.
 */
public final class Preferences {
  private Preferences() {}

  /**
   * Per customer: the {@code top-n} values of an attribute (category, product_id) ranked by
   * purchases carrying it, then add-to-carts, then any other events, then by value.
   */
  public static Dataset<Row> rankTop(Dataset<Row> customerEvents, String attribute,
      String column, LocalDate asOf, ProfileSettings settings) {
    Column type = col(BronzeColumns.EVENT_TYPE);
    Dataset<Row> counted = customerEvents
        .where(CustomerEvents.inWindow(asOf, settings.preferencesWindowDays()))
        .withColumn("item", CustomerEvents.attribute(attribute))
        .where(col("item").isNotNull())
        .groupBy(col(IdentityColumns.CUSTOMER_ID), col("item"))
        .agg(count(when(type.equalTo(EventTypes.PURCHASE), lit(1))).as("purchases"),
            count(when(type.equalTo(EventTypes.ADD_TO_CART), lit(1))).as("carts"),
            count(lit(1)).as("events"));
    return counted
        .withColumn("rank", row_number().over(Window.partitionBy(
                col(IdentityColumns.CUSTOMER_ID))
            .orderBy(col("purchases").desc(), col("carts").desc(), col("events").desc(),
                col("item"))))
        .where(col("rank").leq(settings.topN()))
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(sort_array(collect_list(struct(col("rank"), col("item")))).getField("item")
            .as(column));
  }

  /**
   * Per customer: preferred_store (store_id of most purchases, ties: latest, then id),
   * preferred_time_of_day and preferred_day_of_week of its activity events in the
   * configured time zone (ties: the later bucket name).
   */
  public static Dataset<Row> summarizeHabits(Dataset<Row> customerEvents, LocalDate asOf,
      ProfileSettings settings) {
    Dataset<Row> window = customerEvents
        .where(CustomerEvents.inWindow(asOf, settings.preferencesWindowDays()));
    Dataset<Row> stores = window
        .where(col(BronzeColumns.EVENT_TYPE).equalTo(EventTypes.PURCHASE))
        .withColumn("store", CustomerEvents.attribute("store_id"))
        .where(col("store").isNotNull())
        .groupBy(col(IdentityColumns.CUSTOMER_ID), col("store"))
        .agg(count(lit(1)).as("n"), max(col(BronzeColumns.EVENT_TIME)).as("last"))
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(max_by(col("store"), struct(col("n"), col("last"), col("store")))
            .as(ProfileColumns.PREFERRED_STORE));
    Column local = from_utc_timestamp(col(BronzeColumns.EVENT_TIME),
        settings.timezone().getId());
    Column h = hour(local);
    Dataset<Row> active = window.where(col(CustomerEvents.ACTIVITY_CHANNEL).isNotNull())
        .withColumn("tod", when(h.lt(6), lit("night")).when(h.lt(12), lit("morning"))
            .when(h.lt(18), lit("afternoon")).otherwise(lit("evening")))
        .withColumn("dow", date_format(local, "EEEE"));
    Dataset<Row> tod = mode(active, "tod", ProfileColumns.PREFERRED_TIME_OF_DAY);
    Dataset<Row> dow = mode(active, "dow", ProfileColumns.PREFERRED_DAY_OF_WEEK);
    return tod.join(dow, new String[] {IdentityColumns.CUSTOMER_ID}, "full")
        .join(stores, new String[] {IdentityColumns.CUSTOMER_ID}, "full");
  }

  private static Dataset<Row> mode(Dataset<Row> rows, String bucket, String column) {
    return rows.groupBy(col(IdentityColumns.CUSTOMER_ID), col(bucket))
        .agg(count(lit(1)).as("n"))
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(max_by(col(bucket), struct(col("n"), col(bucket))).as(column));
  }
}
