package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.cume_dist;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * Orders, revenue and RFM of each customer from its purchase events, online and in store.
 *
 * <p>An order is one {@code order_id} of one customer (a record without one is an order of
 * its own), counted in its latest version; orders in an excluded status count neither as
 * orders nor as revenue. Amounts are summed as decimals in the sources' currency.
 */
public final class Transactions {
  private Transactions() {}

  static final String ORDER_KEY = "order_key";
  static final String AMOUNT = "amount";

  /** One row per counted order: customer_id, order_key, event_time, event_date, amount, offline. */
  public static Dataset<Row> selectOrders(Dataset<Row> customerEvents, ProfileSettings settings) {
    Column orderKey = coalesce(CustomerEvents.attribute("order_id"),
        concat(col(BronzeColumns.SOURCE), lit(":"), col(BronzeColumns.RECORD_KEY)));
    Column status = lower(CustomerEvents.attribute("order_status"));
    Column excluded = settings.excludedOrderStatuses().isEmpty() ? lit(false)
        : coalesce(status.isin(settings.excludedOrderStatuses().toArray()), lit(false));
    return customerEvents
        .where(col(BronzeColumns.EVENT_TYPE).equalTo(EventTypes.PURCHASE))
        .withColumn(ORDER_KEY, orderKey)
        .withColumn("v", row_number().over(Window.partitionBy(
                col(IdentityColumns.CUSTOMER_ID), col(ORDER_KEY))
            .orderBy(col(BronzeColumns.EVENT_TIME).desc(), col(BronzeColumns.SOURCE),
                col(BronzeColumns.RECORD_KEY))))
        .where(col("v").equalTo(1).and(not(excluded)))
        .select(col(IdentityColumns.CUSTOMER_ID), col(ORDER_KEY), col(BronzeColumns.EVENT_TIME),
            col(BronzeColumns.EVENT_DATE),
            coalesce(CustomerEvents.attribute("amount").cast(ProfileColumns.MONEY),
                lit(0).cast(ProfileColumns.MONEY)).as(AMOUNT),
            col(CustomerEvents.OFFLINE));
  }

  /**
   * Per customer with orders: order counts, revenue (all, online, store), average order
   * value, first and last purchase, days since the last one as of {@code asOf}, and the RFM
   * frequency and monetary value over the window.
   */
  public static Dataset<Row> summarizeOrders(Dataset<Row> orders, LocalDate asOf,
      ProfileSettings settings) {
    Column inWindow = CustomerEvents.inWindow(asOf, settings.rfmWindowDays());
    Column amount = col(AMOUNT);
    Column offline = col(CustomerEvents.OFFLINE);
    Column zero = lit(0).cast(ProfileColumns.MONEY);
    return orders.groupBy(col(IdentityColumns.CUSTOMER_ID)).agg(
            count(lit(1)).as(ProfileColumns.ORDER_COUNT),
            sum(amount).as(ProfileColumns.REVENUE),
            count(when(not(offline), lit(1))).as(ProfileColumns.ONLINE_ORDER_COUNT),
            count(when(offline, lit(1))).as(ProfileColumns.STORE_ORDER_COUNT),
            coalesce(sum(when(not(offline), amount)), zero).as(ProfileColumns.ONLINE_REVENUE),
            coalesce(sum(when(offline, amount)), zero).as(ProfileColumns.STORE_REVENUE),
            min(col(BronzeColumns.EVENT_TIME)).as(ProfileColumns.FIRST_PURCHASE_AT),
            max(col(BronzeColumns.EVENT_TIME)).as(ProfileColumns.LAST_PURCHASE_AT),
            count(when(inWindow, lit(1))).as(ProfileColumns.RFM_FREQUENCY),
            coalesce(sum(when(inWindow, amount)), zero).as(ProfileColumns.RFM_MONETARY))
        .withColumn(ProfileColumns.AVG_ORDER_VALUE, col(ProfileColumns.REVENUE)
            .divide(col(ProfileColumns.ORDER_COUNT)).cast(ProfileColumns.MONEY))
        .withColumn(ProfileColumns.DAYS_SINCE_LAST_PURCHASE, daysSinceLastPurchase(asOf));
  }

  /** Days from the last purchase's date to {@code asOf}; null without purchases. */
  static Column daysSinceLastPurchase(LocalDate asOf) {
    return datediff(lit(java.sql.Date.valueOf(asOf)),
        to_date(col(ProfileColumns.LAST_PURCHASE_AT)));
  }

  /**
   * Adds r_score, f_score, m_score (1-5) and rfm_score to the customers who ordered in the
   * RFM window: the quintile of their recency (fewer days since the last purchase is
   * better), frequency and monetary value among those customers; equal values share a
   * score. Others get nulls.
   */
  public static Dataset<Row> scoreRfm(Dataset<Row> summaries) {
    Column active = col(ProfileColumns.RFM_FREQUENCY).gt(0);
    Dataset<Row> scored = summaries.where(active)
        .withColumn(ProfileColumns.R_SCORE, quintile(Window.orderBy(
            col(ProfileColumns.DAYS_SINCE_LAST_PURCHASE).desc())))
        .withColumn(ProfileColumns.F_SCORE, quintile(Window.orderBy(
            col(ProfileColumns.RFM_FREQUENCY))))
        .withColumn(ProfileColumns.M_SCORE, quintile(Window.orderBy(
            col(ProfileColumns.RFM_MONETARY))));
    Dataset<Row> idle = summaries.where(not(active))
        .withColumn(ProfileColumns.R_SCORE, lit(null).cast("int"))
        .withColumn(ProfileColumns.F_SCORE, lit(null).cast("int"))
        .withColumn(ProfileColumns.M_SCORE, lit(null).cast("int"));
    return scored.unionByName(idle)
        .withColumn(ProfileColumns.RFM_SCORE, concat(col(ProfileColumns.R_SCORE).cast("string"),
            col(ProfileColumns.F_SCORE).cast("string"),
            col(ProfileColumns.M_SCORE).cast("string")));
  }

  /** 1-5: the fifth of the ordered customers a value falls in (ties take the higher). */
  private static Column quintile(WindowSpec order) {
    // the epsilon keeps 0.6 * 5 from landing above 3 in floating point
    return ceil(cume_dist().over(order).multiply(5).minus(1e-9)).cast("int");
  }
}
