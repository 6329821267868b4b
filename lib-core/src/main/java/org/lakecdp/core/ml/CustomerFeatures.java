package org.lakecdp.core.ml;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofyear;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.MlSettings;
import org.lakecdp.core.config.MlSettings.ModelSpec;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.privacy.ConsentHistory;
import org.lakecdp.core.profile.CustomerEvents;

/**
 * Point-in-time features and labels. A cutoff (as-of date) {@code c} stands for the instant
 * {@code c 00:00 UTC}: features read only events with {@code event_time} before it, labels
 * only events in {@code [c, c + horizon)}. An event after the cutoff therefore never changes
 * a feature, and no label reads an event before it.
 *
 * <p>Customers are those of {@code cdp_silver.customer_membership} (the current identity
 * resolution); a customer has features at a cutoff when at least one of their events is
 * before it. Purchases are events whose canonical type is one of
 * {@code cdp.ml.purchase-event-types}, their amount the {@code amount-attribute}. Training
 * and scoring leave out customers who had withdrawn a modelling purpose before the cutoff
 * ({@link #leaveOutWithdrawn}).
 */
public final class CustomerFeatures {
  private CustomerFeatures() {}

  public static final String LABEL = "label";
  static final String AGE = "_age_days";
  static final String CUTOFF_TS = "_cutoff_ts";
  private static final String LAST_OF_DAY = "_last_of_day";
  private static final String FIRST_OF_CATEGORY = "_first_of_category";
  private static final String FIRST_OF_SOURCE = "_first_of_source";

  public static final String RECENCY_DAYS = "recency_days";
  public static final String PURCHASES_TOTAL = "purchases_total";
  /** The cutoff's day of the year on the unit circle: where in the seasons it stands. */
  static final String CUTOFF_DAY_SIN = "cutoff_day_of_year_sin";
  static final String CUTOFF_DAY_COS = "cutoff_day_of_year_cos";
  static final String CATEGORY = "category";
  static final String STORE_ID = "store_id";
  private static final Pattern WINDOWED = Pattern.compile("[a-z_]+_(\\d+)d");

  /** Recency given to customers who never purchased: ten years. */
  public static final double NO_PURCHASE_RECENCY = 3650;

  /** Feature names built under {@code ml}, in the order models read them. */
  public static List<String> names(MlSettings ml) {
    List<String> names = new ArrayList<>(List.of(RECENCY_DAYS, "days_since_last_event",
        "tenure_days", PURCHASES_TOTAL, "spend_total", "avg_order_value",
        "mean_days_between_purchases"));
    for (int w : ml.windowsDays()) {
      for (String f : List.of("purchases", "spend", "page_views", "email_opens",
          "email_clicks", "support_tickets", "active_days")) {
        names.add(f + "_" + w + "d");
      }
    }
    names.addAll(List.of("distinct_categories", "distinct_sources", "store_purchase_share"));
    if (ml.calendarFeatures()) {
      names.addAll(List.of(CUTOFF_DAY_SIN, CUTOFF_DAY_COS));
    }
    return names;
  }

  /**
   * Bronze events with the customer each belongs to: one row per source, record key, event
   * type and event time (versions of a record with the same time count once). Records not
   * yet resolved by identity are left out. Partitioned by customer
   * ({@link CustomerEvents#partitionByCustomer}): the features of every cutoff aggregate
   * per customer without shuffling the events again.
   */
  public static Dataset<Row> customerEvents(Dataset<Row> events, Dataset<Row> membership) {
    Dataset<Row> resolved = events.select(col(BronzeColumns.SOURCE),
            col(BronzeColumns.RECORD_KEY), col(BronzeColumns.EVENT_TIME),
            col(BronzeColumns.EVENT_TYPE), col(BronzeColumns.ATTRIBUTES))
        .dropDuplicates(BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY,
            BronzeColumns.EVENT_TYPE, BronzeColumns.EVENT_TIME)
        .join(membership.select(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY,
            IdentityColumns.CUSTOMER_ID),
            new String[] {BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY}, "inner");
    return CustomerEvents.partitionByCustomer(resolved);
  }

