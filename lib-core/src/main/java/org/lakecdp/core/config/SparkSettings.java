package org.lakecdp.core.config;

import java.util.List;
import java.util.Map;
import org.lakecdp.core.CdpException;

/**
 * How the CDP's SparkSession is built.
 *
 * @param master Spark master URL; empty to leave it to {@code spark-submit}
 * @param appName application name shown in the Spark UI and history server
 * @param shufflePartitions value of {@code spark.sql.shuffle.partitions}
 * @param logLevel level applied to Spark's own loggers
 * @param conf further Spark settings passed through unchanged
 */
public record SparkSettings(String master, String appName, int shufflePartitions,
    String logLevel, Map<String, String> conf) {

  private static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG");

  public SparkSettings {
    if (shufflePartitions < 1) {
      throw CdpException.badConfig("cdp.spark.shuffle-partitions", "must be at least 1",
          shufflePartitions);
    }
    if (!LEVELS.contains(logLevel)) {
      throw CdpException.notOneOf("cdp.spark.log-level", logLevel, LEVELS);
    }
    conf = Map.copyOf(conf);
  }
}
