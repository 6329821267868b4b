package org.lakecdp.core.segment.export;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SegmentSettings;
import org.lakecdp.core.config.SegmentSettings.Destination;
import org.lakecdp.core.config.SegmentSettings.Mode;
import org.lakecdp.core.config.SegmentSettings.Segment;
import org.lakecdp.core.lake.AuditLog;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.lakecdp.core.lake.SegmentColumns;
import org.lakecdp.core.privacy.ConsentHistory;
import org.lakecdp.core.privacy.PiiCipher;
import org.lakecdp.core.segment.SegmentCatalog;
import org.lakecdp.core.segment.SegmentEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export job: for each enabled destination and each of its segments, the members of the
 * segment run of the logical date (holdout left out) who consented to the destination's
 * purpose and are not suppressed ({@link Audiences}), by their consent as valid at the end of
 * the run date in {@code cdp_silver.consent_history} ({@link ConsentHistory}), not the
 * profile's current consent columns, in the destination's columns and
 * format, published atomically to {@code <location>/<segment>/<run date>/} with a manifest
 * ({@link FilePublisher}) and recorded in {@code cdp_gold.segment_exports}.
 *
 * <p>A destination and segment is published at most once per run date: a rerun skips what
 * is published. Before anything is published, the safety gate compares each segment's size
 * with its size at the last export to the destination; a change over the limit fails the
 * run with nothing published, unless forced.
 */
public final class Exports {
  /** Job name in the run ledger. */
  public static final String JOB = "export";

  private static final Logger LOG = LoggerFactory.getLogger(Exports.class);

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final SegmentSettings segments;
  private final Consumer<String> progress;

  public Exports(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.settings = settings;
    this.segments = settings.segments();
    this.progress = progress;
  }

  /** Exports the segment run of {@code runDate}; {@code force} passes the safety gate. */
  public ExportReport run(LocalDate runDate, boolean force) {
    SegmentCatalog.validate(segments);
    PiiCipher.fromSettings(settings.privacy());
    RunLedger ledger = new RunLedger(lake, settings);
    RunContext run = ledger.start(JOB, runDate);
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      ExportReport report = export(run, force, versions);
      Map<String, String> details = new LinkedHashMap<>();
      List<AuditLog.Entry> audit = new ArrayList<>();
      long rows = 0;
      for (ExportReport.Export e : report.exports()) {
        details.put(e.destination() + "." + e.segment(), e.rows() >= 0
            ? e.rows() + " -> " + e.location() : e.note());
        rows += Math.max(0, e.rows());
        if (e.rows() >= 0) {
          audit.add(new AuditLog.Entry(AuditLog.EXPORT, e.destination() + "/" + e.segment(),
              "done", Map.of("rows", Long.toString(e.rows()), "location", e.location(),
                  "run_date", runDate.toString())));
        }
      }
      new AuditLog(lake).append(run, audit);
      ledger.succeed(run, new RunOutcome(0, rows, 0, versions, details));
      return report;
    } catch (Exception e) {
      LOG.error("export run {} failed: {}", run.runId(), e.getMessage());
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
          : new CdpException("export run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  private ExportReport export(RunContext run, boolean force, Map<String, Long> versions) {
    LocalDate date = run.logicalDate();
    List<Destination> destinations = segments.enabledDestinations();
    List<ExportReport.Export> out = new ArrayList<>();
    if (destinations.isEmpty()) {
      return new ExportReport(run.runId(), date, out);
    }
    Map<String, Long> sizes = segmentSizes(date);
    Map<String, Row> published = lastExports();
    List<String[]> todo = new ArrayList<>();
    List<String> gate = new ArrayList<>();
    for (Destination d : destinations) {
      for (String s : d.segments()) {
        String folder = folder(d, s, date);
        if (!sizes.containsKey(s)) {
          throw new CdpException("destination '" + d.name() + "': segment '" + s + "' has no"
              + " segment run for " + date + "; run `cdp run segment --date " + date
              + "` first");
        }
        Row same = published.get(d.name() + "|" + s + "|" + date);
        if (same != null || FilePublisher.isPublished(hadoop(), folder)) {
          out.add(new ExportReport.Export(d.name(), s, -1, folder, "already published for "
              + date + (same != null ? " by " + same.getAs(SegmentColumns.RUN_ID) : "")));
          continue;
        }
        Row last = published.get(d.name() + "|" + s);
        if (last != null) {
          String violation = gate(d, s, last, sizes.get(s));
          if (violation != null) {
            gate.add(violation);
          }
        }
        todo.add(new String[] {d.name(), s});
      }
    }
    if (!gate.isEmpty()) {
      if (!force) {
        throw new CdpException(gate.get(0) + (gate.size() > 1 ? " (and " + (gate.size() - 1)
            + " more)" : "") + "; nothing was exported; check the segment, or rerun with"
            + " --force to publish anyway");
      }
      gate.forEach(g -> progress.accept("export: forced past the safety gate: " + g));
    }
    Dataset<Row> profiles = ConsentHistory.profilesWithConsentAsOf(lake, settings, date)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> list = suppressionList();
      for (String[] t : todo) {
        Destination d = segments.destinations().get(t[0]);
        Segment s = segments.segments().get(t[1]);
        out.add(publish(run, d, s, profiles, list, sizes.get(s.name()), !gate.isEmpty(),
            versions));
      }
    } finally {
      profiles.unpersist();
    }
    return new ExportReport(run.runId(), date, out);
  }

