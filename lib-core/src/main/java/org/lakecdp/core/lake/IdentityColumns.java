package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the silver identity tables: one place, no scattered literals. */
public final class IdentityColumns {
  private IdentityColumns() {}

  public static final String SOURCE = BronzeColumns.SOURCE;
  public static final String RECORD_KEY = BronzeColumns.RECORD_KEY;
  public static final String RECORD_HASH = BronzeColumns.RECORD_HASH;
  public static final String EVENT_TIME = BronzeColumns.EVENT_TIME;
  public static final String RUN_ID = BronzeColumns.RUN_ID;
  public static final String NODE_ID = "node_id";
  public static final String CUSTOMER_ID = "customer_id";

  // standardised identity fields (names match IdentitySettings.FIELDS)
  public static final String SRC_CUSTOMER_ID = "customer_id";
  public static final String EMAIL = "email";
  public static final String EMAIL_VALID = "email_valid";
  public static final String PHONE = "phone";
  public static final String LOYALTY_ID = "loyalty_id";
  public static final String DEVICE_ID = "device_id";
  public static final String COOKIE_ID = "cookie_id";
  public static final String FIRST_NAME = "first_name";
  public static final String LAST_NAME = "last_name";
  public static final String DATE_OF_BIRTH = "date_of_birth";
  public static final String GENDER = "gender";
  public static final String STREET = "street";
  public static final String STREET_NUMBER = "street_number";
  public static final String ADDRESS_LINE2 = "address_line2";
  public static final String CITY = "city";
  public static final String POSTCODE = "postcode";
  public static final String STATE = "state";
  public static final String COUNTRY = "country";
  public static final String FIRST_NAME_METAPHONE = "first_name_metaphone";
  public static final String LAST_NAME_METAPHONE = "last_name_metaphone";
  public static final String EMAIL_LOCAL = "email_local";
  public static final String BIRTH_YEAR = "birth_year";
  public static final String EXTRA = "extra";
  public static final String ORIGINAL = "original";
  public static final String UNUSABLE = "unusable";

  /** Identifier fields, in rule order of the defaults. */
  public static final List<String> IDENTIFIERS = List.of(SRC_CUSTOMER_ID, EMAIL, PHONE,
      LOYALTY_ID, DEVICE_ID, COOKIE_ID);

  /** Standardised string fields that describe a person (all but date of birth). */
  public static final List<String> ATTRIBUTES = List.of(FIRST_NAME, LAST_NAME, GENDER, STREET,
      STREET_NUMBER, ADDRESS_LINE2, CITY, POSTCODE, STATE, COUNTRY);

  /** Derived blocking keys. */
  public static final List<String> DERIVED = List.of(FIRST_NAME_METAPHONE, LAST_NAME_METAPHONE,
      EMAIL_LOCAL, BIRTH_YEAR);

  private static final MapType STRING_MAP = DataTypes.createMapType(StringType, StringType);

  /** {@code cdp_silver.identity_records}: one row per distinct source record (exact duplicates dropped). */
  public static final StructType IDENTITY_RECORDS = records();

  // links
  public static final String NODE_A = "node_a";
  public static final String NODE_B = "node_b";
  public static final String SOURCE_A = "source_a";
  public static final String RECORD_KEY_A = "record_key_a";
  public static final String SOURCE_B = "source_b";
  public static final String RECORD_KEY_B = "record_key_b";
  public static final String RULE = "rule";
  public static final String VALUE = "value";
  public static final String MATCH_WEIGHT = "match_weight";
  public static final String MATCH_PROBABILITY = "match_probability";
  public static final String COMPARISONS = "comparisons";
  public static final String FIELD = "field";
  public static final String LEVEL = "level";
  public static final String WEIGHT = "weight";

  public static final ArrayType COMPARISON_ARRAY = DataTypes.createArrayType(new StructType()
      .add(FIELD, StringType, true)
      .add(LEVEL, StringType, true)
      .add(WEIGHT, DoubleType, true), true);

