package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.Parallel;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SourceSettings;
import org.lakecdp.core.config.SourceSettings.SourceFormat;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.OpsColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.lakecdp.core.privacy.Suppression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bronze ingest job: reads what each declared source has that bronze does not, and
 * writes it to {@code cdp_bronze.events} (valid records) and {@code cdp_bronze.quarantine}
 * (records that cannot be ingested, with the reason).
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Incremental</b>: {@code cdp_ops.ingested_files} remembers every file (path, size,
 *       modification time) and JDBC range ingested; a run reads only new or changed files and
 *       rows past the watermark.</li>
 *   <li><b>Idempotent</b>: each table gets one Delta commit per run that replaces whatever the
 *       same files produced before ({@code replaceWhere} on source and file), so running a
 *       day twice, or again after a crash, never duplicates a record.</li>
 *   <li><b>All or nothing</b>: when a run fails after it started writing, the tables it wrote
 *       are restored to their versions from before the run, and the run is recorded FAILED.</li>
 *   <li><b>Reruns</b>: {@code --force} re-reads a day's files and replaces what they produced
 *       before; a JDBC source is only ever read past its watermark, since a table has no
 *       history to re-read a past day from.</li>
 *   <li><b>Nothing lost</b>: a source whose quarantined share passes
 *       {@code cdp.ingest.max-quarantine-fraction} fails the run rather than loading a broken
 *       feed.</li>
 * </ul>
 */
public final class BronzeIngest {
  /** Job name in the run ledger. */
  public static final String JOB = "ingest";

  private static final Logger LOG = LoggerFactory.getLogger(BronzeIngest.class);
  private static final String FILE_DATE = "file_logical_date";

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final Consumer<String> progress;

