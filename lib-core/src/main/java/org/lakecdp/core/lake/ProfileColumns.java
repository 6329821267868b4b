package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/** Column names and schema of the gold 360 profile: one place, no scattered literals. */
public final class ProfileColumns {
  private ProfileColumns() {}

  public static final String CUSTOMER_ID = IdentityColumns.CUSTOMER_ID;

  // golden record (names of cdp_silver.identity_records)
  public static final String FIRST_NAME = IdentityColumns.FIRST_NAME;
  public static final String LAST_NAME = IdentityColumns.LAST_NAME;
  public static final String EMAIL = IdentityColumns.EMAIL;
  public static final String PHONE = IdentityColumns.PHONE;
  public static final String DATE_OF_BIRTH = IdentityColumns.DATE_OF_BIRTH;
  public static final String GENDER = IdentityColumns.GENDER;
  public static final String STREET = IdentityColumns.STREET;
  public static final String STREET_NUMBER = IdentityColumns.STREET_NUMBER;
  public static final String ADDRESS_LINE2 = IdentityColumns.ADDRESS_LINE2;
  public static final String CITY = IdentityColumns.CITY;
  public static final String POSTCODE = IdentityColumns.POSTCODE;
  public static final String STATE = IdentityColumns.STATE;
  public static final String COUNTRY = IdentityColumns.COUNTRY;
  public static final String PROVENANCE = "provenance";
  // provenance struct fields
  public static final String SOURCE = BronzeColumns.SOURCE;
  public static final String RECORD_KEY = BronzeColumns.RECORD_KEY;
  public static final String EVENT_TIME = BronzeColumns.EVENT_TIME;
  public static final String RULE = "rule";

  // identifiers
  public static final String EMAILS = "emails";
  public static final String PHONES = "phones";
  public static final String DEVICE_IDS = "device_ids";
  public static final String COOKIE_IDS = "cookie_ids";
  public static final String LOYALTY_IDS = "loyalty_ids";
  public static final String SOURCE_CUSTOMER_IDS = "source_customer_ids";
  public static final String SOURCE_KEYS = "source_keys";
  public static final String SOURCES = "sources";
  public static final String RECORD_COUNT = "record_count";
  public static final String FIRST_SEEN_AT = "first_seen_at";
  public static final String LAST_SEEN_AT = "last_seen_at";

  // transactions
  public static final String ORDER_COUNT = "order_count";
  public static final String REVENUE = "revenue";
  public static final String AVG_ORDER_VALUE = "avg_order_value";
  public static final String ONLINE_ORDER_COUNT = "online_order_count";
  public static final String STORE_ORDER_COUNT = "store_order_count";
  public static final String ONLINE_REVENUE = "online_revenue";
  public static final String STORE_REVENUE = "store_revenue";
  public static final String FIRST_PURCHASE_AT = "first_purchase_at";
  public static final String LAST_PURCHASE_AT = "last_purchase_at";
  public static final String DAYS_SINCE_LAST_PURCHASE = "days_since_last_purchase";
  public static final String RFM_FREQUENCY = "rfm_frequency";
  public static final String RFM_MONETARY = "rfm_monetary";
  public static final String R_SCORE = "r_score";
  public static final String F_SCORE = "f_score";
  public static final String M_SCORE = "m_score";
  public static final String RFM_SCORE = "rfm_score";

  // engagement
  public static final String WEB_SESSIONS = "web_sessions";
  public static final String WEB_PAGE_VIEWS = "web_page_views";
  public static final String APP_SESSIONS = "app_sessions";
  public static final String APP_PAGE_VIEWS = "app_page_views";
  public static final String EMAIL_SENDS = "email_sends";
  public static final String EMAIL_OPENS = "email_opens";
  public static final String EMAIL_CLICKS = "email_clicks";
  public static final String EMAIL_UNSUBSCRIBES = "email_unsubscribes";
  public static final String EMAIL_BOUNCES = "email_bounces";
  public static final String SUPPORT_TICKETS = "support_tickets";
  public static final String LAST_ACTIVITY_AT = "last_activity_at";
  public static final String LAST_ACTIVITY_BY_CHANNEL = "last_activity_by_channel";
  public static final String PREFERRED_CHANNEL = "preferred_channel";

  // preferences
  public static final String TOP_CATEGORIES = "top_categories";
  public static final String TOP_PRODUCTS = "top_products";
  public static final String PREFERRED_STORE = "preferred_store";
  public static final String PREFERRED_TIME_OF_DAY = "preferred_time_of_day";
  public static final String PREFERRED_DAY_OF_WEEK = "preferred_day_of_week";

  // consent
  public static final String CONSENTS = "consents";
  public static final String CONSENT_STATUS = "consent_status";
  public static final String PURPOSE = "purpose";
  public static final String CHANNEL = "channel";
  public static final String STATUS = "status";
  public static final String UPDATED_AT = "updated_at";

