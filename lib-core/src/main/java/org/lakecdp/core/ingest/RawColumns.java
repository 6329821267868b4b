package org.lakecdp.core.ingest;

/** Columns of the raw-record frames that readers hand to {@link BronzeMapping}. */
final class RawColumns {
  private RawColumns() {}

  /** The record as text: the JSON line, or the row rendered as a JSON object. */
  static final String RAW = "raw";
  /** The file's URI (or JDBC range) the record came from. */
  static final String FILE = "source_file";
  /** Why the reader could not parse the record, or null. */
  static final String FORMAT_ERROR = "format_error";
  /**
   * Options for rendering a typed row as the raw JSON record: null fields kept (a column that
   * was there but empty is information), timestamps to the microsecond (no precision lost).
   */
  static final java.util.Map<String, String> TO_JSON_OPTIONS = java.util.Map.of(
      "ignoreNullFields", "false",
      "timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
      "timestampNTZFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  /** Spark's column for rows it could not parse. */
  static final String CORRUPT = "_corrupt_record";
}
