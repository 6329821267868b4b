package org.lakecdp.bench;

import static org.lakecdp.bench.IngestBenchmark.cpuSeconds;
import static org.lakecdp.bench.IngestBenchmark.progress;
import static org.lakecdp.bench.IngestBenchmark.seconds;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.SparkSessions;
import org.lakecdp.core.ml.CustomerScoring;
import org.lakecdp.core.ml.ModelTraining;
import org.lakecdp.core.profile.CustomerEvents;
import org.lakecdp.core.profile.CustomerProfiles;

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
 * true|false] [--steps S,S,...] [--work DIR] [--conf FILE] [--results DIR]}; defaults
 * 1,000,000 persons (the goal), 365 days, probabilistic matching as configured
 * ({@code true}); {@code false} resolves by the deterministic rules only, to reach the gold
 * steps sooner. {@code --steps} runs only the named steps, in the order given; without
 * {@code ingest} the lakehouse of the work folder is kept as an earlier run left it, so a
 * later step can be measured again without repeating the hour before it. {@code
 * profile_full} always recomputes every profile ({@code cdp.profile.mode = full}).
 */
public final class ProfileBenchmark {
  private static final String USAGE = "usage: bench profile [--persons N] [--days D]"
      + " [--probabilistic true|false] [--steps S,S,...] [--work DIR] [--conf FILE]"
      + " [--results DIR]";
  /** Every step, in the order they run. */
  static final List<String> STEPS = List.of("ingest", "identity", "profile_full",
      "train_churn", "train_propensity", "train_clv", "score", "profile_incremental",
      "profile_rerun");
  /**
   * Steps run only when named: {@code profile_parts} times each per-customer part of a full
   * profile build on its own (where the build's time goes).
   */
  static final List<String> OPTIONAL_STEPS = List.of("profile_parts");

  private final Map<String, String> flags;
  private final List<String> steps;
  private final StringBuilder json = new StringBuilder();
  private final HeapWatch heap = new HeapWatch();

  private ProfileBenchmark(Map<String, String> flags) {
    this.flags = flags;
    this.steps = List.of(flags.get("--steps").split(","));
  }

