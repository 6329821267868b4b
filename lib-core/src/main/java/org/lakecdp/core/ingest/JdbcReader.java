package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.lit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SourceSettings;
import org.lakecdp.core.config.SourceSettings.JdbcSettings;

/**
 * Reads a relational source incrementally: each run reads the rows whose watermark column is
 * above the last ingested value and at most the maximum seen when the run started, so rows
 * committed during the run wait for the next one. Rows are rendered as JSON objects, like
 * every other source.
 *
 * <p>Watermarks are kept as text with their kind (number, timestamp, date, text) and turned
 * into ANSI SQL literals, which PostgreSQL, MySQL, Oracle and SQL Server all accept. Rows
 * committed later with a watermark below one already read are not seen: use a column the
 * database sets at commit (an identity column or an update timestamp set by a trigger).
 */
public final class JdbcReader {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private JdbcReader() {}

  /** Kinds of watermark values, which decide how a value is written as a SQL literal. */
  public enum Kind {
    NUMBER, TIMESTAMP, DATE, TEXT;

    /** The kind of a watermark as this class writes it down. */
    public static Kind of(String watermark) {
      if (watermark.matches("-?\\d+(\\.\\d+)?")) {
        return NUMBER;
      }
      if (watermark.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}")) {
        return TIMESTAMP;
      }
      return watermark.matches("\\d{4}-\\d{2}-\\d{2}") ? DATE : TEXT;
    }
  }

  /**
   * A half-open watermark range {@code (low, high]}; {@code low} null means from the start.
   */
  public record Range(String low, String high, Kind kind) {
    /** The SQL condition selecting this range's rows. */
    String condition(String column) {
      String upper = column + " <= " + literal(high);
      return low == null ? upper : column + " > " + literal(low) + " AND " + upper;
    }

    private String literal(String value) {
      return switch (kind) {
        case NUMBER -> value;
        case TIMESTAMP -> "TIMESTAMP '" + value + "'";
        case DATE -> "DATE '" + value + "'";
        case TEXT -> "'" + value.replace("'", "''") + "'";
      };
    }
  }

  /** The range to read after {@code lastHigh} (null: nothing read yet), if any rows are new. */
  public static Optional<Range> nextRange(SourceSettings source, String lastHigh) {
    JdbcSettings jdbc = source.jdbc();
    String sql = "SELECT MAX(" + jdbc.watermarkColumn() + ") FROM " + jdbc.relation();
    try (Connection c = connect(jdbc); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      Kind kind = kind(rs.getMetaData().getColumnType(1));
      String max = switch (kind) {
        case TIMESTAMP -> Optional.ofNullable(rs.getTimestamp(1))
            .map(t -> TIMESTAMP.format(t.toLocalDateTime())).orElse(null);
        case DATE -> Optional.ofNullable(rs.getDate(1)).map(Object::toString).orElse(null);
        default -> rs.getString(1);
      };
      if (max == null || max.equals(lastHigh)) {
        return Optional.empty();
      }
      return Optional.of(new Range(lastHigh, max, kind));
    } catch (SQLException e) {
      throw CdpException.source(source.name(), "cannot query " + jdbc.relation() + " at "
          + jdbc.url() + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /** Raw records of one range, in the frame shape {@link BronzeMapping} takes. */
  public static Dataset<Row> read(SparkSession spark, SourceSettings source, Range range) {
    JdbcSettings jdbc = source.jdbc();
    String query = "(SELECT * FROM " + jdbc.relation() + " WHERE "
        + range.condition(jdbc.watermarkColumn()) + ") cdp_batch";
    Properties props = new Properties();
    if (jdbc.user() != null) {
      props.put("user", jdbc.user());
    }
    if (jdbc.password() != null) {
      props.put("password", jdbc.password());
    }
    props.put("fetchsize", Integer.toString(jdbc.fetchSize()));
    Dataset<Row> rows = spark.read().options(source.options()).jdbc(jdbc.url(), query, props);
    return RawRecordReader.withFields(rows.select(
            RawFields.rowAsJson(rows.schema().fields()).as(RawColumns.RAW),
            lit(describe(source, range)).as(RawColumns.FILE),
            lit(null).cast(DataTypes.StringType).as(RawColumns.FORMAT_ERROR)),
        new RecordFields(source));
  }

  /** How a range is named in {@code source_file}: {@code jdbc:<relation>:<column>:(low,high]}. */
  public static String describe(SourceSettings source, Range range) {
    return prefix(source, range.low()) + range.high() + "]";
  }

  /** The part of {@link #describe} shared by every range starting at {@code low}. */
  public static String prefix(SourceSettings source, String low) {
    JdbcSettings jdbc = source.jdbc();
    String relation = jdbc.table() != null ? jdbc.table() : "query";
    return "jdbc:" + relation + ":" + jdbc.watermarkColumn() + ":(" + (low == null ? "" : low)
        + ",";
  }

  private static Connection connect(JdbcSettings jdbc) throws SQLException {
    Properties props = new Properties();
    if (jdbc.user() != null) {
      props.put("user", jdbc.user());
    }
    if (jdbc.password() != null) {
      props.put("password", jdbc.password());
    }
    return DriverManager.getConnection(jdbc.url(), props);
  }

  private static Kind kind(int sqlType) {
    return switch (sqlType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL,
           Types.NUMERIC, Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.NUMBER;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP;
      case Types.DATE -> Kind.DATE;
      default -> Kind.TEXT;
    };
  }
}
