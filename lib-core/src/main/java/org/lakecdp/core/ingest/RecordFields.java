package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.config.CanonicalField;
import org.lakecdp.core.config.SourceSettings;

/**
 * The field paths a source's configuration reads from its records (event time and type,
 * record key, mapped fields), read from each record's raw JSON text once, in one streaming
 * pass ({@link JsonFields}), into the struct column {@link RawColumns#FIELDS}:
 * <ul>
 *   <li>{@code values}: element i holds the text at the i-th of {@link #paths}, trimmed, null
 *       when the record has none or a blank one;</li>
 *   <li>{@code attributes}: the mapped fields that are not identifiers, by canonical name, each
 *       the first of its alternative paths that holds a value (absent when none does).</li>
 * </ul>
 * The values are UTF-8 bytes in the struct (Spark takes a Java function's bytes as they are,
 * where it would encode each of its strings again) and text once read ({@link #text},
 * {@link #attributes}).
 * The whole struct is null when the record is not a JSON object. Nothing else of the record is
 * materialised; it all stays in {@code raw}.
 */
final class RecordFields {
  static final String VALUES = "values";
  static final String ATTRIBUTES = "attributes";
  static final MapType TEXT_MAP = DataTypes.createMapType(DataTypes.StringType,
      DataTypes.StringType);
  private static final StructType TYPE = new StructType()
      .add(VALUES, DataTypes.createArrayType(DataTypes.BinaryType))
      .add(ATTRIBUTES, DataTypes.createMapType(DataTypes.StringType, DataTypes.BinaryType));

  private final List<String> paths;
  /** Canonical name of each mapped attribute to the indexes of its paths, in order. */
  private final Map<String, int[]> attributes = new LinkedHashMap<>();

  RecordFields(SourceSettings source) {
    List<String> all = new ArrayList<>(source.eventTime().fields());
    all.addAll(source.eventType().fields());
    all.addAll(source.recordKey());
    source.mapping().values().forEach(all::addAll);
    this.paths = List.copyOf(new LinkedHashSet<>(all));
    for (Map.Entry<String, List<String>> e : source.mapping().entrySet()) {
      boolean identifier = CanonicalField.byName(e.getKey())
          .map(CanonicalField::identifier).orElse(false);
      if (!identifier) {
        attributes.put(e.getKey(), e.getValue().stream().mapToInt(paths::indexOf).toArray());
      }
    }
  }

  /** Every distinct field path the source reads, in configuration order. */
  List<String> paths() {
    return paths;
  }

  /** The {@link RawColumns#FIELDS} of records whose JSON text is in column {@code raw}. */
  Column read(Column raw) {
    return udf(new ReadFunction(new JsonFields(paths), attributes), TYPE)
        .apply(raw.cast(DataTypes.BinaryType));
  }

  /** The text at {@code path} (one of {@link #paths}) in a {@link RawColumns#FIELDS} column. */
  Column text(String path) {
    return col(RawColumns.FIELDS).getField(VALUES).getItem(paths.indexOf(path))
        .cast(DataTypes.StringType);
  }

  /** The attributes map, or a null map when the source maps no attribute. */
  Column attributes() {
    return attributes.isEmpty() ? lit(null).cast(TEXT_MAP)
        : col(RawColumns.FIELDS).getField(ATTRIBUTES).cast(TEXT_MAP);
  }

  /** {@link JsonFields#read} and the attributes as a Spark function; small serialisable state. */
  static final class ReadFunction implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    private final JsonFields reader;
    private final LinkedHashMap<String, int[]> attributes;

    ReadFunction(JsonFields reader, Map<String, int[]> attributes) {
      this.reader = reader;
      this.attributes = new LinkedHashMap<>(attributes);
    }

    @Override
    public Row call(byte[] json) {
      byte[][] values = reader.read(json);
      return values == null ? null : RowFactory.create(values, attributesOf(values));
    }

    private Map<String, byte[]> attributesOf(byte[][] values) {
      Map<String, byte[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, int[]> e : attributes.entrySet()) {
        for (int i : e.getValue()) {
          if (values[i] != null) {
            out.put(e.getKey(), values[i]);
            break;
          }
        }
      }
      return out;
    }
  }
}
