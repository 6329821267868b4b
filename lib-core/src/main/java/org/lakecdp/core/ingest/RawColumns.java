package org.lakecdp.core.ingest;

/** Columns of the raw-record frames that readers hand to {@link BronzeMapping}. */
final class RawColumns {
  private RawColumns() {}

  /** The record as text: the JSON line, or the row rendered as a JSON object. */
  static final String RAW = "raw";
  /** The file's URI (or JDBC range) the record came from. */
  static final String FILE = "source_file";
  /** The top-level fields the source reads, as text, see {@link RecordFields}. */
  static final String FIELDS = "fields";
  /** Why the reader could not parse the record, or null. */
  static final String FORMAT_ERROR = "format_error";
  /** Spark's column for rows it could not parse. */
  static final String CORRUPT = "_corrupt_record";
}
