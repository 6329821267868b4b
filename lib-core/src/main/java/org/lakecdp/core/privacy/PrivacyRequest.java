package org.lakecdp.core.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.CdpException;

/**
 * One request of a data subject: erase them, or give them access to their data.
 *
 * @param requestId unique id; a request whose id has a receipt is not processed again
 * @param type erase or access
 * @param identifier how the person is named
 * @param receivedFrom {@code command line} or the queue file it came from
 */
public record PrivacyRequest(String requestId, Type type, Identifier identifier,
    String receivedFrom) {

  /** What the person asks for. */
  public enum Type {
    ERASE, ACCESS;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Columns of a queue file, in order. */
  public static final List<String> QUEUE_COLUMNS = List.of("request_id", "type", "identifier",
      "value");

  /**
   * Requests of the queue at {@code location} (a CSV file, or a folder of {@code *.csv}
   * files, local or s3a://, with a header naming {@link #QUEUE_COLUMNS}); none when the
   * location is empty or does not exist. A bad row fails naming the file, line and value.
   */
  public static List<PrivacyRequest> readQueue(SparkSession spark, String location) {
    if (location == null || location.isBlank()) {
      return List.of();
    }
    Path path = new Path(location);
    List<PrivacyRequest> out = new ArrayList<>();
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        return List.of();
      }
      List<Path> files = new ArrayList<>();
      if (fs.getFileStatus(path).isDirectory()) {
        for (var status : fs.listStatus(path)) {
          if (status.isFile() && status.getPath().getName().endsWith(".csv")) {
            files.add(status.getPath());
          }
        }
        files.sort(null);
      } else {
        files.add(path);
      }
      for (Path file : files) {
        List<Row> rows = spark.read().option("header", "true").option("mode", "FAILFAST")
            .csv(file.toString()).collectAsList();
        if (!rows.isEmpty()) {
          List<String> header = List.of(rows.get(0).schema().fieldNames());
          if (!header.containsAll(QUEUE_COLUMNS)) {
            throw new CdpException("privacy request queue " + file + ": the header must name "
                + QUEUE_COLUMNS + ", it has " + header);
          }
        }
        for (int i = 0; i < rows.size(); i++) {
          Row r = rows.get(i);
          String where = "privacy request queue " + file + " line " + (i + 2);
          out.add(of(where, r.getAs("request_id"), r.getAs("type"), r.getAs("identifier"),
              r.getAs("value"), file.toString()));
        }
      }
    } catch (java.io.IOException e) {
      throw new CdpException("cannot read the privacy request queue " + location + ": "
          + e.getMessage(), e);
    }
    return out;
  }

  /** A request from text fields; {@code where} names it in errors. */
  public static PrivacyRequest of(String where, String requestId, String type,
      String identifier, String value, String receivedFrom) {
    if (requestId == null || requestId.isBlank()) {
      throw new CdpException(where + ": request_id is empty");
    }
    String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
    if (!t.equals("erase") && !t.equals("access")) {
      throw CdpException.notOneOf(where + ": type", type, List.of("erase", "access"));
    }
    try {
      return new PrivacyRequest(requestId.trim(), Type.valueOf(t.toUpperCase(Locale.ROOT)),
          Identifier.of(identifier, value), receivedFrom);
    } catch (CdpException e) {
      throw new CdpException(where + ": " + e.getMessage(), e);
    }
  }
}
