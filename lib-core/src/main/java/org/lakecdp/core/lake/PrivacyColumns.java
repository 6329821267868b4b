package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the privacy tables: the consent history. */
public final class PrivacyColumns {
  private PrivacyColumns() {}

  public static final String CUSTOMER_ID = ProfileColumns.CUSTOMER_ID;
  public static final String PURPOSE = ProfileColumns.PURPOSE;
  public static final String CHANNEL = ProfileColumns.CHANNEL;
  public static final String STATUS = ProfileColumns.STATUS;
  public static final String VALID_FROM = "valid_from";
  public static final String VALID_TO = "valid_to";
  public static final String SOURCE = BronzeColumns.SOURCE;
  public static final String RECORD_KEY = BronzeColumns.RECORD_KEY;

  /** {@code cdp_silver.consent_history}: one row per consent event of a customer. */
  public static final StructType CONSENT_HISTORY = new StructType()
      .add(CUSTOMER_ID, StringType, false, "Persistent customer id")
      .add(PURPOSE, StringType, false, "Consent purpose, lower case (e.g. email_marketing)")
      .add(CHANNEL, StringType, true,
          "Channel of the event, lower case; null: an event not tied to a channel")
      .add(STATUS, StringType, false, "Status from valid_from on, lower case (granted, ...)")
      .add(VALID_FROM, TimestampType, false, "Event time of the consent event (UTC)")
      .add(VALID_TO, TimestampType, true, "Event time of the next event of the same customer,"
          + " purpose and channel (exclusive); null while still valid")
      .add(SOURCE, StringType, false, "Source of the consent event")
      .add(RECORD_KEY, StringType, false, "Record key of the consent event");
}
