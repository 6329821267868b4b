package org.lakecdp.core.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.transform_values;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.CanonicalField;
import org.lakecdp.core.config.IdentitySettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;

/**
 * Bronze records to standardised identity records (the columns of
 * {@code cdp_silver.identity_records} except the node, the unusable list and the run id).
 *
 * <p>Every standardiser is a static method of this package with its own Spark-free test; this
 * class only wires them into columns. Originals are kept in the {@code original} map under
 * their canonical names. Null or blank inputs give null outputs; nothing is guessed (an
 * invalid email stays as written, flagged {@code email_valid = false}; an unparsable phone
 * becomes null while its original stays in {@code original}).
 */
public final class IdentityStandardizer {
  private IdentityStandardizer() {}

  private static final UserDefinedFunction EMAIL = udf(
      (UDF1<String, String>) Emails::standardize, DataTypes.StringType);
  private static final UserDefinedFunction EMAIL_VALID = udf(
      (UDF1<String, Boolean>) Emails::isValid, DataTypes.BooleanType);
  private static final UserDefinedFunction PHONE = udf(
      (UDF2<String, String, String>) Phones::toE164Lenient, DataTypes.StringType);
  private static final UserDefinedFunction NAME = udf(
      (UDF1<String, String>) Names::standardize, DataTypes.StringType);
  private static final UserDefinedFunction FIRST_OF_FULL = udf(
      (UDF1<String, String>) IdentityStandardizer::firstOfFullName, DataTypes.StringType);
  private static final UserDefinedFunction LAST_OF_FULL = udf(
      (UDF1<String, String>) IdentityStandardizer::lastOfFullName, DataTypes.StringType);
  private static final UserDefinedFunction DOB = udf(
      (UDF2<String, Boolean, LocalDate>) (raw, monthFirst) ->
          DatesOfBirth.parse(raw, Boolean.TRUE.equals(monthFirst)), DataTypes.DateType);
  private static final UserDefinedFunction GENDER = udf(
      (UDF1<String, String>) Genders::standardize, DataTypes.StringType);
  private static final UserDefinedFunction STREET = udf(
      (UDF1<String, String>) Addresses::standardizeStreet, DataTypes.StringType);
  private static final UserDefinedFunction LOCALITY = udf(
      (UDF1<String, String>) Addresses::standardizeLocality, DataTypes.StringType);
  private static final UserDefinedFunction POSTCODE = udf(
      (UDF2<String, String, String>) Addresses::standardizePostcode, DataTypes.StringType);
  private static final UserDefinedFunction COUNTRY = udf(
      (UDF1<String, String>) Countries::toIso2, DataTypes.StringType);
  private static final UserDefinedFunction METAPHONE = udf(
      (UDF1<String, String>) IdentityStandardizer::metaphone, DataTypes.StringType);

  private static final DoubleMetaphone DOUBLE_METAPHONE = new DoubleMetaphone();

  /** An email column standardised as identity records hold it. */
  public static Column standardEmail(Column raw) {
    return EMAIL.apply(raw);
  }

  /** A phone column in E.164 as identity records hold it (null when not a valid number). */
  public static Column standardPhone(Column raw, String defaultRegion) {
    return PHONE.apply(raw, lit(defaultRegion));
  }

  /** Attribute names (canonical) that identity standardisation reads from bronze. */
  private static final List<String> ATTRIBUTES = List.of("first_name", "last_name",
      "full_name", "date_of_birth", "gender", "street", "street_number", "address_line2",
      "city", "postcode", "state", "country");

  /**
   * First name of a full name, standardised; null when there is none. A single word
   * ({@code "Smith"}, as tills print it) is taken as the last name, not the first.
   */
  public static String firstOfFullName(String full) {
    String[] parts = Names.splitFullName(full);
    return parts[1] == null ? null : parts[0];
  }

  /** Last name of a full name, standardised; the single word of a one-word name. */
  public static String lastOfFullName(String full) {
    String[] parts = Names.splitFullName(full);
    return parts[1] == null ? parts[0] : parts[1];
  }

  /** Primary Double Metaphone code of a standardised name; null for null. */
  public static String metaphone(String name) {
    if (name == null || name.isBlank()) {
      return null;
    }
    String code = DOUBLE_METAPHONE.doubleMetaphone(name.replace(" ", ""));
    return code == null || code.isEmpty() ? null : code;
  }

