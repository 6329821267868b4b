package org.lakecdp.core.lake;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The append-only audit trail ({@code cdp_ops.audit_log}): every run's end (who ran which job
 * with which configuration), every processed privacy request, every published export. Rows
 * carry counts, tables and file locations, never raw identifiers.
 */
public final class AuditLog {
  /** Event: a job run ended. */
  public static final String RUN = "run";
  /** Event: a privacy request was processed. */
  public static final String PRIVACY_REQUEST = "privacy_request";
  /** Event: an export was published. */
  public static final String EXPORT = "export";

  private final Lakehouse lake;

  public AuditLog(Lakehouse lake) {
    this.lake = lake;
  }

  /** One audit entry. */
  public record Entry(String event, String subject, String status, Map<String, String> details) {}

  /** Appends entries of one run in one commit; nothing when there are none. */
  public void append(RunContext run, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Entry e : entries) {
      rows.add(RowFactory.create(now, e.event(), run.runId(), run.job(),
          System.getProperty("user.name"), run.configHash(), e.subject(), e.status(),
          e.details()));
    }
    lake.append(CdpTable.OPS_AUDIT_LOG,
        lake.spark().createDataFrame(rows, PrivacyColumns.AUDIT_LOG), run.runId());
  }
}