  /** The cutoffs as a one-column ({@code as_of}) dataset. */
  public static Dataset<Row> cutoffs(SparkSession spark, List<LocalDate> dates) {
    List<Row> rows = dates.stream().map(d -> RowFactory.create(Date.valueOf(d))).toList();
    return spark.createDataFrame(rows, new StructType().add(MlColumns.AS_OF,
        DataTypes.DateType, false));
  }

  /**
   * Features of every customer at every cutoff: {@code customer_id, as_of} and one double
   * column per {@link #names} entry, nulls filled (counts 0, recency
   * {@link #NO_PURCHASE_RECENCY}). {@code historyStart} is the day the purchase history
   * starts: with {@code cdp.ml.scale-partial-windows}, the counts and sums of a window
   * longer than the days from it to the cutoff are scaled to the whole window.
   */
  public static Dataset<Row> buildFeatures(Dataset<Row> customerEvents, Dataset<Row> cutoffs,
      LocalDate historyStart, MlSettings ml) {
    Column cutoffTs = col(MlColumns.AS_OF).cast(DataTypes.TimestampType);
    // Distinct counts as sums of "first of its kind" flags, set once per event: a day counts
    // at a cutoff when its last event is before it and inside the window (a cutoff is a
    // midnight, so a day before it lies wholly before it), a category or source when its
    // first event is before it. Exact, and unlike count(distinct) of several columns it
    // needs neither a copy of every event per column nor a shuffle of the copies.
    Column customer = col(MlColumns.CUSTOMER_ID);
    Column time = col(BronzeColumns.EVENT_TIME);
    Dataset<Row> flagged = customerEvents
        .withColumn(LAST_OF_DAY, row_number().over(Window.partitionBy(customer, to_date(time))
            .orderBy(time.desc())).equalTo(1))
        .withColumn(FIRST_OF_CATEGORY, attribute(CATEGORY).isNotNull().and(row_number().over(
            Window.partitionBy(customer, attribute(CATEGORY)).orderBy(time)).equalTo(1)))
        .withColumn(FIRST_OF_SOURCE, row_number().over(Window.partitionBy(customer,
            col(BronzeColumns.SOURCE)).orderBy(time)).equalTo(1));
    // the few cutoffs go to every partition: the events stay partitioned by customer
    Dataset<Row> before = flagged.crossJoin(broadcast(cutoffs))
        .withColumn(CUTOFF_TS, cutoffTs)
        .filter(col(BronzeColumns.EVENT_TIME).lt(col(CUTOFF_TS)))
        .withColumn(AGE, unix_seconds(col(CUTOFF_TS)).minus(unix_seconds(
            col(BronzeColumns.EVENT_TIME))).divide(86400.0));
    Column age = col(AGE);
    Column purchase = isPurchase(ml);
    Column amount = amount(ml);
    Column one = lit(1.0);
    List<Column> aggs = new ArrayList<>();
    aggs.add(min(when(purchase, age)).as(RECENCY_DAYS));
    aggs.add(min(age).as("days_since_last_event"));
    aggs.add(max(age).as("tenure_days"));
    aggs.add(sum(when(purchase, one)).as(PURCHASES_TOTAL));
    aggs.add(sum(when(purchase, amount)).as("spend_total"));
    aggs.add(max(when(purchase, age)).as("_first_purchase_age"));
    for (int w : ml.windowsDays()) {
      Column in = age.leq(w);
      aggs.add(sum(when(purchase.and(in), one)).as("purchases_" + w + "d"));
      aggs.add(sum(when(purchase.and(in), amount)).as("spend_" + w + "d"));
      aggs.add(sum(when(in.and(typeIn(ml.pageViewEventTypes())), one))
          .as("page_views_" + w + "d"));
      aggs.add(sum(when(in.and(typeIn(ml.emailOpenEventTypes())), one))
          .as("email_opens_" + w + "d"));
      aggs.add(sum(when(in.and(typeIn(ml.emailClickEventTypes())), one))
          .as("email_clicks_" + w + "d"));
      aggs.add(sum(when(in.and(typeIn(ml.supportEventTypes())), one))
          .as("support_tickets_" + w + "d"));
      aggs.add(sum(when(in.and(col(LAST_OF_DAY)), one)).as("active_days_" + w + "d"));
    }
    aggs.add(sum(when(col(FIRST_OF_CATEGORY), one)).as("distinct_categories"));
    aggs.add(sum(when(col(FIRST_OF_SOURCE), one)).as("distinct_sources"));
    aggs.add(sum(when(purchase.and(attribute(STORE_ID).isNotNull()), one))
        .as("_store_purchases"));

    Dataset<Row> raw = before.groupBy(col(MlColumns.CUSTOMER_ID), col(MlColumns.AS_OF))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    Column purchases = coalesce(col(PURCHASES_TOTAL), lit(0.0));
    List<Column> out = new ArrayList<>(List.of(col(MlColumns.CUSTOMER_ID),
        col(MlColumns.AS_OF)));
    for (String name : names(ml)) {
      Column value = switch (name) {
        case RECENCY_DAYS -> coalesce(col(name), lit(NO_PURCHASE_RECENCY));
        case "avg_order_value" -> when(purchases.gt(0),
            coalesce(col("spend_total"), lit(0.0)).divide(purchases)).otherwise(0.0);
        case "mean_days_between_purchases" -> when(purchases.gt(1),
            col("_first_purchase_age").minus(col(RECENCY_DAYS)).divide(purchases.minus(1)))
            .otherwise(0.0);
        case "store_purchase_share" -> when(purchases.gt(0),
            coalesce(col("_store_purchases"), lit(0.0)).divide(purchases)).otherwise(0.0);
        case CUTOFF_DAY_SIN -> sin(yearAngle());
        case CUTOFF_DAY_COS -> cos(yearAngle());
        default -> coalesce(col(name).cast(DataTypes.DoubleType), lit(0.0));
      };
      if (ml.scalePartialWindows() && windowOf(name) > 0) {
        value = value.multiply(windowScale(windowOf(name), historyStart));
      }
      out.add(value.cast(DataTypes.DoubleType).as(name));
    }
    return raw.select(out.toArray(Column[]::new));
  }