  /**
   * Standardises the identity of bronze records. Input: rows of {@code cdp_bronze.events}
   * (at least source, record_key, record_hash, event_time, the identifier columns and
   * attributes). Output: one row per input row with the standardised columns, the
   * {@code original} map and {@code extra} (custom {@code x_} attributes, trimmed, lower case).
   */
  public static Dataset<Row> standardizeIdentities(Dataset<Row> bronze,
      IdentitySettings settings) {
    Column attrs = col(BronzeColumns.ATTRIBUTES);
    Column country = COUNTRY.apply(attr(attrs, "country"));
    Column email = EMAIL.apply(col(CanonicalField.EMAIL.canonicalName()));
    Column full = attr(attrs, "full_name");
    Column first = coalesce(NAME.apply(attr(attrs, "first_name")), FIRST_OF_FULL.apply(full));
    Column last = coalesce(NAME.apply(attr(attrs, "last_name")), LAST_OF_FULL.apply(full));

    List<Column> keys = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    for (String id : BronzeColumns.IDENTIFIERS) {
      keys.add(lit(id));
      values.add(col(id));
    }
    for (String a : ATTRIBUTES) {
      keys.add(lit(a));
      values.add(attr(attrs, a));
    }
    Column original = map_filter(map_from_arrays(array(keys.toArray(Column[]::new)),
        array(values.toArray(Column[]::new))), (k, v) -> v.isNotNull());

    Dataset<Row> out = bronze.select(
        col(BronzeColumns.SOURCE), col(BronzeColumns.RECORD_KEY),
        col(BronzeColumns.RECORD_HASH), col(BronzeColumns.EVENT_TIME),
        blankToNull(col(CanonicalField.CUSTOMER_ID.canonicalName()))
            .as(IdentityColumns.SRC_CUSTOMER_ID),
        email.as(IdentityColumns.EMAIL),
        when(email.isNotNull(), EMAIL_VALID.apply(email)).as(IdentityColumns.EMAIL_VALID),
        PHONE.apply(col(CanonicalField.PHONE.canonicalName()),
            coalesce(country, lit(settings.defaultRegion()))).as(IdentityColumns.PHONE),
        blankToNull(col(CanonicalField.LOYALTY_ID.canonicalName()))
            .as(IdentityColumns.LOYALTY_ID),
        blankToNull(col(CanonicalField.DEVICE_ID.canonicalName()))
            .as(IdentityColumns.DEVICE_ID),
        blankToNull(col(CanonicalField.COOKIE_ID.canonicalName()))
            .as(IdentityColumns.COOKIE_ID),
        first.as(IdentityColumns.FIRST_NAME),
        last.as(IdentityColumns.LAST_NAME),
        DOB.apply(attr(attrs, "date_of_birth"), lit(settings.datesMonthFirst()))
            .as(IdentityColumns.DATE_OF_BIRTH),
        GENDER.apply(attr(attrs, "gender")).as(IdentityColumns.GENDER),
        STREET.apply(attr(attrs, "street")).as(IdentityColumns.STREET),
        blankToNull(lower(attr(attrs, "street_number"))).as(IdentityColumns.STREET_NUMBER),
        STREET.apply(attr(attrs, "address_line2")).as(IdentityColumns.ADDRESS_LINE2),
        LOCALITY.apply(attr(attrs, "city")).as(IdentityColumns.CITY),
        POSTCODE.apply(attr(attrs, "postcode"), coalesce(country,
            lit(settings.defaultRegion()))).as(IdentityColumns.POSTCODE),
        LOCALITY.apply(attr(attrs, "state")).as(IdentityColumns.STATE),
        country.as(IdentityColumns.COUNTRY),
        transform_values(map_filter(attrs, (k, v) -> k.startsWith(CanonicalField.CUSTOM_PREFIX)
            .and(v.isNotNull()).and(trim(v).notEqual(lit("")))), (k, v) -> lower(trim(v)))
            .as(IdentityColumns.EXTRA),
        original.as(IdentityColumns.ORIGINAL));
    return out
        .withColumn(IdentityColumns.FIRST_NAME_METAPHONE,
            METAPHONE.apply(col(IdentityColumns.FIRST_NAME)))
        .withColumn(IdentityColumns.LAST_NAME_METAPHONE,
            METAPHONE.apply(col(IdentityColumns.LAST_NAME)))
        .withColumn(IdentityColumns.EMAIL_LOCAL,
            when(col(IdentityColumns.EMAIL_VALID), substring_index(col(IdentityColumns.EMAIL),
                "@", 1)))
        .withColumn(IdentityColumns.BIRTH_YEAR,
            year(col(IdentityColumns.DATE_OF_BIRTH)).cast(DataTypes.StringType));
  }

  private static Column attr(Column attributes, String name) {
    return blankToNull(element_at(attributes, lit(name)));
  }

  private static Column blankToNull(Column c) {
    Column t = trim(c);
    return when(t.notEqual(lit("")), t);
  }
}
