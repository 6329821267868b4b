package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_concat;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Timestamp;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.lakecdp.core.config.CanonicalField;
import org.lakecdp.core.config.IngestSettings;
import org.lakecdp.core.config.SourceSettings;
import org.lakecdp.core.config.SourceSettings.EventTimeSpec;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.RunContext;

/**
 * Turns raw records of one source into bronze rows: the envelope (event time and type, record
 * key, canonical identifiers and attributes, content hash, file, logical date, run) beside
 * the untouched raw text.
 *
 * <p>The result has every {@link BronzeColumns#EVENTS} column plus {@link BronzeColumns#REASON}:
 * null for a good record, else the one-line reason it must be quarantined, naming the field and
 * value (malformed record, missing or unparseable event time, event time out of range, missing
 * record key). Pure transformation: no action is run.
 */
public final class BronzeMapping {
  /** Event-time format names understood besides Spark datetime patterns. */
  public static final List<String> NAMED_FORMATS = List.of("iso", "epoch-millis",
      "epoch-seconds");

  private static final String OFFSET_SUFFIX = "(?i)(z|[+-]\\d{2}(:?\\d{2})?)$";

  private BronzeMapping() {}

  /**
   * Maps raw records ({@code raw}, {@code fields}, {@code source_file}, {@code format_error}, and
   * {@code logical_date} when {@code logicalDate} is null) to bronze rows.
   *
   * @param logicalDate the logical date of every record, or null to take the
   *     {@code logical_date} column of {@code raw}
   */
  public static Dataset<Row> mapToBronze(Dataset<Row> raw, SourceSettings source,
      IngestSettings ingest, RunContext run, LocalDate logicalDate) {
    Column text = col(RawColumns.RAW);
    Column fields = col(RawColumns.FIELDS);

    boolean noTimeField = source.eventTime().fromLogicalDate();
    Column timeText = noTimeField ? null : firstPresent(fields, source.eventTime().fields());
    Column timeField = noTimeField ? null : presentFieldName(fields, source.eventTime().fields());
    Column logical = (logicalDate == null ? col(BronzeColumns.LOGICAL_DATE) : lit(logicalDate))
        .cast(DataTypes.DateType);
    if (noTimeField) {
      timeText = logical.cast(DataTypes.StringType);
      timeField = lit("logical date");
    }
    Column eventTime = noTimeField ? logical.cast(DataTypes.TimestampType)
        : parseEventTime(timeText, source.eventTime());
    Timestamp earliest = Timestamp.from(ingest.minEventDate().atStartOfDay(ZoneOffset.UTC)
        .toInstant());
    Timestamp latest = Timestamp.from(run.startedAt().plusSeconds(3600L * ingest.maxFutureHours()));

    List<Column> keyParts = source.recordKey().stream()
        .map(k -> value(fields, k)).toList();
    Column recordHash = xxhash64(text);

    Column reason = when(col(RawColumns.FORMAT_ERROR).isNotNull(), col(RawColumns.FORMAT_ERROR))
        .when(timeText.isNull(), lit("missing event time: no value in "
            + describe(source.eventTime().fields())))
        .when(eventTime.isNull(), concat(lit("bad event time in field '"), timeField,
            lit("': '"), timeText, lit("'")))
        .when(eventTime.lt(lit(earliest)).or(eventTime.gt(lit(latest))),
            concat(lit("event time out of range in field '"), timeField, lit("': '"), timeText,
                lit("'")));
    for (int i = 0; i < keyParts.size(); i++) {
      reason = reason.when(keyParts.get(i).isNull(),
          lit("missing record key field '" + source.recordKey().get(i) + "'"));
    }

    Column recordKey = source.recordKey().isEmpty()
        ? concat(lit("h:"), lower(hex(recordHash)))
        : concat_ws("|", keyParts.toArray(Column[]::new));

    List<Column> out = new ArrayList<>();
    out.add(lit(source.name()).as(BronzeColumns.SOURCE));
    out.add(recordKey.as(BronzeColumns.RECORD_KEY));
    out.add(eventTime.as(BronzeColumns.EVENT_TIME));
    out.add(to_date(eventTime).as(BronzeColumns.EVENT_DATE));
    out.add(eventType(fields, source).as(BronzeColumns.EVENT_TYPE));
    for (String id : BronzeColumns.IDENTIFIERS) {
      out.add(mapped(fields, source.pathsOf(id)).as(id));
    }
    out.add(attributes(fields, source).as(BronzeColumns.ATTRIBUTES));
    out.add(text.as(BronzeColumns.RAW));
    out.add(recordHash.as(BronzeColumns.RECORD_HASH));
    out.add(col(RawColumns.FILE).as(BronzeColumns.SOURCE_FILE));
    out.add(logical.as(BronzeColumns.LOGICAL_DATE));
    out.add(lit(run.runId()).as(BronzeColumns.RUN_ID));
    out.add(lit(Timestamp.from(run.startedAt())).as(BronzeColumns.INGESTED_AT));
    out.add(reason.as(BronzeColumns.REASON));
    return raw.select(out.toArray(Column[]::new));
  }

  /** The valid rows of a mapped frame, in bronze schema order. */
  public static Dataset<Row> validRows(Dataset<Row> mapped) {
    return mapped.filter(col(BronzeColumns.REASON).isNull())
        .select(columns(BronzeColumns.EVENTS.fields()));
  }

