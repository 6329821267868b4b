package org.lakecdp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.LocalFiles;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SampleSettings;
import org.lakecdp.core.config.SourceSettings;
import org.lakecdp.core.config.SourceSettings.SourceFormat;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.FileDiscovery;
import org.lakecdp.core.ingest.IngestReport;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.ingest.SourceFile;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.Layer;
import org.lakecdp.core.lake.SparkSessions;
import org.lakecdp.core.sample.SampleDataGenerator;

/**
 * Ingest throughput benchmark: the CDP bronze ingest against a plain Spark copy of the same
 * landing files, in one JVM and one local SparkSession.
 *
 * <p>Steps, all under the work folder:
 * <ol>
 *   <li>{@code sample/}: the sample data for the requested size, generated only when missing
 *       or made with other parameters (a marker file records persons, days, end date, seed);</li>
 *   <li>{@code plain/<source>}: every enabled source read with Spark's default reader for its
 *       format ({@code json} with schema inference, {@code csv} with {@code header=true}) and
 *       written as Parquet, the yardstick of what a plain copy costs;</li>
 *   <li>{@code lake/}: a fresh lakehouse and one catch-up {@link BronzeIngest} run over the
 *       same files (the files ingest discovers are the files the plain copy reads);</li>
 *   <li>{@code --rounds} times (default 5) the plain copy then the ingest (into the emptied
 *       lakehouse), so JIT warm-up and the page cache favour neither side; each side's time
 *       is the median of its runs (five, so that it leaves out the first round, in which
 *       both sides compile their code, and an occasional round slowed by page faults), and
 *       the JVM's CPU time per run is reported beside it (on a shared machine wall times vary
 *       more than CPU times), with its share in the kernel, the generated classes, JIT and GC
 *       time of each run, and the first round's ratio, the one of a nightly in a fresh
 *       JVM.</li>
 * </ol>
 * The report goes to stdout, progress to stderr, and one JSON line per run to
 * {@code <results>/ingest-<timestamp>.json}. Nothing here asserts a time: the numbers are for
 * people to read and compare.
 *
 * <p>Usage: {@code IngestBenchmark ingest [--persons N] [--days D] [--rounds R] [--work DIR]
 * [--conf FILE] [--results DIR]}; a flag given twice takes its last value. Exit code 0 on success, 1 when the
 * benchmark fails, 2 on bad usage.
 */
public final class IngestBenchmark {
  private static final String USAGE = "usage: bench ingest [--persons N] [--days D] "
      + "[--rounds R] [--work DIR] [--conf FILE] [--results DIR]";
  private static final String MARKER = "bench-sample.properties";

  private final Options options;

  private IngestBenchmark(Options options) {
    this.options = options;
  }