  private ExportReport.Export publish(RunContext run, Destination d, Segment s,
      Dataset<Row> profiles, Dataset<Row> list, long size, boolean forced,
      Map<String, Long> versions) {
    LocalDate date = run.logicalDate();
    java.sql.Date day = java.sql.Date.valueOf(date);
    Dataset<Row> exportable = Audiences.selectExportable(profiles, d.purpose(), segments, list);
    Dataset<Row> rows;
    String[] extra = {};
    Dataset<Row> notHeldOut;
    if (d.mode() == Mode.FULL) {
      notHeldOut = lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP)
          .where(col(SegmentColumns.RUN_DATE).equalTo(lit(day))
              .and(col(SegmentColumns.SEGMENT).equalTo(s.name()))
              .and(col(SegmentColumns.HOLDOUT).unary_$bang()))
          .select(SegmentColumns.CUSTOMER_ID);
    } else {
      notHeldOut = lake.read(CdpTable.GOLD_SEGMENT_CHANGES)
          .where(col(SegmentColumns.RUN_DATE).equalTo(lit(day))
              .and(col(SegmentColumns.SEGMENT).equalTo(s.name()))
              .and(SegmentEvaluation.holdout(s.name(), s.holdoutPercent()).unary_$bang()))
          .select(SegmentColumns.CUSTOMER_ID, SegmentColumns.CHANGE);
      extra = new String[] {SegmentColumns.CHANGE};
    }
    rows = Audiences.selectColumns(exportable.join(notHeldOut, ProfileColumns.CUSTOMER_ID),
        d.columns(), s.name(), date, extra)
        .orderBy(d.columns().contains(ProfileColumns.CUSTOMER_ID)
            ? col(ProfileColumns.CUSTOMER_ID) : col(d.columns().get(0)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = rows.count();
      String folder = folder(d, s.name(), date);
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("destination", d.name());
      manifest.put("segment", s.name());
      manifest.put("run_date", date.toString());
      manifest.put("run_id", run.runId());
      manifest.put("purpose", d.purpose());
      manifest.put("format", d.format().name().toLowerCase(Locale.ROOT));
      manifest.put("mode", d.mode().name().toLowerCase(Locale.ROOT));
      manifest.put("columns", List.of(rows.columns()));
      manifest.put("row_count", count);
      manifest.put("segment_size", size);
      manifest.put("forced", forced);
      manifest.put("generated_at", Instant.now().toString());
      FilePublisher.Published p = FilePublisher.publish(rows, d.format(), folder,
          s.name() + "-" + date, "_tmp-" + date + "-" + run.runId(), manifest);
      Row ledgerRow = RowFactory.create(d.name(), s.name(), day, d.purpose(),
          d.mode().name().toLowerCase(Locale.ROOT), size, count, p.folder(), p.sha256(),
          forced, run.runId(), Timestamp.from(Instant.now()));
      versions.put(lake.name(CdpTable.GOLD_SEGMENT_EXPORTS), lake.append(
          CdpTable.GOLD_SEGMENT_EXPORTS, lake.spark().createDataFrame(List.of(ledgerRow),
              SegmentColumns.EXPORTS), run.runId()));
      progress.accept(String.format(Locale.ROOT, "export: %s/%s: %,d row(s) -> %s",
          d.name(), s.name(), count, p.folder()));
      return new ExportReport.Export(d.name(), s.name(), count, p.folder(), "");
    } finally {
      rows.unpersist();
    }
  }

