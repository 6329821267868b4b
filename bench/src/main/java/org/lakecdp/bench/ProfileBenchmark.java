package org.lakecdp.bench;

import static org.lakecdp.bench.IngestBenchmark.cpuSeconds;
import static org.lakecdp.bench.IngestBenchmark.progress;
import static org.lakecdp.bench.IngestBenchmark.seconds;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.identity.IdentityReport;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestReport;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.SparkSessions;
import org.lakecdp.core.ml.CustomerScoring;
import org.lakecdp.core.ml.ModelTraining;
import org.lakecdp.core.profile.CustomerProfiles;
import org.lakecdp.core.profile.ProfileReport;

/**
 * The gold layer at scale: the sample retailer (reused when made with the same parameters)
 * through bronze ingest and identity into a fresh lakehouse, then, each step timed (wall and
 * CPU seconds) with the heap it left in use after garbage collection:
 * <ol>
 *   <li>a full build of {@code customer_profile} (no scores yet);</li>
 *   <li>churn, propensity and clv trained with the configured grids;</li>
 *   <li>every customer scored with the champions;</li>
 *   <li>the profiles again, incrementally: every customer's scores changed;</li>
 *   <li>the profiles once more with nothing changed (the rerun of a day).</li>
 * </ol>
 * Appends one JSON line to {@code <results>/profile-<timestamp>.json}. Nothing here asserts a
 * number.
 *
 * <p>Usage: {@code ProfileBenchmark profile [--persons N] [--days D] [--probabilistic
 * true|false] [--work DIR] [--conf FILE] [--results DIR]}; defaults 1,000,000 persons (the
 * issue's goal), 365 days, probabilistic matching as configured ({@code true}); {@code
 * false} resolves by the deterministic rules only, to reach the gold steps sooner.
 */
public final class ProfileBenchmark {
  private static final String USAGE = "usage: bench profile [--persons N] [--days D]"
      + " [--probabilistic true|false] [--work DIR] [--conf FILE] [--results DIR]";

  private final Map<String, String> flags;
  private final StringBuilder json = new StringBuilder();
  private final HeapWatch heap = new HeapWatch();

  private ProfileBenchmark(Map<String, String> flags) {
    this.flags = flags;
  }