  /** Runs the benchmark and exits with 0, 1 (failure) or 2 (bad usage). */
  public static void main(String[] args) {
    Map<String, String> defaults = new LinkedHashMap<>(Map.of("--persons", "1000000",
        "--days", "365", "--probabilistic", "true", "--work", "bench/work-profile", "--conf",
        "conf/application.conf", "--results", "bench/results"));
    defaults.put("--steps", String.join(",", STEPS));
    Map<String, String> flags;
    try {
      flags = BenchFlags.parse("profile", args, defaults);
      BenchFlags.bool(flags, "--probabilistic");
      for (String step : flags.get("--steps").split(",")) {
        if (!STEPS.contains(step) && !OPTIONAL_STEPS.contains(step)) {
          throw new IllegalArgumentException("--steps: unknown step '" + step + "'; steps are "
              + String.join(",", STEPS) + " and, only when named, "
              + String.join(",", OPTIONAL_STEPS));
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
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
    overrides.put("cdp.profile.mode", "full");
    CdpSettings fullSettings = CdpConfigLoader.load(Path.of(flags.get("--conf")), overrides);
    if (!steps.contains("ingest") && !Files.isDirectory(work.resolve("lake"))) {
      throw new IllegalStateException("--steps without ingest keeps the lakehouse of an"
          + " earlier run, but there is none in " + work.resolve("lake"));
    }
    double generation = IngestBenchmark.ensureSampleData(settings.sample());
    if (steps.contains("ingest")) {
      IngestBenchmark.deleteTree(work.resolve("lake"));
    }
    LocalDate today = settings.sample().endDate().plusDays(1);
    json.append("{\"at\":\"").append(Instant.now()).append("\",\"persons\":")
        .append(flags.get("--persons")).append(",\"days\":").append(flags.get("--days"))
        .append(",\"probabilistic\":").append(flags.get("--probabilistic"))
        .append(",\"steps\":\"").append(flags.get("--steps")).append('"')
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
      Map<String, Runnable> bodies = new LinkedHashMap<>();
      bodies.put("ingest", () -> new BronzeIngest(lake, settings, IngestBenchmark::progress)
          .run(new IngestRequest(today, false, false, List.of())));
      bodies.put("identity", () -> new IdentityResolution(lake, settings,
          IngestBenchmark::progress).run(today));
      bodies.put("profile_full", () -> count("profile_full_changed", new CustomerProfiles(lake,
          fullSettings, IngestBenchmark::progress).run(today).changed()));
      for (String model : List.of("churn", "propensity", "clv")) {
        bodies.put("train_" + model, () -> train(lake, settings, model, today));
      }
      bodies.put("score", () -> new CustomerScoring(lake, settings, IngestBenchmark::progress)
          .run(today).rowsByModel().forEach((m, n) -> count("score_rows_" + m, n)));
      bodies.put("profile_incremental", () -> count("profile_incremental_changed",
          new CustomerProfiles(lake, settings, IngestBenchmark::progress).run(today)
              .changed()));
      bodies.put("profile_rerun", () -> count("profile_rerun_changed", new CustomerProfiles(
          lake, settings, IngestBenchmark::progress).run(today).changed()));
      bodies.put("profile_parts", () -> profileParts(lake, settings, today));
      for (String name : steps) {
        step(name, bodies.get(name));
      }
      long bronzeRecords = lake.read(CdpTable.BRONZE_EVENTS).count();
      long identityRecords = lake.read(CdpTable.SILVER_IDENTITY_RECORDS).count();
      long customers = lake.read(CdpTable.GOLD_CUSTOMER_PROFILE).count();
      count("bronze_records", bronzeRecords);
      count("identity_records", identityRecords);
      count("customers", customers);
      System.out.printf(Locale.ROOT, "profile benchmark: %,d persons, %,d bronze records,"
          + " %,d identity records, %,d customers; heap in use after GC at most %.1f GB of"
          + " %.1f GB%n", Long.parseLong(flags.get("--persons")), bronzeRecords,
          identityRecords, customers, heap.maxAfterGc() / 1e9,
          Runtime.getRuntime().maxMemory() / 1e9);
      json.append(",\"max_heap_after_gc_gb\":").append(String.format(Locale.ROOT, "%.2f",
          heap.maxAfterGc() / 1e9)).append('}');
      IngestBenchmark.appendResult(flags.get("--results"), "profile", json);
    } finally {
      heap.stop();
      spark.stop();
    }
  }

  private void train(Lakehouse lake, CdpSettings settings, String model, LocalDate today) {
    ModelTraining.TrainReport r = new ModelTraining(lake, settings, IngestBenchmark::progress)
        .run(model, today);
    count("train_" + model + "_rows", r.trainRows());
    count("train_" + model + "_validation_rows", r.validationRows());
    r.metrics().forEach((k, v) -> json.append(",\"").append(model).append('_').append(k)
        .append("\":").append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.5f", v)
            : "null"));
    progress(String.format(Locale.ROOT, "%s: %,d training rows, %,d validation rows, %s",
        model, r.trainRows(), r.validationRows(), r.metrics()));
  }

  /**
   * The customer events of a full profile build, persisted and counted as the build does,
   * then each per-customer part ({@link CustomerProfiles#aggregateParts}) and the whole
   * profile (every part joined, RFM quintiles derived), each evaluated on its own into
   * Spark's {@code noop} sink (every column computed, nothing written); prints and records
   * each one's wall and CPU seconds.
   */
  private void profileParts(Lakehouse lake, CdpSettings settings, LocalDate today) {
    Dataset<Row> membership = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    Dataset<Row> events = CustomerEvents.partitionByCustomer(
        CustomerEvents.selectCustomerEvents(lake.read(CdpTable.BRONZE_EVENTS), membership,
            today, settings.profile())).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Runnable> parts = new LinkedHashMap<>();
      parts.put("events", () -> count("profile_parts_events", events.count()));
      CustomerProfiles.aggregateParts(membership, records, events, today, settings.profile())
          .forEach((name, part) -> parts.put(name, () -> noop(part)));
      parts.put("whole_profile", () -> noop(CustomerProfiles.buildProfiles(membership, records,
          events, null, today, settings.profile())));
      parts.forEach((name, body) -> step("part_" + name, body));
    } finally {
      events.unpersist();
    }
  }

  private static void noop(Dataset<Row> rows) {
    rows.write().format("noop").mode("overwrite").save();
  }

  /** Runs one step, prints and records its wall and CPU seconds. */
  private void step(String name, Runnable body) {
    progress("step " + name);
    long started = System.nanoTime();
    double cpu = cpuSeconds();
    body.run();
    double wall = seconds(started);
    double used = cpuSeconds() - cpu;
    System.out.printf(Locale.ROOT, "%-20s %8.1f s wall %8.1f s CPU%n", name, wall, used);
    json.append(String.format(Locale.ROOT, ",\"%s_seconds\":%.1f,\"%s_cpu_seconds\":%.1f",
        name, wall, name, used));
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