  /** The cutoff's day of the year as an angle: 2 pi (day - 1) / 365.25. */
  private static Column yearAngle() {
    return dayofyear(col(MlColumns.AS_OF)).minus(1).cast(DataTypes.DoubleType)
        .multiply(2 * Math.PI / 365.25);
  }

  /** The look-back window of a windowed feature ({@code purchases_90d}: 90), else 0. */
  static int windowOf(String feature) {
    Matcher m = WINDOWED.matcher(feature);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  /**
   * {@code window / days of data before the cutoff} when the data starts less than a window
   * before it, else 1: what turns a partial window's count into an estimate of the full one.
   */
  private static Column windowScale(int window, LocalDate historyStart) {
    Column seen = greatest(datediff(col(MlColumns.AS_OF), lit(Date.valueOf(historyStart))),
        lit(1)).cast(DataTypes.DoubleType);
    return when(seen.lt(window), lit((double) window).divide(seen)).otherwise(1.0);
  }

  /**
   * Labels of one model at every cutoff, for the customers of {@code features}
   * ({@code customer_id, as_of, label}): churn 1.0 when no purchase in the horizon (only
   * customers with a purchase before the cutoff), propensity 1.0 when a purchase (of the
   * category, when set) in the horizon, clv the spend in the horizon.
   */
  public static Dataset<Row> buildLabels(Dataset<Row> customerEvents, Dataset<Row> features,
      ModelSpec spec, MlSettings ml) {
    Column cutoffTs = col(MlColumns.AS_OF).cast(DataTypes.TimestampType);
    Column purchase = isPurchase(ml);
    if (!spec.category().isEmpty()) {
      purchase = purchase.and(attribute(CATEGORY).equalTo(lit(spec.category())));
    }
    Dataset<Row> keys = population(features, spec).select(MlColumns.CUSTOMER_ID,
        MlColumns.AS_OF);
    Dataset<Row> after = customerEvents.filter(purchase)
        .crossJoin(broadcast(keys.select(MlColumns.AS_OF).distinct()))
        .withColumn(CUTOFF_TS, cutoffTs)
        .filter(col(BronzeColumns.EVENT_TIME).geq(col(CUTOFF_TS))
            .and(unix_seconds(col(BronzeColumns.EVENT_TIME)).lt(unix_seconds(col(CUTOFF_TS))
                .plus((long) spec.horizonDays() * 86400))))
        .groupBy(MlColumns.CUSTOMER_ID, MlColumns.AS_OF)
        .agg(sum(lit(1.0)).as("_n"), sum(amount(ml)).as("_spend"));
    Dataset<Row> joined = keys.join(after,
        new String[] {MlColumns.CUSTOMER_ID, MlColumns.AS_OF}, "left");
    Column n = coalesce(col("_n"), lit(0.0));
    Column label = switch (spec.name()) {
      case "churn" -> when(n.equalTo(0), 1.0).otherwise(0.0);
      case "propensity" -> when(n.gt(0), 1.0).otherwise(0.0);
      default -> coalesce(col("_spend"), lit(0.0));
    };
    return joined.select(col(MlColumns.CUSTOMER_ID), col(MlColumns.AS_OF),
        label.cast(DataTypes.DoubleType).as(LABEL));
  }

  /**
   * {@code features} without the rows of customers who, before the row's cutoff, had
   * withdrawn (a status in {@code cdp.activation.suppression.statuses}) one of
   * {@code cdp.privacy.modelling-purposes}, by the consent history of {@code bronze} and
   * {@code membership} (built here, so it is as fresh as the features). No consent event
   * counts as allowed.
   */
  public static Dataset<Row> leaveOutWithdrawn(Dataset<Row> features, Dataset<Row> bronze,
      Dataset<Row> membership, CdpSettings settings) {
    return ConsentHistory.withoutWithdrawn(features,
        ConsentHistory.buildHistory(bronze, membership),
        settings.privacy().modellingPurposes(), settings.segments().suppressionStatuses());
  }

  /** The customers a model is about: churn needs a purchase before the cutoff. */
  public static Dataset<Row> population(Dataset<Row> features, ModelSpec spec) {
    return spec.name().equals("churn") ? features.filter(col(PURCHASES_TOTAL).gt(0))
        : features;
  }

  /** Wide features to the table's {@code features} map. */
  public static Dataset<Row> toTableRows(Dataset<Row> features, MlSettings ml, String runId,
      java.sql.Timestamp at) {
    List<Column> keys = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    for (String name : names(ml)) {
      keys.add(lit(name));
      values.add(col(name));
    }
    return features.select(col(MlColumns.CUSTOMER_ID), col(MlColumns.AS_OF),
        map_from_arrays(array(keys.toArray(Column[]::new)),
            array(values.toArray(Column[]::new))).as(MlColumns.FEATURES),
        lit(runId).as(MlColumns.RUN_ID), lit(at).as(MlColumns.COMPUTED_AT));
  }

  static Column isPurchase(MlSettings ml) {
    return typeIn(ml.purchaseEventTypes());
  }

  private static Column typeIn(List<String> types) {
    return types.isEmpty() ? lit(false) : col(BronzeColumns.EVENT_TYPE).isin(types.toArray());
  }

  private static Column amount(MlSettings ml) {
    return coalesce(attribute(ml.amountAttribute()).try_cast(DataTypes.DoubleType), lit(0.0));
  }

  private static Column attribute(String name) {
    return col(BronzeColumns.ATTRIBUTES).getItem(name);
  }
}
