package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.lake.AuditLog;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes privacy requests (job {@value #JOB}): access requests write a JSON package,
 * erasure requests remove the person from every layer.
 *
 * <p>An erasure, for all erase requests of the run together:
 * <ol>
 *   <li>finds the person: the customers the identifier resolves to, all their records, and
 *       the identifiers those records carry ({@link PersonLookup});</li>
 *   <li>adds salted hashes of those identifiers and record keys to the suppression list,
 *       so no later ingest brings the rows back;</li>
 *   <li>deletes their rows from bronze (records and any row carrying a suppressed identifier,
 *       also rows ingested since the last identity run), quarantine (raw text naming their
 *       email or phone), the identity evidence, lineage, alerts and term frequencies, and
 *       the gold tables keyed by customer id;</li>
 *   <li>runs identity resolution, which drops the records gone from bronze and re-resolves
 *       the clusters they bridged;</li>
 *   <li>checks that no row of the person is left, then purges: deletion vectors rewritten and
 *       every file of earlier versions vacuumed ({@code cdp.privacy.retention-hours});</li>
 *   <li>writes a receipt per request and an audit entry.</li>
 * </ol>
 * A failure before the purge puts every table back as it was; a request with a receipt is
 * never processed again, so a rerun changes nothing.
 */
public final class Privacy {
  private static final Logger LOG = LoggerFactory.getLogger(Privacy.class);

  /** Job name in the run ledger. */
  public static final String JOB = "privacy";

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final Consumer<String> progress;
  private final Suppression suppression;

  public Privacy(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this.lake = lake;
    this.settings = settings;
    this.progress = progress;
    this.suppression = new Suppression(lake, settings);
  }

  /**
   * The id of a request made on the command line: type, date and a salted hash of the
   * identifier, so repeating the same request the same day is recognised as done.
   */
  public String commandLineRequestId(PrivacyRequest.Type type, Identifier id, LocalDate date) {
    return type.label() + "-" + date + "-" + identifierHash(id).substring(0, 12);
  }

  /** The queued requests ({@code cdp.privacy.requests}). */
  public List<PrivacyRequest> queued() {
    return PrivacyRequest.readQueue(lake.spark(), settings.privacy().requests());
  }

  /** Processes {@code requests} as one run for {@code logicalDate}. */
  public PrivacyReport run(List<PrivacyRequest> requests, LocalDate logicalDate) {
    RunLedger ledger = new RunLedger(lake, settings);
    RunContext run = ledger.start(JOB, logicalDate);
    Set<String> done = receiptIds();
    List<String> skipped = new ArrayList<>();
    List<PrivacyRequest> todo = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (PrivacyRequest r : requests) {
      if (done.contains(r.requestId()) || !seen.add(r.requestId())) {
        skipped.add(r.requestId());
      } else {
        todo.add(r);
      }
    }
    Map<CdpTable, Long> before = new EnumMap<>(CdpTable.class);
    for (CdpTable t : CdpTable.values()) {
      if (t.layer() != org.lakecdp.core.lake.Layer.OPS || t == CdpTable.OPS_SUPPRESSION_LIST) {
        before.put(t, lake.version(t));
      }
    }
    boolean purging = false;
    try {
      if (!todo.isEmpty()) {
        suppression.hash(new Suppression.Entry("check", "salt"));
      }
      PersonLookup lookup = new PersonLookup(lake, settings.identity().defaultRegion());
      List<PrivacyReport.Receipt> receipts = new ArrayList<>();
      Map<PrivacyRequest, PersonLookup.Person> erase = new LinkedHashMap<>();
      for (PrivacyRequest r : todo) {
        PersonLookup.Person person = lookup.find(r.identifier());
        if (r.type() == PrivacyRequest.Type.ACCESS) {
          String file = person.found() ? new AccessPackage(lake).write(r.requestId(),
              r.identifier(), person, settings.privacy().accessDir()) : null;
          progress.accept("privacy " + run.runId() + ": access " + r.requestId() + " -> "
              + (file == null ? "nobody found" : file));
          receipts.add(receipt(r, person.customerIds().size(), file != null, Map.of(), file));
        } else {
          erase.put(r, person);
        }
      }
      Map<PrivacyRequest, Map<String, Long>> removed = erase(erase, run);
      purging = true;
      if (!removed.isEmpty()) {
        // every table written since the run began: deletions and identity's rewrites
        Set<CdpTable> touched = new java.util.TreeSet<>();
        before.forEach((t, v) -> {
          if (t != CdpTable.OPS_SUPPRESSION_LIST && lake.version(t) != v) {
            touched.add(t);
          }
        });
        progress.accept("privacy " + run.runId() + ": purging earlier versions of "
            + touched.size() + " table(s)");
        new Erasure(lake, suppression).purge(touched, settings.privacy().retentionHours());
      }
      erase.forEach((r, p) -> receipts.add(receipt(r, p.customerIds().size(),
          removed.containsKey(r), removed.getOrDefault(r, Map.of()), null)));
      List<String> order = todo.stream().map(PrivacyRequest::requestId).toList();
      receipts.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.requestId())));
      writeReceipts(receipts, run);
      ledger.succeed(run, new RunOutcome(todo.size(), receipts.size(), 0, Map.of(),
          Map.of("skipped", Integer.toString(skipped.size()))));
      return new PrivacyReport(run.runId(), receipts, skipped);
    } catch (Exception e) {
      LOG.error("privacy run {} failed: {}", run.runId(), e.getMessage());
      if (!purging) {
        before.forEach((table, version) -> lake.restore(table, version, run.runId()));
      }
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
          : new CdpException("privacy run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  /** Erases the persons; returns rows removed per request and table name. */
  private Map<PrivacyRequest, Map<String, Long>> erase(
      Map<PrivacyRequest, PersonLookup.Person> persons, RunContext run) {
    Map<PrivacyRequest, Map<String, Long>> removed = new LinkedHashMap<>();
    Map<PrivacyRequest, Map<CdpTable, Erasure.Match>> matches = new LinkedHashMap<>();
    Erasure erasure = new Erasure(lake, suppression);
    List<Suppression.Entry> entries = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    Dataset<Row> suppressed = null;
    for (var e : persons.entrySet()) {
      Map<CdpTable, Erasure.Match> c = erasure.matches(e.getValue());
      Map<String, Long> counts = new TreeMap<>();
      c.forEach((table, match) -> {
        long n = erasure.count(table, match);
        if (n > 0) {
          counts.put(lake.name(table), n);
        }
      });
      if (counts.isEmpty()) {
        continue;
      }
      matches.put(e.getKey(), c);
      removed.put(e.getKey(), counts);
      entries.addAll(e.getValue().entries());
      Dataset<Row> rows = suppression.rows(e.getValue().entries(), e.getKey().requestId(), now);
      suppressed = suppressed == null ? rows : suppressed.unionByName(rows);
    }
    if (matches.isEmpty()) {
      return removed;
    }
    progress.accept("privacy " + run.runId() + ": erasing " + matches.size()
        + " person(s), " + entries.size() + " identifier(s) to the suppression list");
    lake.append(CdpTable.OPS_SUPPRESSION_LIST, suppressed, run.runId());
    for (CdpTable table : matches.values().iterator().next().keySet()) {
      if (!Erasure.LEFT_TO_IDENTITY.contains(table)) {
        deleteOfAll(erasure, table, matches.values(), run);
      }
    }
    progress.accept("privacy " + run.runId() + ": re-resolving the identities they touched");
    new IdentityResolution(lake, settings, progress).run(run.logicalDate());
    // the identity run records the erased customers' retirement in the lineage: gone too
    for (CdpTable table : List.of(CdpTable.SILVER_ID_LINEAGE, CdpTable.SILVER_IDENTITY_ALERTS,
        CdpTable.SILVER_IDENTITY_LINKS)) {
      deleteOfAll(erasure, table, matches.values(), run);
    }
    for (var e : matches.entrySet()) {
      for (var c : e.getValue().entrySet()) {
        long left = erasure.count(c.getKey(), c.getValue());
        if (left > 0) {
          throw new CdpException("privacy run " + run.runId() + ": " + left + " row(s) of request "
              + e.getKey().requestId() + " are still in " + lake.name(c.getKey())
              + " after erasure; nothing was purged");
        }
      }
    }
    return removed;
  }

  /** Deletes the rows of {@code table} of every person in one commit. */
  private static void deleteOfAll(Erasure erasure, CdpTable table,
      java.util.Collection<Map<CdpTable, Erasure.Match>> persons, RunContext run) {
    persons.stream().map(m -> m.get(table)).reduce(Erasure.Match::and)
        .ifPresent(m -> erasure.delete(table, m, run.runId()));
  }

  /** Salted hash of a request's identifier, standardised when it can be. */
  private String identifierHash(Identifier id) {
    String value;
    try {
      value = id.standardised(settings.identity().defaultRegion());
    } catch (CdpException e) {
      value = id.value();
    }
    return suppression.hash(new Suppression.Entry(id.kind().label(), value));
  }

  private PrivacyReport.Receipt receipt(PrivacyRequest r, int customers, boolean found,
      Map<String, Long> removed, String output) {
    String hash = identifierHash(r.identifier());
    return new PrivacyReport.Receipt(r.requestId(), r.type().label(),
        r.identifier().kind().label(), hash, found ? "done" : "not_found", customers, removed,
        output, r.receivedFrom());
  }

  private void writeReceipts(List<PrivacyReport.Receipt> receipts, RunContext run) {
    if (receipts.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    List<AuditLog.Entry> audit = new ArrayList<>();
    for (PrivacyReport.Receipt r : receipts) {
      rows.add(RowFactory.create(r.requestId(), r.type(), r.identifierKind(),
          r.identifierHash(), r.receivedFrom(), now, r.status(), r.customers(),
          r.rowsRemoved(), r.output(), run.runId()));
      Map<String, String> details = new LinkedHashMap<>();
      details.put("type", r.type());
      details.put("identifier", r.identifierKind());
      details.put("identifier_hash", r.identifierHash());
      details.put("customers", Long.toString(r.customers()));
      details.put("rows_removed", Long.toString(r.totalRemoved()));
      details.put("tables", String.join(",", r.rowsRemoved().keySet()));
      if (r.output() != null) {
        details.put("output", r.output());
      }
      audit.add(new AuditLog.Entry(AuditLog.PRIVACY_REQUEST, r.requestId(), r.status(),
          details));
    }
    lake.append(CdpTable.OPS_PRIVACY_RECEIPTS,
        lake.spark().createDataFrame(rows, PrivacyColumns.RECEIPTS), run.runId());
    new AuditLog(lake).append(run, audit);
  }

  private Set<String> receiptIds() {
    Set<String> ids = new HashSet<>();
    if (lake.version(CdpTable.OPS_PRIVACY_RECEIPTS) >= 0) {
      for (Row r : lake.read(CdpTable.OPS_PRIVACY_RECEIPTS).select(PrivacyColumns.REQUEST_ID)
          .collectAsList()) {
        ids.add(r.getString(0));
      }
    }
    return ids;
  }

  public static String describe(PrivacyReport.Receipt r) {
    return String.format(Locale.ROOT, "%s %s by %s: %s, %d customer(s), %,d row(s) removed",
        r.requestId(), r.type(), r.identifierKind(), r.status(), r.customers(),
        r.totalRemoved());
  }
}