  /** {@code cdp_silver.identity_links}: the evidence of every accepted link. */
  public static final StructType LINKS = new StructType()
      .add(CUSTOMER_ID, StringType, false, "Customer both sides belong to after this run")
      .add(NODE_A, LongType, false, "Identity node of side a (records with one identity)")
      .add(NODE_B, LongType, false, "Identity node of side b")
      .add(SOURCE_A, StringType, false, "Source of a representative record of side a")
      .add(RECORD_KEY_A, StringType, false, "Record key of that record")
      .add(SOURCE_B, StringType, false, "Source of a representative record of side b")
      .add(RECORD_KEY_B, StringType, false, "Record key of that record")
      .add(RULE, StringType, false, "Deterministic rule id, or 'model' for a scored link")
      .add(VALUE, StringType, true, "The shared identifier value of a rule link")
      .add(MATCH_WEIGHT, DoubleType, true, "Fellegi-Sunter match weight (log2), model links")
      .add(MATCH_PROBABILITY, DoubleType, true, "Match probability, model links")
      .add(COMPARISONS, COMPARISON_ARRAY, true,
          "Per compared field: agreement level and its weight, model links")
      .add(RUN_ID, StringType, false, "Identity run that accepted the link");

  /** {@code cdp_silver.customer_membership}: which customer each source record belongs to. */
  public static final StructType MEMBERSHIP = new StructType()
      .add(SOURCE, StringType, false, "Source name as declared in configuration")
      .add(RECORD_KEY, StringType, false, "The source's declared record key")
      .add(CUSTOMER_ID, StringType, false, "Persistent CDP customer id")
      .add(NODE_ID, LongType, false, "Identity node of the record's latest version")
      .add(RUN_ID, StringType, false, "Identity run that wrote this membership");

  // lineage
  public static final String EVENT = "event";
  public static final String FROM_CUSTOMER_ID = "from_customer_id";
  public static final String RECORDS = "records";
  public static final String REASON = "reason";
  public static final String AT = "at";

  /** {@code cdp_silver.id_lineage}: merges, splits and retirements of customer ids. */
  public static final StructType LINEAGE = new StructType()
      .add(RUN_ID, StringType, false, "Identity run that made the change")
      .add(EVENT, StringType, false, "merge | split | retire")
      .add(CUSTOMER_ID, StringType, true,
          "Customer that now holds the records (null for retire)")
      .add(FROM_CUSTOMER_ID, StringType, false, "Customer the records belonged to before")
      .add(RECORDS, LongType, false,
          "Source records that moved (retire: the records it held, all gone)")
      .add(REASON, StringType, false, "Why: the links that merged, or what broke a link")
      .add(AT, TimestampType, false, "When (UTC)");

  // stats and alerts
  public static final String METRIC = "metric";
  public static final String DETAIL = "detail";
  public static final String KIND = "kind";
  public static final String SUBJECT = "subject";
  public static final String SIZE = "size";

  /** {@code cdp_silver.identity_run_stats}: one row per metric per run. */
  public static final StructType RUN_STATS = new StructType()
      .add(RUN_ID, StringType, false, "Identity run")
      .add(METRIC, StringType, false, "Metric name, e.g. links.same_email, clusters, merges")
      .add(VALUE, DoubleType, false, "Metric value")
      .add(DETAIL, StringType, true, "Context, e.g. the customer id of the largest cluster")
      .add(AT, TimestampType, false, "When (UTC)");

  /** {@code cdp_silver.identity_alerts}: over-shared values and abnormal clusters. */
  public static final StructType ALERTS = new StructType()
      .add(RUN_ID, StringType, false, "Identity run that raised the alert")
      .add(KIND, StringType, false,
          "over_shared_value | cluster_over_alert_size | cluster_over_max_size")
      .add(SUBJECT, StringType, false, "field=value, or the customer id")
      .add(SIZE, LongType, false, "Records carrying the value, or identity nodes of the customer")
      .add(DETAIL, StringType, true, "What the guardrail did")
      .add(AT, TimestampType, false, "When (UTC)");

  // model
  public static final String COMPARISON = "comparison";
  public static final String LABEL = "label";
  public static final String M = "m";
  public static final String U = "u";
  public static final String LAMBDA = "lambda";

