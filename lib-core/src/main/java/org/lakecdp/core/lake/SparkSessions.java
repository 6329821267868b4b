package org.lakecdp.core.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.LakehouseSettings;
import org.lakecdp.core.config.S3Settings;
import org.lakecdp.core.config.SparkSettings;

/**
 * Builds the one SparkSession of a CDP process: Delta extensions, UTC, the catalog chosen by
 * {@code cdp.lakehouse.metastore}, S3A settings, then {@code cdp.spark.conf} passed through
 * last so an operator can override anything.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** Gets or creates the session for these settings. */
  public static SparkSession create(CdpSettings settings) {
    SparkSession.Builder builder = SparkSession.builder().appName(settings.spark().appName());
    if (!settings.spark().master().isBlank()) {
      builder.master(settings.spark().master());
    }
    sparkConf(settings).forEach(builder::config);
    if (settings.lakehouse().metastore() != LakehouseSettings.Metastore.IN_MEMORY) {
      builder.enableHiveSupport();
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel(settings.spark().logLevel());
    return spark;
  }

  /** Every Spark setting the CDP applies, in the order applied (later wins). */
  public static Map<String, String> sparkConf(CdpSettings settings) {
    Map<String, String> conf = new LinkedHashMap<>();
    SparkSettings spark = settings.spark();
    LakehouseSettings lake = settings.lakehouse();
    conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.put("spark.sql.catalog.spark_catalog",
        "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.put("spark.sql.session.timeZone", "UTC");
    conf.put("spark.sql.shuffle.partitions", Integer.toString(spark.shufflePartitions()));
    conf.put("spark.sql.warehouse.dir", lake.root() + "/_warehouse");
    conf.put("spark.sql.sources.partitionOverwriteMode", "static");
    conf.put("spark.databricks.delta.schema.autoMerge.enabled", "false");
    // the identity plans nest guardrail expressions (array predicates over `unusable`) under
    // joins; inferring filters from constraints over them grows exponentially and exhausts
    // the driver's heap while planning, for no runtime gain here
    conf.put("spark.sql.constraintPropagation.enabled", "false");
    // Ingest names its input files one by one; Spark stats them in a job of up to 10,000
    // tasks by default, one per file, which costs more than the stats themselves.
    conf.put("spark.sql.sources.parallelPartitionDiscovery.parallelism", "16");
    // A task writing a partitioned table (bronze by source, segments by run date) mostly
    // holds rows of one partition value; with a few writers open at once Spark streams rows
    // to them instead of sorting every task's rows by the partition columns first.
    conf.put("spark.sql.maxConcurrentOutputFileWriters", "8");
    // Bronze's raw text, record key and hash and event time are (nearly) unique per row:
    // Parquet's dictionary encoding of them would only be tried, grow and be dropped.
    for (String unique : List.of(BronzeColumns.RAW, BronzeColumns.RECORD_KEY,
        BronzeColumns.RECORD_HASH, BronzeColumns.EVENT_TIME)) {
      conf.put("spark.hadoop.parquet.enable.dictionary#" + unique, "false");
    }
    // Parquet's minimum and maximum of the raw text, per page and per file, would only skip
    // data for a range condition on whole records, which no query has; keeping them compares
    // every record with both.
    conf.put("spark.hadoop.parquet.column.statistics.enabled#" + BronzeColumns.RAW, "false");
    // Timestamps as Parquet's 64-bit microseconds rather than the legacy 96-bit form: cheaper to
    // write and read, and what other Parquet readers expect.
    conf.put("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // Spark keeps the classes it generated and compiled for a plan in a cache of 100 by
    // default; one ingest of eight sources compiles more than that (with Delta's), so a second
    // ingest in the same JVM (a backfill of several days, a rerun) or the next job of a
    // nightly found them evicted and compiled them again, and the JIT compiler their machine
    // code: most of the CPU a repeated ingest used beyond its first.
    conf.put("spark.sql.codegen.cache.maxEntries", "2000");
    // lower() and upper() with the JVM's case mapping; ICU's costs seconds of set-up in
    // every JVM and differs only for a few characters no identifier or event type holds.
    conf.put("spark.sql.icu.caseMappings.enabled", "false");
    switch (lake.metastore()) {
      case EMBEDDED -> {
        conf.put("spark.sql.catalogImplementation", "hive");
        Path metastore = embeddedMetastoreDir(lake);
        conf.put("spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby:;databaseName=" + metastore.resolve("metastore_db") + ";create=true");
        conf.put("spark.hadoop.datanucleus.schema.autoCreateAll", "true");
        conf.put("spark.hadoop.hive.metastore.schema.verification", "false");
        System.setProperty("derby.stream.error.file",
            metastore.resolve("derby.log").toString());
      }
      case HIVE -> {
        conf.put("spark.sql.catalogImplementation", "hive");
        conf.put("spark.hadoop.hive.metastore.uris", lake.metastoreUris());
      }
      case IN_MEMORY -> conf.put("spark.sql.catalogImplementation", "in-memory");
      default -> throw new IllegalStateException(lake.metastore().name());
    }
    conf.putAll(s3Conf(settings.s3()));
    conf.putAll(spark.conf());
    return conf;
  }

  /** Hadoop S3A settings derived from {@code cdp.s3}; empty values are left to S3A. */
  static Map<String, String> s3Conf(S3Settings s3) {
    Map<String, String> conf = new LinkedHashMap<>();
    String prefix = "spark.hadoop.fs.s3a.";
    if (!s3.endpoint().isBlank()) {
      conf.put(prefix + "endpoint", s3.endpoint());
      conf.put(prefix + "connection.ssl.enabled",
          Boolean.toString(!s3.endpoint().startsWith("http://")));
    }
    if (!s3.region().isBlank()) {
      conf.put(prefix + "endpoint.region", s3.region());
    }
    conf.put(prefix + "path.style.access", Boolean.toString(s3.pathStyleAccess()));
    if (!s3.accessKey().isBlank()) {
      conf.put(prefix + "access.key", s3.accessKey());
      conf.put(prefix + "secret.key", s3.secretKey());
      conf.put(prefix + "aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
    return conf;
  }

  /**
   * Explains a catalog failure an operator can act on, or returns null: today, an embedded
   * metastore already opened by another process (Derby allows one at a time).
   */
  public static CdpException explainCatalogFailure(Throwable failure, LakehouseSettings lake) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (lake.metastore() == LakehouseSettings.Metastore.EMBEDDED
          && (message.contains("Another instance of Derby") || message.contains("XSDB6"))) {
        return new CdpException("the embedded metastore in " + embeddedMetastoreDir(lake)
            + " is in use by another cdp process (it allows one at a time): wait for that"
            + " process to end, or use cdp.lakehouse.metastore = hive", failure);
      }
    }
    return null;
  }

  /**
   * The embedded Derby metastore lives beside a local lakehouse, or in the working directory
   * when the lakehouse is on an object store.
   */
  static Path embeddedMetastoreDir(LakehouseSettings lake) {
    Path dir = lake.onObjectStore()
        ? Path.of(".cdp-metastore").toAbsolutePath()
        : Path.of(lake.root().replaceFirst("^file:", "")).resolve("_metastore");
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new CdpException("cannot create the embedded metastore folder " + dir + ": "
          + e.getMessage(), e);
    }
    return dir;
  }
}
