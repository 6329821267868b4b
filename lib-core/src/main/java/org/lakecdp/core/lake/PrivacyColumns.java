package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Column names and schemas of the privacy tables: consent history, suppression list, receipts,
 * audit log.
 */
public final class PrivacyColumns {
  private PrivacyColumns() {}

  public static final String HASH = "hash";
  public static final String KIND = "kind";
  public static final String SALT_ID = "salt_id";
  public static final String REQUEST_ID = "request_id";
  public static final String ADDED_AT = "added_at";
  public static final String TYPE = "type";
  public static final String IDENTIFIER = "identifier";
  public static final String IDENTIFIER_HASH = "identifier_hash";
  public static final String RECEIVED_FROM = "received_from";
  public static final String PROCESSED_AT = "processed_at";
  public static final String STATUS = "status";
  public static final String CUSTOMERS = "customers";
  public static final String ROWS_REMOVED = "rows_removed";
  public static final String OUTPUT = "output";
  public static final String RUN_ID = "run_id";
  public static final String MESSAGE = "message";
  public static final String AT = "at";
  public static final String EVENT = "event";
  public static final String JOB = "job";
  public static final String RUN_USER = "run_user";
  public static final String CONFIG_HASH = "config_hash";
  public static final String SUBJECT = "subject";
  public static final String DETAILS = "details";

  public static final String CUSTOMER_ID = ProfileColumns.CUSTOMER_ID;
  public static final String PURPOSE = ProfileColumns.PURPOSE;
  public static final String CHANNEL = ProfileColumns.CHANNEL;
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

  /** {@code cdp_ops.suppression_list}: salted hashes of erased persons' identifiers. */
  public static final StructType SUPPRESSION = new StructType()
      .add(HASH, StringType, false, "SHA-256 (hex) of salt, kind and standardised value")
      .add(KIND, StringType, false,
          "Identifier kind: email, phone, customer_id, loyalty_id or source_key")
      .add(SALT_ID, StringType, false, "Fingerprint of the salt the hash was made with")
      .add(REQUEST_ID, StringType, false, "Erasure request that added it")
      .add(ADDED_AT, TimestampType, false, "When it was added (UTC)");

  /** {@code cdp_ops.privacy_receipts}: one row per processed privacy request. */
  public static final StructType RECEIPTS = new StructType()
      .add(REQUEST_ID, StringType, false, "Request id (given, or derived from the request)")
      .add(TYPE, StringType, false, "erase or access")
      .add(IDENTIFIER, StringType, false, "Identifier kind the request named the person by")
      .add(IDENTIFIER_HASH, StringType, false, "Salted SHA-256 of the identifier value")
      .add(RECEIVED_FROM, StringType, false, "command line, or the queue file")
      .add(PROCESSED_AT, TimestampType, false, "When it was processed (UTC)")
      .add(STATUS, StringType, false, "done, or not_found when nothing matched")
      .add(CUSTOMERS, LongType, false, "Customer ids the identifier resolved to")
      .add(ROWS_REMOVED, DataTypes.createMapType(StringType, LongType), true,
          "Erase: rows removed per table (tables touched)")
      .add(OUTPUT, StringType, true, "Access: where the package was written")
      .add(RUN_ID, StringType, false, "Privacy run that processed it");

  /** {@code cdp_ops.audit_log}: append-only trail of runs, privacy requests and exports. */
  public static final StructType AUDIT_LOG = new StructType()
      .add(AT, TimestampType, false, "When (UTC)")
      .add(EVENT, StringType, false, "run, privacy_request or export")
      .add(RUN_ID, StringType, false, "Run that did it")
      .add(JOB, StringType, false, "Job of that run")
      .add(RUN_USER, StringType, true, "OS user that started the run")
      .add(CONFIG_HASH, StringType, false, "Hash of the configuration the run used")
      .add(SUBJECT, StringType, true,
          "run: logical date; privacy_request: request id; export: destination/segment")
      .add(STATUS, StringType, false, "run: SUCCEEDED or FAILED; request and export: done")
      .add(DETAILS, DataTypes.createMapType(StringType, StringType), true,
          "What was done: counts, tables, files (never raw identifiers)");
}