  /** Runs the benchmark and exits with 0, 1 (failure) or 2 (bad usage). */
  public static void main(String[] args) {
    int code;
    try {
      new IngestBenchmark(Options.parse(args)).run();
      code = 0;
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(USAGE);
      code = 2;
    } catch (RuntimeException e) {
      System.err.println("bench: failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  /** Command-line options; relative paths are taken against the working directory. */
  record Options(int persons, int days, int rounds, Path work, Path conf, Path results) {
    static Options parse(String[] args) {
      Map<String, String> flags = BenchFlags.parse("ingest", args, Map.of("--persons",
          "200000", "--days", "365", "--rounds", "5", "--work", "bench/work",
          "--conf", "conf/application.conf", "--results", "bench/results"));
      return new Options(positive(flags, "--persons"), positive(flags, "--days"),
          positive(flags, "--rounds"),
          Path.of(flags.get("--work")).toAbsolutePath().normalize(),
          Path.of(flags.get("--conf")), Path.of(flags.get("--results")).toAbsolutePath());
    }

    private static int positive(Map<String, String> flags, String flag) {
      try {
        int n = Integer.parseInt(flags.get(flag).replace("_", ""));
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below with the value
      }
      throw new IllegalArgumentException(flag + " must be a positive whole number: "
          + flags.get(flag));
    }
  }

  /** What the landing folder of one source holds. */
  private record Input(SourceSettings source, List<String> paths, long bytes) {}

  private void run() {
    CdpSettings settings = CdpConfigLoader.load(options.conf(), overrides());
    double generationSeconds = ensureSampleData(settings.sample());
    deleteTree(options.work().resolve("lake"));
    deleteTree(options.work().resolve("plain"));

    long started = System.nanoTime();
    SparkSession spark = SparkSessions.create(settings);
    progress(String.format(Locale.ROOT, "Spark %s started in %.1f s, master %s", spark.version(),
        seconds(started), spark.sparkContext().master()));
    // The plain copy reads CSV files whose header changed mid-history on purpose; Spark would
    // warn once per file.
    Configurator.setLevel("org.apache.spark.sql.catalyst.csv.CSVHeaderChecker", Level.ERROR);
    try {
      int cores = spark.sparkContext().defaultParallelism();
      List<Input> inputs = discover(spark, settings);

      Lakehouse lake = new Lakehouse(spark, settings.lakehouse());
      started = System.nanoTime();
      lake.ensureTables();
      double ensureSeconds = seconds(started);
      progress(String.format(Locale.ROOT, "ensureTables: %.1f s", ensureSeconds));
      List<Timed> plain = new ArrayList<>();
      List<Timed> ingest = new ArrayList<>();
      for (int round = 1; round <= options.rounds(); round++) {
        progress("round " + round + " of " + options.rounds());
        plain.add(plainCopy(spark, inputs));
        if (round > 1) {
          emptyLakehouse(spark, lake, settings);
        }
        ingest.add(ingest(lake, settings));
      }
      Result result = new Result(options.persons(), options.days(), cores, generationSeconds,
          inputs, plain, ensureSeconds, ingest, plainRows(spark, inputs));
      System.out.println(result.text());
      Path file = writeJson(result.json());
      System.out.println("result appended to " + file);
    } finally {
      spark.stop();
    }
  }

  /**
   * One run: its wall time, the CPU time the JVM used meanwhile and its share in the kernel,
   * the classes Spark generated and compiled for it (a class whose code it compiled before in
   * this JVM is reused from Spark's cache, its machine code warm), the JIT compilers' and the
   * garbage collectors' time, and the ingest's report.
   */
  private record Timed(double seconds, double cpuSeconds, double systemSeconds, long classes,
      double jitSeconds, double gcSeconds, IngestReport report) {
    String describe() {
      return String.format(Locale.ROOT, "%.1f s (CPU %.1f s, of it in the kernel %s;"
          + " %d generated classes compiled, JIT %.1f s, GC %.1f s)", seconds, cpuSeconds,
          Double.isNaN(systemSeconds) ? "unknown"
              : String.format(Locale.ROOT, "%.1f s", systemSeconds),
          classes, jitSeconds, gcSeconds);
    }
  }

  /** Counters read before a run: the run's share is the difference afterwards. */
  private record Counters(long started, double cpu, double system, long classes, double jit,
      double gc) {
    static Counters now() {
      return new Counters(System.nanoTime(), cpuSeconds(), systemSeconds(), generatedClasses(),
          jitSeconds(), gcSeconds());
    }

    Timed timed(IngestReport report) {
      return new Timed(seconds(started), cpuSeconds() - cpu, systemSeconds() - system,
          generatedClasses() - classes, jitSeconds() - jit, gcSeconds() - gc, report);
    }
  }

  /**
   * CPU time this process has spent in the kernel (page faults, file reads), in seconds, from
   * Linux's {@code /proc/self/stat} at 100 ticks a second; NaN where there is none.
   */
  static double systemSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the command name in parentheses: state is field 3, stime field 15
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[12]) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Classes Spark's code generation has compiled in this JVM (cache misses). */
  static long generatedClasses() {
    return org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
  }

  /** Time the garbage collectors report for this JVM (their pauses and cycles), in seconds. */
  static double gcSeconds() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
        .filter(t -> t > 0).sum() / 1e3;
  }

  /** Time the JIT compilers have spent in this JVM, in seconds. */
  static double jitSeconds() {
    return java.lang.management.ManagementFactory.getCompilationMXBean()
        .getTotalCompilationTime() / 1e3;
  }

  /** One catch-up ingest of every pending file into the (empty) lakehouse. */
  private static Timed ingest(Lakehouse lake, CdpSettings settings) {
    progress("cdp bronze ingest");
    Counters before = Counters.now();
    IngestReport report = new BronzeIngest(lake, settings, IngestBenchmark::progress)
        .run(new IngestRequest(LocalDate.now(ZoneOffset.UTC), false, false, List.of()));
    Timed timed = before.timed(report);
    progress("bronze ingest: " + timed.describe());
    return timed;
  }

  /** Drops every table and deletes the lakehouse folder, then creates the tables anew. */
  private void emptyLakehouse(SparkSession spark, Lakehouse lake, CdpSettings settings) {
    for (CdpTable table : CdpTable.values()) {
      spark.sql("DROP TABLE IF EXISTS " + lake.name(table));
    }
    for (Layer layer : Layer.values()) {
      deleteTree(Path.of(settings.lakehouse().root()).resolve(layer.folder()));
    }
    lake.ensureTables();
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("cdp.lakehouse.root", options.work().resolve("lake").toString());
    overrides.put("cdp.sample.root", options.work().resolve("sample").toString());
    overrides.put("cdp.sample.persons", Integer.toString(options.persons()));
    overrides.put("cdp.sample.days", Integer.toString(options.days()));
    overrides.put("cdp.spark.master", "local[*]");
    overrides.put("cdp.spark.conf.\"spark.ui.enabled\"", "false");
    return overrides;
  }

  /**
   * Generates the sample data unless the marker says it was made with these parameters;
   * returns the generation time in seconds, or NaN when the existing data was reused.
   */
  static double ensureSampleData(SampleSettings sample) {
    Path root = Path.of(sample.root());
    Path marker = root.resolve(MARKER);
    Properties wanted = new Properties();
    wanted.setProperty("persons", Integer.toString(sample.persons()));
    wanted.setProperty("days", Integer.toString(sample.days()));
    wanted.setProperty("end-date", sample.endDate().toString());
    wanted.setProperty("seed", Long.toString(sample.seed()));
    try {
      if (Files.isRegularFile(marker) && Files.isDirectory(root.resolve("landing"))) {
        Properties found = new Properties();
        try (var in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
          found.load(in);
        }
        if (found.equals(wanted)) {
          progress("sample data for " + wanted + " already in " + root + "; reusing it");
          return Double.NaN;
        }
      }
      Files.deleteIfExists(marker);
      progress(String.format(Locale.ROOT, "generating sample data: %,d persons, %d days, "
          + "into %s", sample.persons(), sample.days(), root));
      long started = System.nanoTime();
      SampleDataGenerator.generate(sample, IngestBenchmark::progress);
      double generation = seconds(started);
      try (var out = Files.newBufferedWriter(marker, StandardCharsets.UTF_8)) {
        wanted.store(out, "parameters of the sample data in this folder (scripts/bench)");
      }
      progress(String.format(Locale.ROOT, "sample data generated in %.1f s", generation));
      return generation;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + marker, e);
    }
  }

