package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.Parallel;
import org.lakecdp.core.config.SourceSettings;

/**
 * Reads the files of one source into raw records without imposing a schema: columns
 * {@code raw} (the record as text; a JSON object but for malformed lines), {@code fields} (the
 * field paths the source reads, as text, see {@link RecordFields}), {@code source_file} and
 * {@code format_error}.
 *
 * <ul>
 *   <li>JSON lines: each non-blank line is a record, kept byte for byte; a line that is not a
 *       JSON object gets a format error.</li>
 *   <li>CSV (RFC 4180: a quote inside a quoted field is doubled, unless the source's options
 *       say otherwise): files are grouped by header line, so a column added, renamed or dropped between
 *       files never breaks a load; each row becomes a JSON object of header to value (all
 *       strings, empty fields as null); a row with the wrong number of fields gets a format
 *       error and keeps its original line.</li>
 *   <li>Parquet: schemas are merged across files; each row becomes a JSON object.</li>
 * </ul>
 */
public final class RawRecordReader {

  private static final int HEADER_THREADS = 8;

  private RawRecordReader() {}

  /** Raw records of {@code files}, which must be non-empty. */
  public static Dataset<Row> read(SparkSession spark, SourceSettings source,
      List<SourceFile> files) {
    List<String> paths = files.stream().map(SourceFile::path).toList();
    RecordFields wanted = new RecordFields(source);
    return switch (source.format()) {
      case JSON -> readJsonLines(spark, source, paths, wanted);
      case CSV -> withFields(readCsv(spark, source, paths), wanted);
      case PARQUET -> withFields(readParquet(spark, source, paths), wanted);
      case JDBC -> throw new IllegalArgumentException("JDBC sources are read by JdbcReader");
    };
  }

  static Dataset<Row> readJsonLines(SparkSession spark, SourceSettings source,
      List<String> paths, RecordFields wanted) {
    Dataset<Row> lines = spark.read().options(source.options()).text(paths.toArray(String[]::new));
    Column raw = col("value");
    return withJsonFields(lines
        // blank lines are no records; most lines start with their object, so the check is cheap
        .filter(raw.startsWith("{").or(length(trim(raw)).gt(0)))
        .select(raw.as(RawColumns.RAW), col("_metadata.file_path").as(RawColumns.FILE)),
        wanted);
  }

  /**
   * Adds the wanted fields of JSON-line records (column {@code raw}), read once, and the format
   * error of lines that are not a JSON object.
   */
  static Dataset<Row> withJsonFields(Dataset<Row> records, RecordFields wanted) {
    return withFields(records, wanted).withColumn(RawColumns.FORMAT_ERROR,
        when(col(RawColumns.FIELDS).isNull(), lit("malformed JSON: not a JSON object")));
  }

  /** Adds the wanted fields of records whose {@code raw} is a JSON object (see RecordFields). */
  static Dataset<Row> withFields(Dataset<Row> records, RecordFields wanted) {
    return records.withColumn(RawColumns.FIELDS, wanted.read(col(RawColumns.RAW)));
  }

  static Dataset<Row> readCsv(SparkSession spark, SourceSettings source, List<String> paths) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<List<String>> headers = readInParallel(paths, p -> csvHeader(hadoop, source, p));
    Map<List<String>, List<String>> byHeader = new LinkedHashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      byHeader.computeIfAbsent(headers.get(i), h -> new ArrayList<>()).add(paths.get(i));
    }
    Dataset<Row> all = null;
    for (Map.Entry<List<String>, List<String>> group : byHeader.entrySet()) {
      Dataset<Row> part = readCsvGroup(spark, source, group.getKey(), group.getValue());
      all = all == null ? part : all.unionByName(part);
    }
    return all;
  }

  private static Dataset<Row> readCsvGroup(SparkSession spark, SourceSettings source,
      List<String> header, List<String> paths) {
    StructType schema = new StructType();
    for (String name : header) {
      schema = schema.add(name, DataTypes.StringType);
    }
    schema = schema.add(RawColumns.CORRUPT, DataTypes.StringType);
    Dataset<Row> rows = spark.read()
        .option("escape", "\"")
        .options(source.options())
        .option("header", "true")
        .option("enforceSchema", "true")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", RawColumns.CORRUPT)
        .schema(schema)
        .csv(paths.toArray(String[]::new));
    StructField[] fields = java.util.Arrays.copyOf(schema.fields(), header.size());
    Column corrupt = col(RawColumns.CORRUPT);
    return rows.select(
        when(corrupt.isNotNull(), corrupt).otherwise(RawFields.rowAsJson(fields))
            .as(RawColumns.RAW),
        col("_metadata.file_path").as(RawColumns.FILE),
        when(corrupt.isNotNull(), lit("malformed CSV row: expected " + header.size()
            + " fields " + header)).as(RawColumns.FORMAT_ERROR));
  }

  /**
   * Applies {@code read} to every path with a few threads (header reads are one small
   * request each, which on an object store is mostly waiting); results in path order.
   */
  static <T> List<T> readInParallel(List<String> paths, Function<String, T> read) {
    return Parallel.map(paths, HEADER_THREADS, read, "reading CSV headers");
  }

  /** The header of a CSV file, split on the source's delimiter, quotes removed. */
  static List<String> csvHeader(Configuration hadoop, SourceSettings source, String path) {
    String delimiter = source.options().getOrDefault("delimiter",
        source.options().getOrDefault("sep", ","));
    Charset charset = Charset.forName(source.options().getOrDefault("encoding", "UTF-8"));
    Path p = new Path(java.net.URI.create(path));
    try (FSDataInputStream in = p.getFileSystem(hadoop).open(p);
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset))) {
      String line = reader.readLine();
      if (line == null || line.isBlank()) {
        throw CdpException.source(source.name(), "CSV file " + path + " has no header line");
      }
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      return headerFields(line, delimiter);
    } catch (IOException e) {
      throw CdpException.source(source.name(), "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Splits a header line; quoted names may hold the delimiter; blanks become _c<index>. */
  static List<String> headerFields(String line, String delimiter) {
    List<String> names = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (!quoted && line.startsWith(delimiter, i)) {
        names.add(current.toString().strip());
        current.setLength(0);
        i += delimiter.length() - 1;
      } else {
        current.append(c);
      }
    }
    names.add(current.toString().strip());
    Set<String> seen = new LinkedHashSet<>();
    List<String> unique = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).isEmpty() ? "_c" + i : names.get(i);
      String candidate = name;
      for (int n = 2; !seen.add(candidate.toLowerCase(java.util.Locale.ROOT)); n++) {
        candidate = name + "_" + n;
      }
      unique.add(candidate);
    }
    return unique;
  }

  static Dataset<Row> readParquet(SparkSession spark, SourceSettings source,
      List<String> paths) {
    Dataset<Row> rows = spark.read().options(source.options()).option("mergeSchema", "true")
        .parquet(paths.toArray(String[]::new));
    StructField[] fields = rows.schema().fields();
    return rows.select(RawFields.rowAsJson(fields).as(RawColumns.RAW),
        col("_metadata.file_path").as(RawColumns.FILE),
        lit(null).cast(DataTypes.StringType).as(RawColumns.FORMAT_ERROR));
  }
}
