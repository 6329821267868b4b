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
import java.util.function.Function;
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
import org.lakecdp.core.segment.SegmentCatalog;
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
 * <p>A delta destination receives the difference from its own last export of the segment
 * before the run date: {@code entered} for customers it may receive now and was not sent
 * then, {@code exited} for customers it was sent then (members outside the holdout who might
 * receive the purpose by the consent valid at the end of that date) who left the segment and
 * may still receive the purpose. The first export of a segment to a destination sends every
 * member as entered. Days the destination missed (an export not run or held by the gate)
 * are therefore in the next file, and a customer whose consent arrives later is sent then.
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
    List<Row> exported = lake.read(CdpTable.GOLD_SEGMENT_EXPORTS)
        .orderBy(col(SegmentColumns.RUN_DATE), col(SegmentColumns.PUBLISHED_AT))
        .collectAsList();
    Map<String, Row> published = lastExports(exported);
    List<Todo> todo = new ArrayList<>();
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
        todo.add(new Todo(d, segments.segments().get(s), previousExport(exported, d, s, date)));
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
    // profiles with the consent valid at the end of a day: the run date, and the days of the
    // delta destinations' previous exports
    Map<LocalDate, Dataset<Row>> asOf = new HashMap<>();
    Function<LocalDate, Dataset<Row>> profiles = day -> asOf.computeIfAbsent(day,
        x -> ConsentHistory.profilesWithConsentAsOf(lake, x)
            .persist(StorageLevel.MEMORY_AND_DISK()));
    try {
      Dataset<Row> list = suppressionList();
      for (Todo t : todo) {
        out.add(publish(run, t, profiles, list, sizes.get(t.segment().name()),
            !gate.isEmpty(), versions));
      }
    } finally {
      asOf.values().forEach(Dataset::unpersist);
    }
    return new ExportReport(run.runId(), date, out);
  }

  /** One destination and segment to publish; {@code previous} its last export before. */
  private record Todo(Destination destination, Segment segment, LocalDate previous) {}

  private ExportReport.Export publish(RunContext run, Todo t,
      Function<LocalDate, Dataset<Row>> profiles, Dataset<Row> list, long size, boolean forced,
      Map<String, Long> versions) {
    Destination d = t.destination();
    Segment s = t.segment();
    LocalDate date = run.logicalDate();
    java.sql.Date day = java.sql.Date.valueOf(date);
    Dataset<Row> exportable = Audiences.selectExportable(profiles.apply(date), d.purpose(),
        segments, list);
    Dataset<Row> now = members(s.name(), date).join(
        exportable.select(ProfileColumns.CUSTOMER_ID), ProfileColumns.CUSTOMER_ID);
    Dataset<Row> selected;
    String[] extra = {};
    if (d.mode() == Mode.FULL) {
      selected = now;
    } else if (t.previous() == null) {
      selected = now.withColumn(SegmentColumns.CHANGE, lit(SegmentColumns.ENTERED_VALUE));
      extra = new String[] {SegmentColumns.CHANGE};
    } else {
      Dataset<Row> sent = members(s.name(), t.previous()).join(Audiences.selectExportable(
              profiles.apply(t.previous()), d.purpose(), segments, list)
          .select(ProfileColumns.CUSTOMER_ID), ProfileColumns.CUSTOMER_ID);
      // exited rows only for customers who may still receive the purpose (joined below)
      selected = now.join(sent, new String[] {ProfileColumns.CUSTOMER_ID}, "left_anti")
          .withColumn(SegmentColumns.CHANGE, lit(SegmentColumns.ENTERED_VALUE))
          .unionByName(sent.join(now, new String[] {ProfileColumns.CUSTOMER_ID}, "left_anti")
              .withColumn(SegmentColumns.CHANGE, lit(SegmentColumns.EXITED_VALUE)));
      extra = new String[] {SegmentColumns.CHANGE};
    }
    Dataset<Row> rows = Audiences.selectColumns(
        exportable.join(selected, ProfileColumns.CUSTOMER_ID), d.columns(), s.name(), date,
        extra)
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
      if (d.mode() == Mode.DELTA) {
        manifest.put("changes_since", t.previous() == null ? null : t.previous().toString());
      }
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

  /** Members of {@code segment} on {@code day} outside its holdout: customer ids. */
  private Dataset<Row> members(String segment, LocalDate day) {
    return lake.read(CdpTable.GOLD_SEGMENT_MEMBERSHIP)
        .where(col(SegmentColumns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf(day)))
            .and(col(SegmentColumns.SEGMENT).equalTo(segment))
            .and(col(SegmentColumns.HOLDOUT).unary_$bang()))
        .select(SegmentColumns.CUSTOMER_ID);
  }

  /** The latest run date before {@code date} of a published export of the segment to d. */
  private static LocalDate previousExport(List<Row> exported, Destination d, String segment,
      LocalDate date) {
    LocalDate out = null;
    for (Row r : exported) {
      LocalDate day = ((java.sql.Date) r.getAs(SegmentColumns.RUN_DATE)).toLocalDate();
      if (d.name().equals(r.getAs(SegmentColumns.DESTINATION))
          && segment.equals(r.getAs(SegmentColumns.SEGMENT)) && day.isBefore(date)
          && (out == null || day.isAfter(out))) {
        out = day;
      }
    }
    return out;
  }

  /**
   * Published exports ({@code exported}, in run date and publication order) keyed
   * {@code destination|segment|date}, and the latest one per destination and segment keyed
   * {@code destination|segment}.
   */
  private static Map<String, Row> lastExports(List<Row> exported) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : exported) {
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