  /** The quarantined rows of a mapped frame, in quarantine schema order. */
  public static Dataset<Row> quarantinedRows(Dataset<Row> mapped) {
    return mapped.filter(col(BronzeColumns.REASON).isNotNull())
        .select(columns(BronzeColumns.QUARANTINE.fields()));
  }

  private static Column[] columns(StructField[] fields) {
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      cols[i] = col(fields[i].name());
    }
    return cols;
  }

  /**
   * The trimmed text at one field path, null when absent or blank: a top-level field from
   * the fields map, a nested one from its top-level field's (small) JSON text. A top-level
   * field whose name holds the dots itself (a CSV header "customer.email") wins.
   */
  static Column value(Column fields, String path) {
    Column v = try_element_at(fields, lit(path));
    int dot = path.indexOf('.');
    if (dot > 0) {
      v = coalesce(v, get_json_object(try_element_at(fields, lit(path.substring(0, dot))),
          JsonPaths.of(path.substring(dot + 1))));
    }
    Column trimmed = trim(v);
    return when(length(trimmed).gt(0), trimmed);
  }

  /** The first present value among alternative paths. */
  static Column firstPresent(Column fields, List<String> paths) {
    return paths.size() == 1 ? value(fields, paths.get(0))
        : coalesce(paths.stream().map(p -> value(fields, p)).toArray(Column[]::new));
  }

  private static Column mapped(Column fields, List<String> paths) {
    return paths.isEmpty() ? lit(null).cast(DataTypes.StringType) : firstPresent(fields, paths);
  }

  /** Name of the first alternative field that holds a value, for error messages. */
  private static Column presentFieldName(Column fields, List<String> paths) {
    Column name = lit(null).cast(DataTypes.StringType);
    for (int i = paths.size() - 1; i >= 0; i--) {
      name = when(value(fields, paths.get(i)).isNotNull(), lit(paths.get(i))).otherwise(name);
    }
    return name;
  }

  /** Parses event-time text with each declared format in turn; null when none fits. */
  static Column parseEventTime(Column text, EventTimeSpec spec) {
    List<Column> attempts = new ArrayList<>();
    for (String format : spec.formats()) {
      attempts.add(switch (format) {
        case "iso" -> when(text.rlike(OFFSET_SUFFIX), text.try_cast(DataTypes.TimestampType))
            .otherwise(inZone(text.try_cast(DataTypes.TimestampType), spec.timezone()));
        case "epoch-millis" -> when(text.rlike("^-?\\d{1,15}$"),
            timestamp_millis(text.try_cast(DataTypes.LongType)));
        case "epoch-seconds" -> when(text.rlike("^-?\\d{1,12}(\\.\\d+)?$"),
            timestamp_seconds(text.try_cast(DataTypes.createDecimalType(18, 6))));
        default -> hasZone(format) ? try_to_timestamp(text, lit(format))
            : inZone(try_to_timestamp(text, lit(format)), spec.timezone());
      });
    }
    return attempts.size() == 1 ? attempts.get(0) : coalesce(attempts.toArray(Column[]::new));
  }

  private static Column inZone(Column localTimestamp, ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC) ? localTimestamp
        : to_utc_timestamp(localTimestamp, zone.getId());
  }

  /** True when a datetime pattern carries its own zone or offset letters. */
  static boolean hasZone(String pattern) {
    String unquoted = pattern.replaceAll("'[^']*'", "");
    return unquoted.matches(".*[XxZzOV].*");
  }

  private static Column eventType(Column fields, SourceSettings source) {
    SourceSettings.EventTypeSpec spec = source.eventType();
    if (spec.value() != null) {
      return lit(spec.value());
    }
    if (spec.fields().isEmpty()) {
      return lit("unknown");
    }
    Column type = lower(firstPresent(fields, spec.fields()));
    if (!spec.valueMap().isEmpty()) {
      List<Column> kv = new ArrayList<>();
      for (Map.Entry<String, String> e : spec.valueMap().entrySet()) {
        kv.add(lit(e.getKey().toLowerCase(java.util.Locale.ROOT)));
        kv.add(lit(e.getValue()));
      }
      type = coalesce(try_element_at(map(kv.toArray(Column[]::new)), type), type);
    }
    return coalesce(type, lit("unknown"));
  }

  /** Mapped non-identifier fields that hold a value, by canonical name (code-generated). */
  private static Column attributes(Column fields, SourceSettings source) {
    Column empty = map().cast(RawFields.TYPE);
    List<Column> parts = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : source.mapping().entrySet()) {
      boolean identifier = CanonicalField.byName(e.getKey())
          .map(CanonicalField::identifier).orElse(false);
      if (!identifier) {
        Column v = firstPresent(fields, e.getValue());
        parts.add(when(v.isNotNull(), map(lit(e.getKey()), v)).otherwise(empty));
      }
    }
    if (parts.isEmpty()) {
      return lit(null).cast(RawFields.TYPE);
    }
    return parts.size() == 1 ? parts.get(0) : map_concat(parts.toArray(Column[]::new));
  }

  private static String describe(List<String> fields) {
    return fields.size() == 1 ? "field '" + fields.get(0) + "'" : "fields " + fields;
  }

}
