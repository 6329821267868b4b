package org.lakecdp.core.lake;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;

/**
 * Writes {@code cdp_ops.runs}: a RUNNING row when a run starts, replaced by SUCCEEDED or
 * FAILED with counts, Delta versions and the one-line cause when it ends. A run killed
 * without a chance to report stays RUNNING with no end time.
 */
public final class RunLedger {
  private final Lakehouse lake;
  private final String configHash;

  /**
   * The ledger of {@code lake}. Every job opens one before writing, so this is where a
   * lakehouse opened without the key while {@code cdp.privacy.encryption.enabled} is true is
   * refused: its writes would store PII in plain.
   */
  public RunLedger(Lakehouse lake, CdpSettings settings) {
    if (settings.privacy().encryption().enabled() && !lake.encrypts()) {
      throw new CdpException("cdp.privacy.encryption.enabled is true but the lakehouse was"
          + " opened without the key in " + settings.privacy().encryption().keyEnv()
          + " (Lakehouse.withCipher): refusing to run, its writes would store PII in plain");
    }
    this.lake = lake;
    this.configHash = settings.configHash();
  }

  /** Starts a run and records it as RUNNING. */
  public RunContext start(String job, java.time.LocalDate logicalDate) {
    RunContext run = RunContext.start(job, logicalDate, configHash);
    lake.append(CdpTable.OPS_RUNS, row(run, "RUNNING", null, RunOutcome.empty(), null),
        run.runId());
    return run;
  }

  /** Records a successful end. */
  public void succeed(RunContext run, RunOutcome outcome) {
    end(run, "SUCCEEDED", outcome, null);
  }

  /** Records a failed end with the cause's one-line message. */
  public void fail(RunContext run, RunOutcome outcome, Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName()
        : cause.getMessage().lines().findFirst().orElse("");
    end(run, "FAILED", outcome, message);
  }

  private void end(RunContext run, String status, RunOutcome outcome, String message) {
    lake.replaceWhere(CdpTable.OPS_RUNS, row(run, status, Instant.now(), outcome, message),
        OpsColumns.RUN_ID + " = " + Lakehouse.quote(run.runId()), run.runId());
    Map<String, String> details = new java.util.LinkedHashMap<>();
    details.put("input_rows", Long.toString(outcome.inputRows()));
    details.put("output_rows", Long.toString(outcome.outputRows()));
    details.put("tables", String.join(",", new java.util.TreeSet<>(
        outcome.tableVersions().keySet())));
    if (message != null) {
      details.put("message", message);
    }
    new AuditLog(lake).append(run, List.of(new AuditLog.Entry(AuditLog.RUN,
        run.logicalDate().toString(), status, details)));
  }

  private Dataset<Row> row(RunContext run, String status, Instant endedAt, RunOutcome outcome,
      String message) {
    Row row = RowFactory.create(run.runId(), run.job(), run.logicalDate(), status,
        run.startedAt(), endedAt, outcome.inputRows(), outcome.outputRows(),
        outcome.quarantinedRows(), outcome.tableVersions(), run.configHash(),
        System.getProperty("user.name"), message, outcome.details());
    return lake.spark().createDataFrame(List.of(row), OpsColumns.RUNS);
  }
}
