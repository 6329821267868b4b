package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Timestamp;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
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

  private static final String TIME_TEXT = "_time_text";
  private static final String EVENT_TIME = "_event_time";
  private static final String KEEP = "_keep";
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
    Fields fields = new Fields(new RecordFields(source));

    boolean noTimeField = source.eventTime().fromLogicalDate();
    Column timeText = noTimeField ? null : fields.firstPresent(source.eventTime().fields());
    Column timeField = noTimeField ? null : fields.presentName(source.eventTime().fields());
    Column logical = logicalDate == null
        ? col(BronzeColumns.LOGICAL_DATE).cast(DataTypes.DateType) : runConstant(logicalDate);
    if (noTimeField) {
      timeText = logical.cast(DataTypes.StringType);
      timeField = lit("logical date");
    }
    Column parsedTime = noTimeField ? logical.cast(DataTypes.TimestampType)
        : parseEventTime(timeText, source.eventTime());
    // the time text and instant in columns of their own, computed once per record: the reason
    // reads them in several branches, where Spark would evaluate an inlined parse each time
    Dataset<Row> timed = raw.withColumn(TIME_TEXT, timeText)
        .withColumn(EVENT_TIME, parsedTime);
    timeText = col(TIME_TEXT);
    Column eventTime = col(EVENT_TIME);
    Timestamp earliest = Timestamp.from(ingest.minEventDate().atStartOfDay(ZoneOffset.UTC)
        .toInstant());
    Instant latest = run.startedAt().plusSeconds(3600L * ingest.maxFutureHours());

    List<Column> keyParts = source.recordKey().stream()
        .map(fields::value).toList();
    Column recordHash = xxhash64(text);

    Column reason = when(col(RawColumns.FORMAT_ERROR).isNotNull(), col(RawColumns.FORMAT_ERROR))
        .when(timeText.isNull(), lit("missing event time: no value in "
            + describe(source.eventTime().fields())))
        .when(eventTime.isNull(), concat(lit("bad event time in field '"), timeField,
            lit("': '"), timeText, lit("'")))
        .when(eventTime.lt(lit(earliest)).or(eventTime.gt(runConstant(latest))),
            concat(lit("event time out of range in field '"), timeField, lit("': '"), timeText,
                lit("'")));
    for (int i = 0; i < keyParts.size(); i++) {
      reason = reason.when(keyParts.get(i).isNull(),
          lit("missing record key field '" + source.recordKey().get(i) + "'"));
    }

    Column recordKey = source.recordKey().isEmpty()
        ? concat(lit("h:"), lower(hex(recordHash)))
        : keyParts.size() == 1 ? keyParts.get(0)
        : concat_ws("|", keyParts.toArray(Column[]::new));

    List<Column> out = new ArrayList<>();
    out.add(lit(source.name()).as(BronzeColumns.SOURCE));
    out.add(recordKey.as(BronzeColumns.RECORD_KEY));
    out.add(eventTime.as(BronzeColumns.EVENT_TIME));
    out.add(to_date(eventTime).as(BronzeColumns.EVENT_DATE));
    out.add(eventType(fields, source).as(BronzeColumns.EVENT_TYPE));
    for (String id : BronzeColumns.IDENTIFIERS) {
      out.add(fields.firstPresent(source.pathsOf(id)).as(id));
    }
    out.add(fields.layout().attributes().as(BronzeColumns.ATTRIBUTES));
    out.add(text.as(BronzeColumns.RAW));
    out.add(recordHash.as(BronzeColumns.RECORD_HASH));
    out.add(col(RawColumns.FILE).as(BronzeColumns.SOURCE_FILE));
    out.add(logical.as(BronzeColumns.LOGICAL_DATE));
    out.add(lit(run.runId()).as(BronzeColumns.RUN_ID));
    out.add(runConstant(run.startedAt()).as(BronzeColumns.INGESTED_AT));
    out.add(reason.as(BronzeColumns.REASON));
    return timed.select(out.toArray(Column[]::new));
  }

  /**
   * A time that is the same for every record of a run but not for every run, as a column
   * Spark reads per record instead of writing it into the code it generates (which it does
   * with timestamp and date literals): with a literal every run would compile its own classes
   * of the mapping and the JIT compiler compile them again, where a run in a JVM that ran the
   * ingest before (a backfill of several days, the benchmark's rounds) reuses them, warm.
   */
  static Column runConstant(Instant time) {
    return timestamp_micros(longConstant(
        Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L),
            time.getNano() / 1_000L)));
  }

  /** A date as a per-run constant, see {@link #runConstant(Instant)}. */
  static Column runConstant(LocalDate date) {
    return date_from_unix_date(longConstant(date.toEpochDay()).cast(DataTypes.IntegerType));
  }

  /** A function of no argument: not folded into a literal, its result read per record. */
  private static Column longConstant(long value) {
    UDF0<Long> constant = () -> value;
    return udf(constant, DataTypes.LongType).apply();
  }

  /**
   * The valid rows of a mapped frame, in bronze schema order; every record, valid or not,
   * counted into {@code seen} as the rows are computed (see {@link IngestTally}).
   *
   * <p>The tally's verdict is a column of its own, computed with the mapping, and the filter
   * reads that column: a column of a nondeterministic value keeps Spark from pushing the filter
   * below the mapping, which would inline the parse of the event time into the condition and
   * then parse each record again for the columns.
   */
  public static Dataset<Row> validRows(Dataset<Row> mapped, IngestTally seen) {
    Column reason = col(BronzeColumns.REASON);
    Column bad = reason.isNotNull();
    return mapped.withColumn(KEEP, seen.keep(col(BronzeColumns.SOURCE),
            col(BronzeColumns.SOURCE_FILE), reason, when(bad, col(BronzeColumns.RAW)),
            when(bad, col(BronzeColumns.LOGICAL_DATE).cast(DataTypes.StringType))))
        .filter(col(KEEP))
        .select(columns(BronzeColumns.EVENTS.fields()));
  }

  /** The valid rows of a mapped frame, in bronze schema order, counted nowhere. */
  public static Dataset<Row> validRows(Dataset<Row> mapped) {
    return mapped.filter(col(BronzeColumns.REASON).isNull())
        .select(columns(BronzeColumns.EVENTS.fields()));
  }

  /**
   * The quarantined rows of a mapped frame, in quarantine schema order. The columns are chosen
   * before the filter, behind an observation (which Spark never moves a filter below: that
   * would change what is observed), so only what the quarantine keeps is computed, once per
   * record; see {@link #validRows}.
   */
  public static Dataset<Row> quarantinedRows(Dataset<Row> mapped) {
    return mapped.select(columns(BronzeColumns.QUARANTINE.fields()))
        .observe("quarantine_rows", count(lit(1)))
        .filter(col(BronzeColumns.REASON).isNotNull());
  }

  private static Column[] columns(StructField[] fields) {
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      cols[i] = col(fields[i].name());
    }
    return cols;
  }

  /** The {@link RawColumns#FIELDS} column of a source's raw records, read by path. */
  private record Fields(RecordFields layout) {
    /** The text at one field path, trimmed; null when absent or blank (RecordFields). */
    Column value(String path) {
      return layout.text(path);
    }

    /** The first present value among alternative paths; null for no paths. */
    Column firstPresent(List<String> paths) {
      if (paths.isEmpty()) {
        return lit(null).cast(DataTypes.StringType);
      }
      return paths.size() == 1 ? value(paths.get(0))
          : coalesce(paths.stream().map(this::value).toArray(Column[]::new));
    }

    /** Name of the first alternative field that holds a value, for error messages. */
    Column presentName(List<String> paths) {
      Column name = lit(null).cast(DataTypes.StringType);
      for (int i = paths.size() - 1; i >= 0; i--) {
        name = when(value(paths.get(i)).isNotNull(), lit(paths.get(i))).otherwise(name);
      }
      return name;
    }
  }

  /** Parses event-time text with each declared format in turn; null when none fits. */
  static Column parseEventTime(Column text, EventTimeSpec spec) {
    List<Column> attempts = new ArrayList<>();
    for (String format : spec.formats()) {
      attempts.add(switch (format) {
        case "iso" -> isoTime(text, spec.timezone());
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

  /**
   * ISO-8601 text as an instant: with its own offset, or else in {@code zone}. A time in UTC
   * written with a trailing Z after a digit (most feeds) is read without the Z in the
   * session's UTC: the same instant, without Spark resolving the zone by a regular expression
   * per record. The Z is cut off as the text before the first Z (a byte search; counting
   * characters to cut the last one cost more); a valid time holds no other. A trailing Z after
   * a letter is part of a zone name ("NZ"), read the general way.
   */
  private static Column isoTime(Column text, ZoneId zone) {
    Column cast = text.try_cast(DataTypes.TimestampType);
    Column general = zone.normalized().equals(ZoneOffset.UTC) ? cast
        : when(text.rlike(OFFSET_SUFFIX), cast).otherwise(inZone(cast, zone));
    Column zulu = lit(false);
    for (char digit = '0'; digit <= '9'; digit++) {
      zulu = zulu.or(text.endsWith(digit + "Z"));
    }
    return when(zulu, substring_index(text, "Z", 1).try_cast(DataTypes.TimestampType))
        .otherwise(general);
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

  private static Column eventType(Fields fields, SourceSettings source) {
    SourceSettings.EventTypeSpec spec = source.eventType();
    if (spec.value() != null) {
      return lit(spec.value());
    }
    if (spec.fields().isEmpty()) {
      return lit("unknown");
    }
    Column type = lower(fields.firstPresent(spec.fields()));
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

  private static String describe(List<String> fields) {
    return fields.size() == 1 ? "field '" + fields.get(0) + "'" : "fields " + fields;
  }

}
