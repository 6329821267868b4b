package org.lakecdp.core.profile;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.testing.SparkTestSession;

/** Tiny builders of bronze, identity-record and membership rows for profile tests. */
final class ProfileRows {
  private ProfileRows() {}

  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  /** A bronze event; {@code fields} are identifier columns or attributes, by canonical name. */
  static Row event(String source, String key, String time, String type, String... fields) {
    Map<String, Object> v = new HashMap<>();
    Map<String, String> attributes = new HashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      if (BronzeColumns.IDENTIFIERS.contains(fields[i])) {
        v.put(fields[i], fields[i + 1]);
      } else {
        attributes.put(fields[i], fields[i + 1]);
      }
    }
    Timestamp t = ts(time);
    v.put(BronzeColumns.SOURCE, source);
    v.put(BronzeColumns.RECORD_KEY, key);
    v.put(BronzeColumns.EVENT_TIME, t);
    v.put(BronzeColumns.EVENT_DATE, Date.valueOf(time.substring(0, 10)));
    v.put(BronzeColumns.EVENT_TYPE, type);
    v.put(BronzeColumns.ATTRIBUTES, attributes);
    v.put(BronzeColumns.RAW, "{}");
    v.put(BronzeColumns.RECORD_HASH, (long) (source + key + time + attributes).hashCode());
    v.put(BronzeColumns.SOURCE_FILE, "test");
    v.put(BronzeColumns.LOGICAL_DATE, Date.valueOf(time.substring(0, 10)));
    v.put(BronzeColumns.RUN_ID, "ingest-test");
    v.put(BronzeColumns.INGESTED_AT, t);
    return row(BronzeColumns.EVENTS, v);
  }

  /**
   * A standardised identity record; {@code fields} are columns of identity_records
   * (date_of_birth as yyyy-MM-dd, email_valid as "true"/"false", unusable as
   * "a: x|b: y").
   */
  static Row record(String source, String key, String time, String... fields) {
    Map<String, Object> v = new HashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      String f = fields[i];
      String value = fields[i + 1];
      v.put(f, switch (f) {
        case IdentityColumns.DATE_OF_BIRTH -> Date.valueOf(value);
        case IdentityColumns.EMAIL_VALID -> Boolean.valueOf(value);
        case IdentityColumns.UNUSABLE -> List.of(value.split("\\|"));
        default -> value;
      });
    }
    if (v.containsKey(IdentityColumns.EMAIL) && !v.containsKey(IdentityColumns.EMAIL_VALID)) {
      v.put(IdentityColumns.EMAIL_VALID, true);
    }
    v.put(IdentityColumns.SOURCE, source);
    v.put(IdentityColumns.RECORD_KEY, key);
    v.put(IdentityColumns.RECORD_HASH, (long) (source + key + time).hashCode());
    v.put(IdentityColumns.EVENT_TIME, ts(time));
    v.put(IdentityColumns.NODE_ID, 0L);
    v.putIfAbsent(IdentityColumns.UNUSABLE, List.of());
    v.put(IdentityColumns.RUN_ID, "identity-test");
    return row(IdentityColumns.IDENTITY_RECORDS, v);
  }

  static Row member(String source, String key, String customer) {
    return RowFactory.create(source, key, customer, 0L, "identity-test");
  }

  static Dataset<Row> frame(StructType schema, List<Row> rows) {
    return SparkTestSession.spark().createDataFrame(rows, schema);
  }

  static Dataset<Row> members(Row... rows) {
    return frame(IdentityColumns.MEMBERSHIP, List.of(rows));
  }

  static Dataset<Row> events(Row... rows) {
    return frame(BronzeColumns.EVENTS, List.of(rows));
  }

  static Dataset<Row> records(Row... rows) {
    return frame(IdentityColumns.IDENTITY_RECORDS, List.of(rows));
  }

  static Date date(String d) {
    return Date.valueOf(LocalDate.parse(d));
  }

  private static Row row(StructType schema, Map<String, Object> values) {
    List<Object> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(values.get(f.name()));
    }
    return RowFactory.create(out.toArray());
  }
}