  /** The files of every enabled source, exactly as the ingest discovers them. */
  private static List<Input> discover(SparkSession spark, CdpSettings settings) {
    List<Input> inputs = new ArrayList<>();
    for (SourceSettings source : settings.enabledSources()) {
      if (source.format() != SourceFormat.JSON && source.format() != SourceFormat.CSV) {
        throw new CdpException("the ingest benchmark compares JSON and CSV sources only; "
            + "source '" + source.name() + "' is " + source.format() + ": disable it in the "
            + "configuration");
      }
      List<SourceFile> files = FileDiscovery.discover(
          spark.sparkContext().hadoopConfiguration(), source, null,
          LocalDate.now(ZoneOffset.UTC));
      inputs.add(new Input(source, files.stream().map(SourceFile::path).toList(),
          files.stream().mapToLong(SourceFile::size).sum()));
    }
    return inputs;
  }

  /** Reads every source with Spark's default reader and writes it as Parquet. */
  private Timed plainCopy(SparkSession spark, List<Input> inputs) {
    progress("plain Spark copy of " + inputs.size() + " sources");
    Counters before = Counters.now();
    for (Input input : inputs) {
      String[] paths = input.paths().toArray(String[]::new);
      Dataset<Row> rows = input.source().format() == SourceFormat.JSON
          ? spark.read().json(paths)
          : spark.read().option("header", "true").csv(paths);
      rows.write().mode(SaveMode.Overwrite).parquet(plainPath(input));
    }
    Timed timed = before.timed(null);
    progress("plain Spark copy: " + timed.describe());
    return timed;
  }

