package org.lakecdp.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PiiCipher;
import org.lakecdp.core.lake.SparkSessions;

/**
 * What one command works with: the validated settings, and, opened on first use, the
 * SparkSession and the lakehouse with every table in place. Closing it stops Spark.
 */
final class CdpSession implements AutoCloseable {
  /** Environment variable naming the configuration file when --conf is not given. */
  static final String CONF_ENV = "CDP_CONF";

  private final CdpSettings settings;
  private final Consumer<String> progress;
  private SparkSession spark;
  private Lakehouse lake;

  CdpSession(CdpSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Loads settings from {@code --conf}, else {@code $CDP_CONF}, else conf/application.conf in
   * the working directory when present, else the reference defaults; then the overrides.
   * Segment conditions and destinations are checked here, before any job runs.
   */
  static CdpSettings loadSettings(Path conf, Map<String, String> overrides) {
    Path file = conf;
    if (file == null && System.getenv(CONF_ENV) != null && !System.getenv(CONF_ENV).isBlank()) {
      file = Path.of(System.getenv(CONF_ENV));
    }
    if (file == null && Files.isRegularFile(Path.of("conf", "application.conf"))) {
      file = Path.of("conf", "application.conf");
    }
    CdpSettings settings = CdpConfigLoader.load(file, overrides);
    org.lakecdp.core.segment.SegmentCatalog.validate(settings.segments());
    return settings;
  }

  CdpSettings settings() {
    return settings;
  }

  Consumer<String> progress() {
    return progress;
  }

  SparkSession spark() {
    if (spark == null) {
      progress.accept("starting Spark (" + (settings.spark().master().isBlank()
          ? "master from spark-submit" : settings.spark().master()) + "), lakehouse at "
          + settings.lakehouse().root());
      spark = SparkSessions.create(settings);
    }
    return spark;
  }

  Lakehouse lakehouse() {
    if (lake == null) {
      // a missing or malformed key fails here, before Spark starts or anything is written
      java.util.Optional<PiiCipher> cipher = PiiCipher.fromSettings(settings.privacy());
      Lakehouse opened = new Lakehouse(spark(), settings.lakehouse()).withCipher(cipher);
      try {
        opened.ensureTables();
      } catch (Exception e) {
        CdpException explained = SparkSessions.explainCatalogFailure(e, settings.lakehouse());
        if (explained != null) {
          throw explained;
        }
        throw e;
      }
      lake = opened;
    }
    return lake;
  }

  @Override
  public void close() {
    if (spark != null) {
      spark.stop();
    }
  }
}