  /** Runs the benchmark and exits with 0, 1 (failure) or 2 (bad usage). */
  public static void main(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>(Map.of("--persons", "1000000", "--days",
        "365", "--probabilistic", "true", "--work", "bench/work-profile", "--conf",
        "conf/application.conf", "--results", "bench/results"));
    try {
      if (args.length == 0 || !args[0].equals("profile")) {
        throw new IllegalArgumentException("expected the benchmark name 'profile'");
      }
      for (int i = 1; i < args.length; i += 2) {
        if (!flags.containsKey(args[i]) || i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
        }
        flags.put(args[i], args[i + 1]);
      }
      if (!List.of("true", "false").contains(flags.get("--probabilistic"))) {
        throw new IllegalArgumentException("--probabilistic must be true or false, got '"
            + flags.get("--probabilistic") + "'");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    }
    int code = 0;
    try {
      new ProfileBenchmark(flags).run();
    } catch (RuntimeException e) {
      System.err.println("bench: failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  private void run() {
    Path work = Path.of(flags.get("--work")).toAbsolutePath().normalize();
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("cdp.lakehouse.root", work.resolve("lake").toString());
    overrides.put("cdp.lakehouse.metastore", "in-memory");
    overrides.put("cdp.sample.root", work.resolve("sample").toString());
    overrides.put("cdp.sample.persons", flags.get("--persons"));
    overrides.put("cdp.sample.days", flags.get("--days"));
    overrides.put("cdp.identity.probabilistic.enabled", flags.get("--probabilistic"));
    overrides.put("cdp.spark.conf.\"spark.ui.enabled\"", "false");
    CdpSettings settings = CdpConfigLoader.load(Path.of(flags.get("--conf")), overrides);
    double generation = IngestBenchmark.ensureSampleData(settings.sample());
    IngestBenchmark.deleteTree(work.resolve("lake"));
    LocalDate today = settings.sample().endDate().plusDays(1);
    json.append("{\"at\":\"").append(Instant.now()).append("\",\"persons\":")
        .append(flags.get("--persons")).append(",\"days\":").append(flags.get("--days"))
        .append(",\"probabilistic\":").append(flags.get("--probabilistic"))
        .append(",\"max_heap_gb\":").append(String.format(Locale.ROOT, "%.1f",
            Runtime.getRuntime().maxMemory() / 1e9))
        .append(",\"generation_seconds\":").append(Double.isNaN(generation) ? "null"
            : String.format(Locale.ROOT, "%.1f", generation));

    SparkSession spark = SparkSessions.create(settings);
    heap.start();
    try {
      Lakehouse lake = new Lakehouse(spark, settings.lakehouse());
      lake.ensureTables();
      json.append(",\"cores\":").append(spark.sparkContext().defaultParallelism());
      IngestReport ingested = step("ingest", () -> new BronzeIngest(lake, settings,
          IngestBenchmark::progress).run(new IngestRequest(today, false, false, List.of())));
      IdentityReport resolved = step("identity", () -> new IdentityResolution(lake, settings,
          IngestBenchmark::progress).run(today));
      ProfileReport full = step("profile_full", () -> new CustomerProfiles(lake, settings,
          IngestBenchmark::progress).run(today));
      count("customers", full.customers());
      count("profile_full_changed", full.changed());
      for (String model : List.of("churn", "propensity", "clv")) {
        ModelTraining.TrainReport r = step("train_" + model, () -> new ModelTraining(lake,
            settings, IngestBenchmark::progress).run(model, today));
        count("train_" + model + "_rows", r.trainRows());
        count("train_" + model + "_validation_rows", r.validationRows());
        r.metrics().forEach((k, v) -> json.append(",\"").append(model).append('_').append(k)
            .append("\":").append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v)
                : "null"));
        progress(String.format(Locale.ROOT, "%s: %,d training rows, %,d validation rows, %s",
            model, r.trainRows(), r.validationRows(), r.metrics()));
      }
      CustomerScoring.ScoreReport scored = step("score", () -> new CustomerScoring(lake,
          settings, IngestBenchmark::progress).run(today));
      scored.rowsByModel().forEach((m, n) -> count("score_rows_" + m, n));
      ProfileReport rescored = step("profile_incremental", () -> new CustomerProfiles(lake,
          settings, IngestBenchmark::progress).run(today));
      count("profile_incremental_changed", rescored.changed());
      ProfileReport rerun = step("profile_rerun", () -> new CustomerProfiles(lake, settings,
          IngestBenchmark::progress).run(today));
      count("profile_rerun_changed", rerun.changed());
      count("bronze_records", ingested.rows());
      count("identity_records", resolved.records());
      System.out.printf(Locale.ROOT, "profile benchmark: %,d persons, %,d bronze records,"
          + " %,d identity records, %,d customers; heap in use after GC at most %.1f GB of"
          + " %.1f GB%n", Long.parseLong(flags.get("--persons")), ingested.rows(),
          resolved.records(), full.customers(), heap.maxAfterGc() / 1e9,
          Runtime.getRuntime().maxMemory() / 1e9);
      json.append(",\"max_heap_after_gc_gb\":").append(String.format(Locale.ROOT, "%.2f",
          heap.maxAfterGc() / 1e9)).append('}');
      IngestBenchmark.appendResult(flags.get("--results"), "profile", json);
    } finally {
      heap.stop();
      spark.stop();
    }
  }

  /** Runs one step, prints and records its wall and CPU seconds. */
  private <T> T step(String name, Supplier<T> body) {
    progress("step " + name);
    long started = System.nanoTime();
    double cpu = cpuSeconds();
    T result = body.get();
    double wall = seconds(started);
    double used = cpuSeconds() - cpu;
    System.out.printf(Locale.ROOT, "%-20s %8.1f s wall %8.1f s CPU%n", name, wall, used);
    json.append(String.format(Locale.ROOT, ",\"%s_seconds\":%.1f,\"%s_cpu_seconds\":%.1f",
        name, wall, name, used));
    return result;
  }

  private void count(String name, long value) {
    json.append(",\"").append(name).append("\":").append(value);
  }

  /**
   * The most heap any collection left in use, read every second from the heap pools'
   * usage after their latest collection (the live data, not the garbage between GCs).
   */
  private static final class HeapWatch {
    private final AtomicLong max = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          long sum = 0;
          for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage()
                : null;
            sum += after == null ? 0 : after.getUsed();
          }
          long seen = sum;
          max.accumulateAndGet(seen, Math::max);
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-heap-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
      thread.interrupt();
    }

    long maxAfterGc() {
      return max.get();
    }
  }
}
