package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.StructField;

/**
 * Typed rows (CSV, Parquet, JDBC) rendered as the raw JSON record bronze keeps, losing nothing.
 */
final class RawFields {
  /** Timestamps as text: to the microsecond, with offset when they are instants. */
  static final String INSTANT_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
  static final String LOCAL_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";

  /**
   * Options for rendering a typed row as the raw JSON record: null fields kept (a column that
   * was there but empty is information), timestamps to the microsecond.
   */
  static final Map<String, String> TO_JSON_OPTIONS = Map.of(
      "ignoreNullFields", "false",
      "timestampFormat", INSTANT_FORMAT,
      "timestampNTZFormat", LOCAL_FORMAT);

  private RawFields() {}

  /** Typed columns as one JSON object: the raw record of a CSV, Parquet or JDBC row. */
  static Column rowAsJson(StructField[] fields) {
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      cols[i] = col("`" + fields[i].name() + "`");
    }
    return to_json(struct(cols), TO_JSON_OPTIONS);
  }
}