  /** {@code cdp_silver.identity_model}: the Fellegi-Sunter parameters each run estimated. */
  public static final StructType MODEL = new StructType()
      .add(RUN_ID, StringType, false, "Identity run that estimated the model")
      .add(COMPARISON, StringType, false, "Compared field")
      .add(LEVEL, IntegerType, false, "Agreement level (0 = disagree, highest = exact)")
      .add(LABEL, StringType, false, "What the level means")
      .add(M, DoubleType, false, "P(level | same person)")
      .add(U, DoubleType, false, "P(level | different persons)")
      .add(WEIGHT, DoubleType, false, "log2(m/u)")
      .add(LAMBDA, DoubleType, false, "Prior probability that a blocked pair matches")
      .add(AT, TimestampType, false, "When (UTC)");

  // term frequencies
  public static final String TF = "tf";

  /** {@code cdp_silver.identity_term_frequencies}: the frequencies the stored model scores with. */
  public static final StructType TERM_FREQUENCIES = new StructType()
      .add(RUN_ID, StringType, false, "Identity run that estimated the model they belong to")
      .add(FIELD, StringType, false, "Compared field with term-frequency adjustment")
      .add(VALUE, StringType, false, "Standardised value")
      .add(TF, DoubleType, false, "Share of matchable identity nodes with this value");

  private static StructType records() {
    StructType s = new StructType()
        .add(SOURCE, StringType, false, "Source name as declared in configuration")
        .add(RECORD_KEY, StringType, false, "The source's declared record key")
        .add(RECORD_HASH, LongType, false, "Bronze content hash: one row per distinct version")
        .add(EVENT_TIME, TimestampType, false, "Event time of the record")
        .add(NODE_ID, LongType, false,
            "Identity node: records with equal standardised identities share one")
        .add(SRC_CUSTOMER_ID, StringType, true, "Source customer id, trimmed")
        .add(EMAIL, StringType, true, "Email, trimmed and lower-cased (not corrected)")
        .add(EMAIL_VALID, BooleanType, true, "Whether the email is syntactically valid")
        .add(PHONE, StringType, true, "Phone in E.164, null when not a valid number")
        .add(LOYALTY_ID, StringType, true, "Loyalty card, trimmed")
        .add(DEVICE_ID, StringType, true, "Device id, trimmed")
        .add(COOKIE_ID, StringType, true, "Cookie id, trimmed")
        .add(FIRST_NAME, StringType, true, "Given name: lower case, diacritics folded")
        .add(LAST_NAME, StringType, true, "Family name: lower case, diacritics folded")
        .add(DATE_OF_BIRTH, DateType, true, "Date of birth, from any common format")
        .add(GENDER, StringType, true, "female | male | other")
        .add(STREET, StringType, true, "Street, abbreviations expanded")
        .add(STREET_NUMBER, StringType, true, "House number")
        .add(ADDRESS_LINE2, StringType, true, "Second address line")
        .add(CITY, StringType, true, "City or suburb")
        .add(POSTCODE, StringType, true, "Postcode in the country's format")
        .add(STATE, StringType, true, "State or county")
        .add(COUNTRY, StringType, true, "ISO 3166 alpha-2 country")
        .add(FIRST_NAME_METAPHONE, StringType, true, "Double Metaphone of first_name")
        .add(LAST_NAME_METAPHONE, StringType, true, "Double Metaphone of last_name")
        .add(EMAIL_LOCAL, StringType, true, "Part of a valid email before the @")
        .add(BIRTH_YEAR, StringType, true, "Year of date_of_birth")
        .add(EXTRA, STRING_MAP, true, "Custom x_ attributes, trimmed and lower-cased")
        .add(ORIGINAL, STRING_MAP, true, "The identity fields exactly as bronze had them")
        .add(UNUSABLE, DataTypes.createArrayType(StringType, true), false,
            "Identifiers withheld from linking, as 'field: reason'")
        .add(RUN_ID, StringType, false, "Identity run that wrote the row");
    return s;
  }
}