  /** Rows each plain copy wrote (a Parquet footer count, after the timed runs). */
  private Map<String, Long> plainRows(SparkSession spark, List<Input> inputs) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (Input input : inputs) {
      rows.put(input.source().name(), spark.read().parquet(plainPath(input)).count());
    }
    return rows;
  }

  private String plainPath(Input input) {
    return options.work().resolve("plain").resolve(input.source().name()).toString();
  }

  private Path writeJson(String line) {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC).format(Instant.now());
    Path file = options.results().resolve("ingest-" + stamp + ".json");
    try {
      Files.createDirectories(options.results());
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The measurements of one benchmark run and their two renderings. */
  private record Result(int persons, int days, int cores, double generationSeconds,
      List<Input> inputs, List<Timed> plain, double ensureSeconds, List<Timed> ingest,
      Map<String, Long> plainRows) {

    IngestReport report() {
      return ingest.get(ingest.size() - 1).report();
    }

    long records() {
      return report().rows() + report().quarantined();
    }

    long bytes() {
      return inputs.stream().mapToLong(Input::bytes).sum();
    }

    int files() {
      return inputs.stream().mapToInt(i -> i.paths().size()).sum();
    }

    double plainSeconds() {
      return median(plain, Timed::seconds);
    }

    double ingestSeconds() {
      return median(ingest, Timed::seconds);
    }

    double ratio() {
      return plainSeconds() / ingestSeconds();
    }

    /** The first round's ratio: both sides compile their code and warm the JIT in it. */
    double firstRatio() {
      return plain.get(0).seconds() / ingest.get(0).seconds();
    }

    private static double median(List<Timed> runs, java.util.function.ToDoubleFunction<Timed> f) {
      double[] v = runs.stream().mapToDouble(f).sorted().toArray();
      return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String runs(List<Timed> runs) {
      return runs.stream().map(t -> String.format(Locale.ROOT, "%.1f s", t.seconds()))
          .collect(Collectors.joining(", "));
    }

    String text() {
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "ingest benchmark: %,d persons, %d days, %,d records,"
          + " %,.0f MB in %,d files, %d cores%n", persons, days, records(), bytes() / 1e6,
          files(), cores));
      s.append(Double.isNaN(generationSeconds) ? "sample data: reused from an earlier run\n"
          : String.format(Locale.ROOT, "sample data: generated in %.1f s%n", generationSeconds));
      s.append(String.format(Locale.ROOT, "order: %d rounds of plain copy then cdp ingest (into"
          + " an emptied lakehouse), in one JVM and one Spark session; times are medians%n",
          plain.size()));
      s.append(String.format(Locale.ROOT, "%-52s %s  (runs: %s)%n",
          "plain Spark copy (read json/csv -> write parquet):", rates(plainSeconds()),
          runs(plain)));
      s.append(String.format(Locale.ROOT, "%-52s %s, per core %,.0f records/s  (runs: %s)%n",
          "cdp bronze ingest:", rates(ingestSeconds()), records() / ingestSeconds() / cores,
          runs(ingest)));
      s.append(String.format(Locale.ROOT, "%-52s %.1f s (not in the ingest time)%n",
          "ensureTables:", ensureSeconds));
      double plainCpu = median(plain, Timed::cpuSeconds);
      double ingestCpu = median(ingest, Timed::cpuSeconds);
      s.append(String.format(Locale.ROOT, "%-52s plain %.1f s, ingest %.1f s, ratio %.2f%n",
          "CPU time of the JVM per run (median):", plainCpu, ingestCpu, plainCpu / ingestCpu));
      s.append(String.format(Locale.ROOT, "%-52s plain %d, ingest %d; JIT plain %.1f s,"
          + " ingest %.1f s%n", "generated classes compiled per run (median):",
          Math.round(median(plain, Timed::classes)), Math.round(median(ingest, Timed::classes)),
          median(plain, Timed::jitSeconds), median(ingest, Timed::jitSeconds)));
      s.append(String.format(Locale.ROOT, "%-52s %.2f (plain %.1f s, ingest %.1f s)%n",
          "ratio of the first round (a cold JVM, as a nightly):", firstRatio(),
          plain.get(0).seconds(), ingest.get(0).seconds()));
      s.append(String.format(Locale.ROOT, "ratio ingest/plain throughput: %.2f (goal >= 0.7)%n",
          ratio()));
      s.append(String.format(Locale.ROOT, "%n  %-9s %6s %9s %12s %12s %12s%n", "source",
          "files", "MB", "bronze", "quarantined", "plain rows"));
      for (IngestReport.SourceReport r : report().sources()) {
        s.append(String.format(Locale.ROOT, "  %-9s %,6d %,9.1f %,12d %,12d %,12d%n",
            r.source(), r.files(), r.bytes() / 1e6, r.rows(), r.quarantined(),
            plainRows.getOrDefault(r.source(), 0L)));
      }
      return s.toString().stripTrailing();
    }

    private static String json(List<Timed> runs) {
      return json(runs, t -> String.format(Locale.ROOT, "%.2f", t.seconds()));
    }

    private static String json(List<Timed> runs, java.util.function.Function<Timed, String> f) {
      return runs.stream().map(f).collect(Collectors.joining(",", "[", "]"));
    }

    private String rates(double seconds) {
      return String.format(Locale.ROOT, "%.1f s, %,.0f records/s, %.1f MB/s", seconds,
          records() / seconds, bytes() / 1e6 / seconds);
    }

    String json() {
      String sources = report().sources().stream().map(r -> String.format(Locale.ROOT,
          "{\"source\":\"%s\",\"files\":%d,\"bytes\":%d,\"bronze\":%d,\"quarantined\":%d,"
              + "\"plain_rows\":%d}", r.source(), r.files(), r.bytes(), r.rows(),
          r.quarantined(), plainRows.getOrDefault(r.source(), 0L)))
          .collect(Collectors.joining(",", "[", "]"));
      return String.format(Locale.ROOT, "{\"benchmark\":\"ingest\",\"at\":\"%s\","
          + "\"persons\":%d,\"days\":%d,\"cores\":%d,\"records\":%d,\"bytes\":%d,\"files\":%d,"
          + "\"generation_s\":%s,\"plain_s\":%s,\"plain_median_s\":%.2f,"
          + "\"ensure_tables_s\":%.2f,\"ingest_s\":%s,\"ingest_median_s\":%.2f,"
          + "\"plain_cpu_s\":%.2f,\"ingest_cpu_s\":%.2f,\"ingest_records_per_s\":%.0f,"
          + "\"plain_records_per_s\":%.0f,\"ratio\":%.3f,\"first_round_ratio\":%.3f,"
          + "\"plain_classes\":%s,\"ingest_classes\":%s,\"plain_jit_s\":%s,"
          + "\"ingest_jit_s\":%s,\"sources\":%s}",
          Instant.now(), persons, days, cores, records(), bytes(), files(),
          Double.isNaN(generationSeconds) ? "null"
              : String.format(Locale.ROOT, "%.2f", generationSeconds),
          json(plain), plainSeconds(), ensureSeconds, json(ingest), ingestSeconds(),
          median(plain, Timed::cpuSeconds), median(ingest, Timed::cpuSeconds),
          records() / ingestSeconds(),
          records() / plainSeconds(), ratio(), firstRatio(),
          json(plain, t -> Long.toString(t.classes())),
          json(ingest, t -> Long.toString(t.classes())),
          json(plain, t -> String.format(Locale.ROOT, "%.2f", t.jitSeconds())),
          json(ingest, t -> String.format(Locale.ROOT, "%.2f", t.jitSeconds())),
          sources);
    }
  }

  /**
   * Appends one JSON line to {@code <results>/<benchmark>-<UTC instant>.json}, prints where,
   * and returns the file.
   */
  static Path appendResult(String results, String benchmark, CharSequence line) {
    Path dir = Path.of(results).toAbsolutePath();
    Path file = dir.resolve(benchmark + "-" + Instant.now().toString().replace(':', '-')
        + ".json");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    System.out.println("result appended to " + file);
    return file;
  }

  static void deleteTree(Path dir) {
    try {
      LocalFiles.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** CPU time this JVM has used so far, every thread, in seconds. */
  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  static void progress(String line) {
    System.err.println(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
        .withZone(ZoneOffset.UTC).format(Instant.now()) + " " + line);
  }
}
