package org.lakecdp.core.config;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lakecdp.core.CdpException;

/**
 * One declared source of raw records, validated.
 *
 * @param name source name: lower case letters, digits and underscores; the {@code source}
 *     column of every bronze row it produces
 * @param format how the records are stored
 * @param path local path or {@code s3a://} glob of the files; may contain {@code {date}}
 *     (a yyyy-MM-dd folder or file-name part) which then gives each file its logical date.
 *     Empty for JDBC sources.
 * @param options reader options passed to Spark as they are (e.g. CSV delimiter)
 * @param eventTime where and how to read the event time; required
 * @param eventType where to read the event type, or a constant one
 * @param recordKey fields whose values identify a record within the source; empty means the
 *     record's content hash is its key
 * @param mapping canonical field name to alternative source field paths (first present wins)
 * @param jdbc connection and watermark for {@link SourceFormat#JDBC} sources, else null
 * @param enabled disabled sources are skipped by every run
 */
public record SourceSettings(String name, SourceFormat format, String path,
    Map<String, String> options, EventTimeSpec eventTime, EventTypeSpec eventType,
    List<String> recordKey, Map<String, List<String>> mapping, JdbcSettings jdbc,
    boolean enabled) {

  /** Placeholder in a path for the file's logical date, {@code yyyy-MM-dd}. */
  public static final String DATE_PLACEHOLDER = "{date}";

  /** File layouts and databases a source can be read from. */
  public enum SourceFormat { JSON, CSV, PARQUET, JDBC }

  public SourceSettings {
    String where = "cdp.sources." + name;
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw CdpException.badConfig(where, "name must be lower case letters, digits and _", name);
    }
    if (format == SourceFormat.JDBC) {
      if (jdbc == null) {
        throw new CdpException("missing required configuration key " + where + ".jdbc");
      }
    } else if (path == null || path.isBlank()) {
      throw new CdpException("missing required configuration key " + where + ".path");
    } else if (path.indexOf(DATE_PLACEHOLDER) != path.lastIndexOf(DATE_PLACEHOLDER)) {
      throw CdpException.badConfig(where + ".path", "may contain {date} at most once", path);
    }
    for (Map.Entry<String, List<String>> e : mapping.entrySet()) {
      String canonical = e.getKey();
      if (CanonicalField.byName(canonical).isEmpty()
          && !canonical.startsWith(CanonicalField.CUSTOM_PREFIX)) {
        String suggestion = Suggest.closest(canonical, CanonicalField.allNames());
        throw new CdpException(where + ".mapping: unknown canonical field '" + canonical + "'"
            + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
            + "; known fields are " + CanonicalField.allNames()
            + ", or prefix a custom one with x_");
      }
      if (e.getValue().isEmpty()) {
        throw CdpException.badConfig(where + ".mapping." + canonical, "must name a field",
            e.getValue());
      }
      e.getValue().forEach(p -> checkPath(where + ".mapping." + canonical, p));
    }
    recordKey.forEach(p -> checkPath(where + ".record-key", p));
    eventTime.fields().forEach(p -> checkPath(where + ".event-time.field", p));
    eventType.fields().forEach(p -> checkPath(where + ".event-type.field", p));
    options = Map.copyOf(options);
    recordKey = List.copyOf(recordKey);
    mapping = Map.copyOf(mapping);
  }

  /** True when {@link #path} carries a {@code {date}} placeholder. */
  public boolean datedPath() {
    return path != null && path.contains(DATE_PLACEHOLDER);
  }

  /** The source paths mapped to a canonical field, empty if the source does not map it. */
  public List<String> pathsOf(String canonical) {
    return Optional.ofNullable(mapping.get(canonical)).orElse(List.of());
  }

  private static void checkPath(String key, String path) {
    if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      throw CdpException.badConfig(key, "must be a field name or dotted path such as user.email",
          path);
    }
  }

  /**
   * Where the event time is and how to parse it.
   *
   * @param fields alternative field paths, first present wins; at least one
   * @param formats tried in order: {@code iso}, {@code epoch-millis}, {@code epoch-seconds}
   *     or a Spark datetime pattern such as {@code dd/MM/yyyy HH:mm}
   * @param timezone zone of times written without an offset
   */
  public record EventTimeSpec(List<String> fields, List<String> formats, ZoneId timezone) {
    /** True when the source has no time field: records take their logical date (00:00 UTC). */
    public boolean fromLogicalDate() {
      return fields.isEmpty();
    }

    public EventTimeSpec {
      if (formats.isEmpty()) {
        throw new CdpException("event-time.formats must list at least one format");
      }
      fields = List.copyOf(fields);
      formats = List.copyOf(formats);
    }
  }

  /**
   * Where the event type comes from: a field (values optionally mapped to canonical types)
   * or a constant for sources that hold one kind of record.
   *
   * @param fields alternative field paths; empty when {@code value} is set
   * @param value constant event type, or null
   * @param valueMap source value (lower case) to canonical event type
   */
  public record EventTypeSpec(List<String> fields, String value, Map<String, String> valueMap) {
    public EventTypeSpec {
      fields = List.copyOf(fields);
      valueMap = Map.copyOf(valueMap);
    }
  }

  /**
   * A relational source read incrementally by a watermark column.
   *
   * @param url JDBC URL
   * @param table table (or view) to read; exclusive with {@code query}
   * @param query a SELECT to read instead of a table
   * @param user user name, usually from the environment
   * @param password password, from the environment; never logged
   * @param watermarkColumn monotonically increasing column (updated_at, id) read past the
   *     last ingested value
   * @param fetchSize JDBC fetch size
   */
  public record JdbcSettings(String url, String table, String query, String user,
      String password, String watermarkColumn, int fetchSize) {
    public JdbcSettings {
      if (url == null || !url.startsWith("jdbc:")) {
        throw new CdpException("jdbc.url must start with 'jdbc:': '" + url + "'");
      }
      if ((table == null) == (query == null)) {
        throw new CdpException("jdbc must set exactly one of table or query");
      }
      if (watermarkColumn == null || !watermarkColumn.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new CdpException("jdbc.watermark-column must be a column name: '"
            + watermarkColumn + "'");
      }
    }

    /** The relation to read: the table name, or the query as a derived table. */
    public String relation() {
      return table != null ? table : "(" + query + ") cdp_src";
    }

    @Override
    public String toString() {
      return "JdbcSettings[url=" + url + ", relation=" + relation() + ", user=" + user
          + ", watermarkColumn=" + watermarkColumn + "]";
    }
  }
}
