package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.config.CanonicalField;

/** Column names and schemas of the bronze layer: one place, no scattered literals. */
public final class BronzeColumns {
  private BronzeColumns() {}

  public static final String SOURCE = "source";
  public static final String RECORD_KEY = "record_key";
  public static final String EVENT_TIME = "event_time";
  public static final String EVENT_DATE = "event_date";
  public static final String EVENT_TYPE = "event_type";
  public static final String ATTRIBUTES = "attributes";
  public static final String RAW = "raw";
  public static final String RECORD_HASH = "record_hash";
  public static final String SOURCE_FILE = "source_file";
  public static final String LOGICAL_DATE = "logical_date";
  public static final String RUN_ID = "run_id";
  public static final String INGESTED_AT = "ingested_at";
  public static final String REASON = "reason";

  /** Identifier columns, one per identifier of {@link CanonicalField}, in this order. */
  public static final List<String> IDENTIFIERS = CanonicalField.identifierNames();

  /** {@code cdp_bronze.events}: every valid record of every source. */
  public static final StructType EVENTS = events();

  /** {@code cdp_bronze.quarantine}: records that could not be ingested, with the reason. */
  public static final StructType QUARANTINE = new StructType()
      .add(SOURCE, StringType, false, "Source name as declared in configuration")
      .add(SOURCE_FILE, StringType, true, "File (or JDBC range) the record came from")
      .add(REASON, StringType, false, "Why the record was quarantined")
      .add(RAW, StringType, true, "The record exactly as read")
      .add(LOGICAL_DATE, DateType, false, "Logical date of the run or file")
      .add(RUN_ID, StringType, false, "Ingest run that quarantined it")
      .add(INGESTED_AT, TimestampType, false, "When it was quarantined (UTC)");

  private static StructType events() {
    StructType schema = new StructType()
        .add(SOURCE, StringType, false, "Source name as declared in configuration")
        .add(RECORD_KEY, StringType, false,
            "Record key within the source (declared key fields, or h:<content hash>)")
        .add(EVENT_TIME, TimestampType, false, "When the event happened (UTC)")
        .add(EVENT_DATE, DateType, false, "UTC date of event_time")
        .add(EVENT_TYPE, StringType, false, "Canonical event type ('unknown' when absent)");
    List<String> ids = new ArrayList<>(IDENTIFIERS);
    for (String id : ids) {
      schema = schema.add(id, StringType, true,
          "Canonical identifier " + id + " as found in the record (trimmed, not standardised)");
    }
    return schema
        .add(ATTRIBUTES, DataTypes.createMapType(StringType, StringType), true,
            "Other mapped canonical fields, by canonical name")
        .add(RAW, StringType, false,
            "The whole record, losslessly: the JSON line, or the CSV/Parquet/JDBC row as JSON")
        .add(RECORD_HASH, LongType, false, "xxhash64 of raw: equal for exact duplicates")
        .add(SOURCE_FILE, StringType, false, "File (or JDBC range) the record came from")
        .add(LOGICAL_DATE, DateType, false, "Logical date of the file (from {date}) or run")
        .add(RUN_ID, StringType, false, "Ingest run that wrote the record")
        .add(INGESTED_AT, TimestampType, false, "When the record was ingested (UTC)");
  }
}
