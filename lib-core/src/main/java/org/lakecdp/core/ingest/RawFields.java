package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.base64;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The top-level fields of a raw record as a {@code map<string,string>}, built once per record
 * so that every mapped field, the event time and the key are read without parsing the
 * record again. Values are text: strings as they are, numbers and booleans as written,
 * nested objects and arrays as JSON; nested paths are then read from that small JSON.
 */
final class RawFields {
  static final MapType TYPE = DataTypes.createMapType(DataTypes.StringType,
      DataTypes.StringType);

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

  /** Fields of a JSON line in one parse; null when the line is not a JSON object. */
  static Column ofJsonLine(Column line) {
    return from_json(line, TYPE, Map.of("mode", "PERMISSIVE"));
  }

  /** Fields of typed columns (CSV, Parquet, JDBC rows), each rendered as text. */
  static Column ofColumns(StructField[] fields) {
    List<Column> kv = new ArrayList<>();
    for (StructField f : fields) {
      kv.add(lit(f.name()));
      kv.add(asText(col("`" + f.name() + "`"), f.dataType()));
    }
    return kv.isEmpty() ? lit(null).cast(TYPE) : map(kv.toArray(Column[]::new));
  }

  /** Typed columns as one JSON object: the raw record of a CSV, Parquet or JDBC row. */
  static Column rowAsJson(StructField[] fields) {
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      cols[i] = col("`" + fields[i].name() + "`");
    }
    return to_json(struct(cols), TO_JSON_OPTIONS);
  }

  /** One typed value as text, losing nothing. */
  static Column asText(Column value, DataType type) {
    if (type instanceof StringType) {
      return value;
    }
    if (type instanceof TimestampType) {
      return date_format(value, INSTANT_FORMAT);
    }
    if (type instanceof TimestampNTZType) {
      return date_format(value, LOCAL_FORMAT);
    }
    if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) {
      return to_json(value, TO_JSON_OPTIONS);
    }
    if (type instanceof BinaryType) {
      return base64(value);
    }
    return value.cast(DataTypes.StringType);
  }
}