  // scores (cdp_gold.customer_scores)
  public static final String SCORE = "score";
  public static final String MODEL_VERSION = "model_version";
  public static final String HORIZON_DAYS = "horizon_days";
  public static final String SCORED_AT = "scored_at";
  /** What each model's latest score brings as columns, {@code <model>_<field>}. */
  public static final java.util.List<String> SCORE_FIELDS = java.util.List.of(SCORE,
      HORIZON_DAYS, MODEL_VERSION, SCORED_AT);

  /** The profile column of one model's score field, e.g. {@code churn_score}. */
  public static String scoreColumn(String model, String field) {
    return model + "_" + field;
  }

  /** Models whose latest score becomes columns {@code <model>_score}, ... */
  public static final java.util.List<String> MODELS = java.util.List.of("churn", "propensity",
      "clv");

  public static final String AS_OF_DATE = "as_of_date";
  public static final String RUN_ID = BronzeColumns.RUN_ID;

  private static final ArrayType STRINGS = DataTypes.createArrayType(StringType, true);
  public static final DecimalType MONEY = DataTypes.createDecimalType(18, 2);

  /** Where one golden-record value came from. */
  public static final StructType PROVENANCE_ENTRY = new StructType()
      .add(SOURCE, StringType, true, "Source of the record the value came from")
      .add(RECORD_KEY, StringType, true, "Record key of that record")
      .add(EVENT_TIME, TimestampType, true, "Event time of that record (UTC)")
      .add(RULE, StringType, true, "Survivorship rule that chose it");

  public static final MapType PROVENANCE_MAP = DataTypes.createMapType(StringType,
      PROVENANCE_ENTRY, true);

  /** One consent state: the latest consent event of a purpose on a channel. */
  public static final StructType CONSENT_ENTRY = new StructType()
      .add(PURPOSE, StringType, true, "Consent purpose, e.g. email_marketing")
      .add(CHANNEL, StringType, true, "Channel the consent was given or withdrawn on")
      .add(STATUS, StringType, true, "Latest status, e.g. granted | withdrawn (lower case)")
      .add(UPDATED_AT, TimestampType, true, "Event time of that consent event (UTC)")
      .add(SOURCE, StringType, true, "Source of the consent event")
      .add(RECORD_KEY, StringType, true, "Record key of the consent event");

  /** {@code cdp_gold.customer_profile}: one row per customer. */
  public static final StructType PROFILE = profile();

