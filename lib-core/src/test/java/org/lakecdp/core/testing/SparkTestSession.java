package org.lakecdp.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.LakehouseSettings;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.Layer;
import org.lakecdp.core.lake.SparkSessions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving every test of a JVM the same SparkSession (local[2], UI off, two
 * shuffle partitions, UTC, Delta, an embedded Hive metastore in a temporary folder), created
 * on first use and stopped when the JVM's tests end. Inject it as a {@link SparkSession}
 * parameter.
 *
 * <p>Each test gets its own lakehouse through {@link #settings}: a root folder of its own and
 * catalog databases with a unique prefix, so tests never see each other's tables.
 */
public final class SparkTestSession implements ParameterResolver {
  private static final AtomicInteger LAKEHOUSES = new AtomicInteger();
  private static SparkSession spark;

  /** The shared session. */
  public static synchronized SparkSession spark() {
    if (spark == null) {
      try {
        Path base = Files.createTempDirectory("cdp-test-spark");
        CdpSettings settings = TestConfig.settings(base.resolve("lake"), Map.of());
        Map<String, String> conf = new LinkedHashMap<>(SparkSessions.sparkConf(settings));
        SparkSession.Builder builder = SparkSession.builder().master("local[2]")
            .appName("cdp-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
        conf.forEach(builder::config);
        // Test inputs are tiny and every test builds new plans, so compiling generated code
        // for each one cost more than a third of the suite's CPU time: tests run Spark's
        // interpreted expressions (same results). The CLI tests of jobs/ and the demo keep
        // code generation on.
        builder.config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        spark = builder.enableHiveSupport().getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return spark;
  }

  /**
   * Settings for a fresh lakehouse under {@code root} with unique database names
   * ({@code t<n>_bronze}, ...), plus overrides given as {@code key, value} pairs.
   */
  public static CdpSettings settings(Path root, String... keyValues) {
    int n = LAKEHOUSES.incrementAndGet();
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String layer : new String[] {"bronze", "silver", "gold", "ops"}) {
      overrides.put("cdp.lakehouse.databases." + layer, "t" + n + "_" + layer);
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      overrides.put(keyValues[i], keyValues[i + 1]);
    }
    return TestConfig.settings(root, overrides);
  }

  /**
   * A lakehouse on the shared session with every table created. A new local lakehouse gets
   * its tables as copies of the empty tables of a template lakehouse, which the JVM's first
   * call creates with {@link Lakehouse#ensureTables}; they are then registered under the
   * lakehouse's own names by {@code ensureTables}, as tables found at their locations. (The
   * same tables, in a quarter of the time: creating 24 tables cost about 11 s of CPU,
   * registering copies under 3 s, and the suite makes dozens of lakehouses. LakehouseTest
   * covers creation itself.)
   */
  public static Lakehouse lakehouse(CdpSettings settings) {
    Lakehouse lake = new Lakehouse(spark(), settings.lakehouse());
    Path root = localRoot(settings);
    if (root != null && !Files.exists(root.resolve(Layer.BRONZE.folder()))) {
      copyTree(template(), root);
    }
    lake.ensureTables();
    return lake;
  }

  private static Path template;

  /** The template lakehouse's root, its tables created on first use. */
  private static synchronized Path template() {
    if (template == null) {
      try {
        Path root = Files.createTempDirectory("cdp-test-template");
        new Lakehouse(spark(), settings(root).lakehouse()).ensureTables();
        template = root;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return template;
  }

  /** The lakehouse root as a local folder, or null when it is on an object store. */
  private static Path localRoot(CdpSettings settings) {
    LakehouseSettings lake = settings.lakehouse();
    return lake.onObjectStore() ? null : Path.of(lake.root().replaceFirst("^file:", ""));
  }

  /** Copies the layer folders (tables and their Delta logs) of one lakehouse root to another. */
  private static void copyTree(Path from, Path to) {
    try {
      for (Layer layer : Layer.values()) {
        Path source = from.resolve(layer.folder());
        if (!Files.isDirectory(source)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(source)) {
          for (Path f : files.toList()) {
            Path target = to.resolve(layer.folder()).resolve(source.relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(target);
            } else {
              Files.copy(f, target);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the template lakehouse to " + to, e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return spark();
  }
}
