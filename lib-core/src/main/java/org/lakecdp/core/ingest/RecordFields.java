package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.SourceSettings;

/**
 * The field paths a source's configuration reads from its records (event time and type,
 * record key, mapped fields), read from each record's raw JSON text once, in one streaming
 * pass ({@link JsonFields}), into the array column {@link RawColumns#FIELDS}: element i holds
 * the text at the i-th of {@link #paths}, null when the record has none, and the whole array is
 * null when the record is not a JSON object. Nothing else of the record is materialised; it
 * all stays in {@code raw}.
 */
final class RecordFields {
  private final List<String> paths;

  RecordFields(SourceSettings source) {
    List<String> all = new ArrayList<>(source.eventTime().fields());
    all.addAll(source.eventType().fields());
    all.addAll(source.recordKey());
    source.mapping().values().forEach(all::addAll);
    this.paths = List.copyOf(new LinkedHashSet<>(all));
  }

  /** Every distinct field path the source reads, in configuration order. */
  List<String> paths() {
    return paths;
  }

  /** The {@link RawColumns#FIELDS} of records whose JSON text is in column {@code raw}. */
  Column read(Column raw) {
    return udf(new ReadFunction(new JsonFields(paths)),
        DataTypes.createArrayType(DataTypes.StringType))
        .apply(raw.cast(DataTypes.BinaryType));
  }

  /** The text at {@code path} (one of {@link #paths}) in a {@link RawColumns#FIELDS} column. */
  Column text(String path) {
    return col(RawColumns.FIELDS).getItem(paths.indexOf(path));
  }

  /** {@link JsonFields#read} as a Spark function; small serialisable state. */
  static final class ReadFunction implements UDF1<byte[], String[]> {
    private static final long serialVersionUID = 1L;
    private final JsonFields reader;

    ReadFunction(JsonFields reader) {
      this.reader = reader;
    }

    @Override
    public String[] call(byte[] json) {
      return reader.read(json);
    }
  }
}