  private static StructType profile() {
    StructType s = new StructType()
        .add(CUSTOMER_ID, StringType, false,
            "Persistent CDP customer id (cdp_silver.customer_membership)")
        .add(FIRST_NAME, StringType, true, "Golden given name (standardised: lower case)")
        .add(LAST_NAME, StringType, true, "Golden family name (standardised: lower case)")
        .add(EMAIL, StringType, true, "Golden email (valid, lower case)")
        .add(PHONE, StringType, true, "Golden phone, E.164")
        .add(DATE_OF_BIRTH, DateType, true, "Golden date of birth")
        .add(GENDER, StringType, true, "Golden gender: female | male | other")
        .add(STREET, StringType, true, "Golden street (abbreviations expanded)")
        .add(STREET_NUMBER, StringType, true, "Golden house number")
        .add(ADDRESS_LINE2, StringType, true, "Golden second address line")
        .add(CITY, StringType, true, "Golden city")
        .add(POSTCODE, StringType, true, "Golden postcode, in its country's format")
        .add(STATE, StringType, true, "Golden state or county")
        .add(COUNTRY, StringType, true, "Golden country, ISO 3166 alpha-2")
        .add(PROVENANCE, PROVENANCE_MAP, true,
            "Per golden attribute (key = column name): source, record_key and event_time of"
                + " the record its value came from, and the survivorship rule")
        .add(EMAILS, STRINGS, true, "Every usable email of the customer, sorted")
        .add(PHONES, STRINGS, true, "Every usable phone (E.164), sorted")
        .add(DEVICE_IDS, STRINGS, true, "Every app device id, sorted")
        .add(COOKIE_IDS, STRINGS, true, "Every web cookie id, sorted")
        .add(LOYALTY_IDS, STRINGS, true, "Every loyalty card, sorted")
        .add(SOURCE_CUSTOMER_IDS, STRINGS, true,
            "Every customer id the sources gave the customer (e.g. CRM ids), sorted")
        .add(SOURCE_KEYS, STRINGS, true, "Every source record of the customer, source:record_key")
        .add(SOURCES, STRINGS, true, "Sources the customer appears in, sorted")
        .add(RECORD_COUNT, LongType, false, "Source records of the customer (membership rows)")
        .add(FIRST_SEEN_AT, TimestampType, true, "Earliest event of the customer (UTC)")
        .add(LAST_SEEN_AT, TimestampType, true, "Latest event of the customer (UTC)")
        .add(ORDER_COUNT, LongType, false,
            "Distinct orders (purchase events by order_id), online and in store, all history,"
                + " excluding excluded-order-statuses")
        .add(REVENUE, MONEY, false, "Sum of order amounts, all history (sources' currency)")
        .add(AVG_ORDER_VALUE, MONEY, true, "revenue / order_count; null without orders")
        .add(ONLINE_ORDER_COUNT, LongType, false, "Orders online (not store)")
        .add(STORE_ORDER_COUNT, LongType, false,
            "Orders in store (a store_id, or an offline channel)")
        .add(ONLINE_REVENUE, MONEY, false, "Revenue of online orders")
        .add(STORE_REVENUE, MONEY, false, "Revenue of store orders")
        .add(FIRST_PURCHASE_AT, TimestampType, true, "First order (UTC)")
        .add(LAST_PURCHASE_AT, TimestampType, true, "Last order (UTC)")
        .add(DAYS_SINCE_LAST_PURCHASE, IntegerType, true,
            "Days from the last order's UTC date to as_of_date")
        .add(RFM_FREQUENCY, LongType, false, "Orders in the RFM window")
        .add(RFM_MONETARY, MONEY, false, "Revenue in the RFM window")
        .add(R_SCORE, IntegerType, true,
            "Recency quintile 1-5 (5 = most recent) among customers who ordered in the RFM"
                + " window; null when they did not")
        .add(F_SCORE, IntegerType, true, "Frequency quintile 1-5 (5 = most orders), same base")
        .add(M_SCORE, IntegerType, true, "Monetary quintile 1-5 (5 = most revenue), same base")
        .add(RFM_SCORE, StringType, true, "r_score, f_score and m_score as one code, e.g. 545")
        .add(WEB_SESSIONS, LongType, false, "Web sessions in the engagement window")
        .add(WEB_PAGE_VIEWS, LongType, false,
            "Web page and product views in the engagement window")
        .add(APP_SESSIONS, LongType, false, "App sessions in the engagement window")
        .add(APP_PAGE_VIEWS, LongType, false,
            "App screen and product views in the engagement window")
        .add(EMAIL_SENDS, LongType, false, "Emails sent in the engagement window")
        .add(EMAIL_OPENS, LongType, false, "Email opens in the engagement window")
        .add(EMAIL_CLICKS, LongType, false, "Email clicks in the engagement window")
        .add(EMAIL_UNSUBSCRIBES, LongType, false, "Unsubscribes in the engagement window")
        .add(EMAIL_BOUNCES, LongType, false, "Email bounces in the engagement window")
        .add(SUPPORT_TICKETS, LongType, false, "Support tickets in the engagement window")
        .add(LAST_ACTIVITY_AT, TimestampType, true,
            "Latest activity of the customer on any channel (UTC)")
        .add(LAST_ACTIVITY_BY_CHANNEL, DataTypes.createMapType(StringType, TimestampType, true),
            true, "Latest activity per channel: web, app, online (orders), store, email"
                + " (opens, clicks, unsubscribes), support")
        .add(PREFERRED_CHANNEL, StringType, true,
            "Channel with the most active days in the engagement window (ties: latest)")
        .add(TOP_CATEGORIES, STRINGS, true,
            "Top product categories, by purchases, then add-to-carts, then views")
        .add(TOP_PRODUCTS, STRINGS, true,
            "Top products, by purchases, then add-to-carts, then views")
        .add(PREFERRED_STORE, StringType, true, "Store of most purchases (ties: latest)")
        .add(PREFERRED_TIME_OF_DAY, StringType, true,
            "night (0-6h) | morning (6-12h) | afternoon (12-18h) | evening (18-24h): when"
                + " most of the customer's activity happens")
        .add(PREFERRED_DAY_OF_WEEK, StringType, true,
            "Day of week of most activity: Monday ... Sunday")
        .add(CONSENTS, DataTypes.createArrayType(CONSENT_ENTRY, true), true,
            "Latest consent event per purpose and channel, as of as_of_date")
        .add(CONSENT_STATUS, DataTypes.createMapType(StringType, StringType, true), true,
            "Per purpose: status of its latest consent event on any channel");
    for (String model : MODELS) {
      s = s.add(scoreColumn(model, SCORE), DoubleType, true, "Latest " + model
              + " score (cdp_gold.customer_scores); null when not scored")
          .add(scoreColumn(model, HORIZON_DAYS), IntegerType, true, "Horizon of that " + model
              + " score, days")
          .add(scoreColumn(model, MODEL_VERSION), StringType, true, "Model version of that score")
          .add(scoreColumn(model, SCORED_AT), TimestampType, true, "When that score was computed");
    }
    return s
        .add(AS_OF_DATE, DateType, false, "Logical date the profile describes")
        .add(RUN_ID, StringType, false, "Profile run that last changed this row");
  }
}