  public BronzeIngest(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs one ingest; throws {@link CdpException} (after undoing its writes) on failure. */
  public IngestReport run(IngestRequest request) {
    List<SourceSettings> sources = selectSources(request);
    RunLedger ledger = new RunLedger(lake, settings);
    RunContext run = ledger.start(JOB, request.logicalDate());
    Map<CdpTable, Long> before = new EnumMap<>(CdpTable.class);
    for (CdpTable t : List.of(CdpTable.BRONZE_EVENTS, CdpTable.BRONZE_QUARANTINE,
        CdpTable.OPS_INGESTED_FILES)) {
      before.put(t, lake.version(t));
    }
    progress.accept("ingest " + run.runId() + ": " + sources.size() + " source(s), "
        + (request.onlyThatDate() ? "date " + request.logicalDate() : "all pending files")
        + (request.force() ? ", forced" : ""));
    try {
      List<Batch> batches = plan(sources, request);
      Map<String, Long> versions = new LinkedHashMap<>();
      IngestReport report = batches.isEmpty()
          ? new IngestReport(run.runId(), request.logicalDate(), List.of(), 0)
          : write(run, batches, versions);
      ledger.succeed(run, outcome(report, versions));
      return report;
    } catch (Exception e) {
      LOG.error("ingest run {} failed: {}", run.runId(), e.getMessage());
      before.forEach((table, version) -> lake.restore(table, version, run.runId()));
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
          : new CdpException("ingest run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  private List<SourceSettings> selectSources(IngestRequest request) {
    if (request.sources().isEmpty()) {
      return settings.enabledSources();
    }
    return request.sources().stream().map(settings::source).toList();
  }

  /** Work for one source: files to read, or one JDBC range. */
  private record Batch(SourceSettings source, List<SourceFile> files, JdbcReader.Range range) {
    String predicate() {
      String bySource = BronzeColumns.SOURCE + " = " + Lakehouse.quote(source.name());
      if (range != null) {
        return "(" + bySource + " AND startswith(" + BronzeColumns.SOURCE_FILE + ", "
            + Lakehouse.quote(JdbcReader.prefix(source, range.low())) + "))";
      }
      return "(" + bySource + " AND " + BronzeColumns.SOURCE_FILE + " IN ("
          + files.stream().map(f -> Lakehouse.quote(f.path())).collect(Collectors.joining(", "))
          + "))";
    }

    long bytes() {
      return files.stream().mapToLong(SourceFile::size).sum();
    }

    /** This batch reduced to the files (or range) named in {@code names}; null if none is. */
    Batch only(Set<String> names) {
      if (range != null) {
        return names.contains(JdbcReader.describe(source, range)) ? this : null;
      }
      List<SourceFile> kept = files.stream().filter(f -> names.contains(f.path())).toList();
      return kept.isEmpty() ? null : new Batch(source, kept, null);
    }
  }

  private List<Batch> plan(List<SourceSettings> sources, IngestRequest request) {
    Map<String, Map<String, IngestedFile>> done = ingestedFiles();
    List<Batch> batches = new ArrayList<>();
    for (SourceSettings source : sources) {
      Map<String, IngestedFile> previous = done.getOrDefault(source.name(), Map.of());
      if (source.format() == SourceFormat.JDBC) {
        planJdbc(source, previous, request, batches);
        continue;
      }
      List<SourceFile> found = FileDiscovery.discover(
          lake.spark().sparkContext().hadoopConfiguration(), source,
          request.onlyThatDate() ? request.logicalDate() : null, request.logicalDate());
      List<SourceFile> todo = new ArrayList<>();
      for (SourceFile file : found) {
        IngestedFile before = previous.get(file.path());
        boolean forcedHere = request.force() && (source.datedPath()
            || before == null || before.logicalDate().equals(request.logicalDate()));
        if (before == null || !before.sameAs(file) || forcedHere) {
          todo.add(before != null && !source.datedPath()
              ? new SourceFile(file.path(), file.size(), file.modifiedAt(), before.logicalDate())
              : file);
        }
      }
      progress.accept(String.format(Locale.ROOT, "  source '%s': %d file(s) found, %d to ingest"
          + " (%s)", source.name(), found.size(), todo.size(), megabytes(todo)));
      if (!todo.isEmpty()) {
        batches.add(new Batch(source, todo, null));
      }
    }
    return batches;
  }

  private void planJdbc(SourceSettings source, Map<String, IngestedFile> previous,
      IngestRequest request, List<Batch> batches) {
    if (request.force()) {
      progress.accept("  source '" + source.name() + "': --force does not re-read a database"
          + " table (it keeps no history of a past day, so re-reading would drop the versions"
          + " ingested before); reading rows past the watermark as usual");
    }
    String last = previous.values().stream().map(IngestedFile::watermarkHigh)
        .filter(w -> w != null).max(BronzeIngest::compareWatermarks).orElse(null);
    JdbcReader.nextRange(source, last).ifPresent(range -> {
      progress.accept("  source '" + source.name() + "': rows with " + source.jdbc()
          .watermarkColumn() + " in (" + (range.low() == null ? "" : range.low()) + ", "
          + range.high() + "]");
      batches.add(new Batch(source, List.of(), range));
    });
    if (batches.stream().noneMatch(b -> b.source() == source)) {
      progress.accept("  source '" + source.name() + "': no new rows");
    }
  }

  private static int compareWatermarks(String a, String b) {
    if (a.matches("-?\\d+(\\.\\d+)?") && b.matches("-?\\d+(\\.\\d+)?")) {
      return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
    }
    return a.compareTo(b);
  }

  /** Writes the batches; records the Delta version written per table in {@code versions}. */
  private IngestReport write(RunContext run, List<Batch> batches, Map<String, Long> versions) {
    String predicate = batches.stream().map(Batch::predicate)
        .collect(Collectors.joining(" OR "));
    progress.accept("  writing " + lake.name(CdpTable.BRONZE_EVENTS));
    Suppression suppression = new Suppression(lake, settings);
    boolean suppressing = suppression.active();
    IngestTally seen = IngestTally.register(lake.spark(), "bronze_ingest_" + run.runId(),
        settings.ingest().quarantineInMemoryRows());
    Dataset<Row> valid = mapped(batches, run, m -> BronzeMapping.validRows(m, seen));
    if (suppressing) {
      // the suppressed rows are found by a second pass, one that counts nothing
      valid = suppression.withoutSuppressedFoundIn(valid,
          mapped(batches, run, BronzeMapping::validRows));
    }
    long version = lake.replaceWhere(CdpTable.BRONZE_EVENTS, valid, predicate, run.runId());
    versions.put(lake.name(CdpTable.BRONZE_EVENTS), version);
    IngestTally.Tally tally = seen.value();
    long validRecords = tally.records() - tally.quarantined();
    // the quarantine write replaces the rows of every batch's files, as the events write does
    Dataset<Row> quarantined;
    String writing = String.format(Locale.ROOT, "  writing %s (%,d record(s), ",
        lake.name(CdpTable.BRONZE_QUARANTINE), tally.quarantined());
    if (!tally.isOverflowed()) {
      progress.accept(writing + "kept while reading)");
      quarantined = quarantineRows(tally.quarantinedRecords(), run);
    } else {
      // too many to have kept: only the files that held one are read again
      Set<String> badFiles = new HashSet<>(tally.filesWithQuarantined());
      List<Batch> badBatches = batches.stream().map(b -> b.only(badFiles))
          .filter(b -> b != null).toList();
      progress.accept(writing + "more than cdp.ingest.quarantine-in-memory-rows: re-reading the "
          + badFiles.size() + " file(s) that held them)");
      quarantined = BronzeMapping.quarantinedRows(mapped(badBatches, run, m -> m));
    }
    Supplier<Long> quarantine = () -> lake.replaceWhere(CdpTable.BRONZE_QUARANTINE,
        quarantined, predicate, run.runId());

    // what was written per file: the tally's counts, unless erased persons' rows were left out
    // (then counted in the tables, once the quarantine is written)
    Map<String, long[]> counts = null;
    if (suppressing) {
      versions.put(lake.name(CdpTable.BRONZE_QUARANTINE), quarantine.get());
      counts = countsPerFile(run);
    }
    List<IngestReport.SourceReport> reports = new ArrayList<>();
    List<Row> ledgerRows = new ArrayList<>();
    Timestamp now = Timestamp.from(run.startedAt());
    for (Batch batch : batches) {
      long rows = 0;
      long bad = 0;
      List<String> files = batch.range() == null
          ? batch.files().stream().map(SourceFile::path).toList()
          : List.of(JdbcReader.describe(batch.source(), batch.range()));
      for (int i = 0; i < files.size(); i++) {
        long[] c = counts != null
            ? counts.getOrDefault(IngestTally.Tally.key(batch.source().name(), files.get(i)),
                new long[2])
            : written(tally.counts(batch.source().name(), files.get(i)));
        rows += c[0];
        bad += c[1];
        LocalDate date = batch.range() == null ? batch.files().get(i).logicalDate()
            : run.logicalDate();
        ledgerRows.add(RowFactory.create(batch.source().name(), files.get(i),
            batch.range() == null ? batch.files().get(i).size() : null,
            batch.range() == null ? Timestamp.from(batch.files().get(i).modifiedAt()) : null,
            date, c[0], c[1],
            batch.range() == null ? null : batch.range().low(),
            batch.range() == null ? null : batch.range().high(), run.runId(), now));
      }
      reports.add(new IngestReport.SourceReport(batch.source().name(), files.size(),
          batch.bytes(), rows, bad));
    }
    Supplier<Long> ingestedFiles = () -> lake.replaceWhere(CdpTable.OPS_INGESTED_FILES,
        lake.spark().createDataFrame(ledgerRows, OpsColumns.INGESTED_FILES), predicate,
        run.runId());
    if (suppressing) {
      versions.put(lake.name(CdpTable.OPS_INGESTED_FILES), ingestedFiles.get());
    } else {
      // three small commits and a look-up, independent of each other: side by side (a failed
      // check undoes them all, as any failure after the first write does)
      Supplier<Long> check = () -> {
        checkWritten(tally, version, run);
        return version;
      };
      List<Long> written = Parallel.map(List.of(quarantine, ingestedFiles, check), 3,
          Supplier::get, "writing the ingest's tables");
      versions.put(lake.name(CdpTable.BRONZE_QUARANTINE), written.get(0));
      versions.put(lake.name(CdpTable.OPS_INGESTED_FILES), written.get(1));
    }
    for (IngestReport.SourceReport r : reports) {
      progress.accept(String.format(Locale.ROOT, "  source '%s': %,d record(s) to bronze, %,d "
          + "quarantined", r.source(), r.rows(), r.quarantined()));
      checkQuarantineShare(r.source(), r.rows(), r.quarantined(), run);
    }
    long suppressed = 0;
    if (suppressing) {
      // rows of erased persons are left out, counted, never stored
      long written = reports.stream().mapToLong(IngestReport.SourceReport::rows).sum();
      suppressed = validRecords - written;
      progress.accept(String.format(Locale.ROOT, "  %,d record(s) of erased persons not"
          + " ingested (%s)", suppressed, lake.name(CdpTable.OPS_SUPPRESSION_LIST)));
    }
    return new IngestReport(run.runId(), run.logicalDate(), reports, suppressed);
  }

  /**
   * The bronze mapping of every batch's records (with the quarantine reason). A source's files
   * are read in tasks of about {@code cdp.ingest.task-megabytes} of input each: Spark would
   * give many small files a task (and a bronze file) each, and every task costs a plan to
   * deserialise, writers and statistics to set up and a Parquet footer to write. Sources with
   * the largest tasks come first, so the last tasks to start are short ones and no core idles
   * while one long task finishes.
   */
  private Dataset<Row> mapped(List<Batch> batches, RunContext run,
      UnaryOperator<Dataset<Row>> each) {
    long taskBytes = settings.ingest().taskMegabytes() << 20;
    List<Batch> ordered = new ArrayList<>(batches);
    // JDBC ranges (of no known size) first, then the sources with the largest tasks
    ordered.sort(Comparator.comparingLong((Batch b) -> b.range() != null ? Long.MAX_VALUE
        : b.bytes() / tasks(b, taskBytes)).reversed());
    Dataset<Row> mapped = null;
    for (Batch batch : ordered) {
      Dataset<Row> one = each.apply(mapBatch(lake.spark(), batch, run));
      if (batch.range() == null) {
        // never more tasks than Spark's own split of the files: coalesce only merges
        one = one.coalesce((int) Math.min(tasks(batch, taskBytes), Integer.MAX_VALUE));
      }
      mapped = mapped == null ? one : mapped.unionByName(one);
    }
    return mapped;
  }

  /** Tasks of about {@code taskBytes} of input that a batch of files is read in. */
  private static long tasks(Batch batch, long taskBytes) {
    return Math.max(1, (batch.bytes() + taskBytes - 1) / taskBytes);
  }

  private Dataset<Row> mapBatch(SparkSession spark, Batch batch, RunContext run) {
    SourceSettings source = batch.source();
    if (batch.range() != null) {
      return BronzeMapping.mapToBronze(JdbcReader.read(spark, source, batch.range()), source,
          settings.ingest(), run, run.logicalDate());
    }
    Dataset<Row> raw = RawRecordReader.read(spark, source, batch.files());
    Map<LocalDate, Long> dates = batch.files().stream().collect(
        Collectors.groupingBy(SourceFile::logicalDate, Collectors.counting()));
    if (dates.size() == 1) {
      return BronzeMapping.mapToBronze(raw, source, settings.ingest(), run,
          dates.keySet().iterator().next());
    }
    List<Row> fileDates = batch.files().stream()
        .map(f -> RowFactory.create(f.path(), f.logicalDate())).toList();
    StructType schema = new StructType()
        .add(RawColumns.FILE, DataTypes.StringType, false)
        .add(FILE_DATE, DataTypes.DateType, false);
    Dataset<Row> withDates = raw.join(broadcast(spark.createDataFrame(fileDates, schema)),
            RawColumns.FILE)
        .withColumnRenamed(FILE_DATE, BronzeColumns.LOGICAL_DATE);
    return BronzeMapping.mapToBronze(withDates, source, settings.ingest(), run, null);
  }

  /**
   * Fails the run when the rows Delta wrote to {@code cdp_bronze.events} are not the valid
   * records the tally counted: what would be recorded per file would be wrong.
   */
  private void checkWritten(IngestTally.Tally tally, long version, RunContext run) {
    checkWritten(tally.records() - tally.quarantined(),
        lake.operationMetrics(CdpTable.BRONZE_EVENTS, version), run.runId(),
        lake.name(CdpTable.BRONZE_EVENTS) + " version " + version);
  }

  /**
   * Compares the valid records {@code counted} with the rows a Delta commit's operation
   * metrics say it added ({@code numOutputRows} less the {@code numCopiedRows} of rewritten
   * files); without a row count in the metrics there is nothing to compare, which is logged.
   */
  static void checkWritten(long counted, Map<String, String> metrics, String runId,
      String commit) {
    if (!metrics.containsKey("numOutputRows")) {
      LOG.warn("ingest run {}: Delta recorded no row count for {}; the tally is not checked",
          runId, commit);
      return;
    }
    long written = Long.parseLong(metrics.get("numOutputRows"))
        - Long.parseLong(metrics.getOrDefault("numCopiedRows", "0"));
    if (written != counted) {
      throw new CdpException(String.format(Locale.ROOT, "ingest run %s: %,d valid records"
          + " counted but %,d written to %s; not recording this run", runId, counted,
          written, commit));
    }
  }

  /** {records to bronze, quarantined} from a tally's {records seen, quarantined}. */
  private static long[] written(long[] seen) {
    return new long[] {seen[0] - seen[1], seen[1]};
  }

  /** Quarantine rows of the records an ingest tally kept. */
  private Dataset<Row> quarantineRows(List<IngestTally.Quarantined> records, RunContext run) {
    Timestamp at = Timestamp.from(run.startedAt());
    List<Row> rows = new ArrayList<>(records.size());
    for (IngestTally.Quarantined q : records) {
      rows.add(RowFactory.create(q.source(), q.file(), q.reason(), q.raw(),
          java.sql.Date.valueOf(LocalDate.parse(q.logicalDate())), run.runId(), at));
    }
    return lake.spark().createDataFrame(rows, BronzeColumns.QUARANTINE);
  }

  private Map<String, long[]> countsPerFile(RunContext run) {
    Map<String, long[]> counts = new HashMap<>();
    for (int t = 0; t < 2; t++) {
      CdpTable table = t == 0 ? CdpTable.BRONZE_EVENTS : CdpTable.BRONZE_QUARANTINE;
      for (Row r : lake.read(table).filter(col(BronzeColumns.RUN_ID).equalTo(run.runId()))
          .groupBy(BronzeColumns.SOURCE, BronzeColumns.SOURCE_FILE).count().collectAsList()) {
        counts.computeIfAbsent(IngestTally.Tally.key(r.getString(0), r.getString(1)),
            k -> new long[2])[t] = r.getLong(2);
      }
    }
    return counts;
  }

  private void checkQuarantineShare(String source, long rows, long bad, RunContext run) {
    long total = rows + bad;
    double max = settings.ingest().maxQuarantineFraction();
    if (total > 0 && (double) bad / total > max) {
      Row top = lake.read(CdpTable.BRONZE_QUARANTINE)
          .filter(col(BronzeColumns.RUN_ID).equalTo(run.runId())
              .and(col(BronzeColumns.SOURCE).equalTo(source)))
          .groupBy(BronzeColumns.REASON).count()
          .orderBy(col("count").desc(), col(BronzeColumns.REASON)).first();
      // ties between reasons go to the first by name, so the message is the same every run
      throw CdpException.source(source, String.format(Locale.ROOT,
          "%,d of %,d records quarantined (%.0f%%), above cdp.ingest.max-quarantine-fraction"
              + " = %s; most common reason: %s", bad, total, 100.0 * bad / total, max,
          top.getString(0)));
    }
  }

  /** Every ingested file and range, by source and file. */
  private Map<String, Map<String, IngestedFile>> ingestedFiles() {
    Map<String, Map<String, IngestedFile>> bySource = new HashMap<>();
    for (Row r : lake.read(CdpTable.OPS_INGESTED_FILES).select(OpsColumns.SOURCE,
        OpsColumns.SOURCE_FILE, OpsColumns.FILE_SIZE, OpsColumns.FILE_MODIFIED_AT,
        OpsColumns.LOGICAL_DATE, OpsColumns.WATERMARK_LOW, OpsColumns.WATERMARK_HIGH)
        .collectAsList()) {
      IngestedFile f = new IngestedFile(r.getString(0), r.getString(1),
          r.isNullAt(2) ? null : r.getLong(2),
          r.isNullAt(3) ? null : r.getTimestamp(3).toInstant(),
          r.getDate(4).toLocalDate(), r.getString(5), r.getString(6));
      bySource.computeIfAbsent(f.source(), s -> new HashMap<>()).put(f.sourceFile(), f);
    }
    return bySource;
  }

  private static RunOutcome outcome(IngestReport report, Map<String, Long> versions) {
    Map<String, String> details = new LinkedHashMap<>();
    for (IngestReport.SourceReport s : report.sources()) {
      details.put(s.source() + ".files", Long.toString(s.files()));
      details.put(s.source() + ".rows", Long.toString(s.rows()));
      details.put(s.source() + ".quarantined", Long.toString(s.quarantined()));
    }
    details.put("suppressed", Long.toString(report.suppressed()));
    return new RunOutcome(report.rows() + report.quarantined(), report.rows(),
        report.quarantined(), versions, details);
  }

  private static String megabytes(List<SourceFile> files) {
    return String.format(Locale.ROOT, "%.1f MB",
        files.stream().mapToLong(SourceFile::size).sum() / 1e6);
  }

}