  private String gate(Destination d, String segment, Row last, long size) {
    double limit = d.maxSizeChangePercent() != null ? d.maxSizeChangePercent()
        : segments.maxSizeChangePercent();
    long before = last.getAs(SegmentColumns.SEGMENT_SIZE);
    if (before < segments.gateMinSize()) {
      return null;
    }
    double change = before == 0 ? (size == 0 ? 0 : Double.POSITIVE_INFINITY)
        : 100.0 * (size - before) / before;
    if (Math.abs(change) <= limit) {
      return null;
    }
    return String.format(Locale.ROOT, "safety gate: destination '%s', segment '%s': size"
        + " changed by %+.1f%% since its export of %s (%,d -> %,d), more than the %s%% allowed"
        + " (%s)", d.name(), segment, change, last.getAs(SegmentColumns.RUN_DATE), before, size,
        trim(limit), d.maxSizeChangePercent() != null
            ? "cdp.destinations." + d.name() + ".max-size-change-percent"
            : "cdp.activation.max-size-change-percent");
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** Members per segment on the date, from cdp_gold.segment_runs. */
  private Map<String, Long> segmentSizes(LocalDate date) {
    Map<String, Long> out = new HashMap<>();
    lake.read(CdpTable.GOLD_SEGMENT_RUNS).where(col(SegmentColumns.RUN_DATE)
            .equalTo(lit(java.sql.Date.valueOf(date))))
        .select(SegmentColumns.SEGMENT, SegmentColumns.MEMBERS).collectAsList()
        .forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  /**
   * Published exports keyed {@code destination|segment|date}, and the latest one per
   * destination and segment keyed {@code destination|segment}.
   */
  private Map<String, Row> lastExports() {
    Map<String, Row> out = new HashMap<>();
    for (Row r : lake.read(CdpTable.GOLD_SEGMENT_EXPORTS)
        .orderBy(col(SegmentColumns.RUN_DATE), col(SegmentColumns.PUBLISHED_AT))
        .collectAsList()) {
      String key = r.getAs(SegmentColumns.DESTINATION) + "|" + r.getAs(SegmentColumns.SEGMENT);
      out.put(key + "|" + r.getAs(SegmentColumns.RUN_DATE), r);
      out.put(key, r);
    }
    return out;
  }

  private Dataset<Row> suppressionList() {
    if (segments.suppressionList().isEmpty()) {
      return null;
    }
    try {
      return lake.spark().read().text(segments.suppressionList())
          .withColumnRenamed("value", Audiences.VALUE);
    } catch (Exception e) {
      throw new CdpException("cdp.activation.suppression.list: cannot read "
          + segments.suppressionList() + ": " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  private org.apache.hadoop.conf.Configuration hadoop() {
    return lake.spark().sparkContext().hadoopConfiguration();
  }

  /** Folder of one destination, segment and run date. */
  public static String folder(Destination d, String segment, LocalDate date) {
    return d.location() + "/" + segment + "/" + date;
  }
}
