package org.lakecdp.core.lake;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * Every table the CDP owns: its layer, name, schema, partitioning and comment. The catalog
 * and folder layout derive from this list; later layers add their tables here.
 */
public enum CdpTable {
  BRONZE_EVENTS(Layer.BRONZE, "events", BronzeColumns.EVENTS, List.of(BronzeColumns.SOURCE),
      "Every valid raw record of every source, whole, with its ingest envelope",
      Map.of("delta.dataSkippingStatsColumns", String.join(",", BronzeColumns.STATS))),
  BRONZE_QUARANTINE(Layer.BRONZE, "quarantine", BronzeColumns.QUARANTINE, List.of(),
      "Records that could not be ingested, with the reason and the raw text"),
  SILVER_IDENTITY_RECORDS(Layer.SILVER, "identity_records", IdentityColumns.IDENTITY_RECORDS,
      List.of(IdentityColumns.SOURCE),
      "Standardised identity of every distinct source record, original values kept"),
  SILVER_CUSTOMER_MEMBERSHIP(Layer.SILVER, "customer_membership", IdentityColumns.MEMBERSHIP,
      List.of(), "Which persistent customer_id each source record belongs to"),
  SILVER_IDENTITY_LINKS(Layer.SILVER, "identity_links", IdentityColumns.LINKS, List.of(),
      "Evidence of every accepted link: rule and shared value, or model score per field"),
  SILVER_ID_LINEAGE(Layer.SILVER, "id_lineage", IdentityColumns.LINEAGE, List.of(),
      "Merges, splits and retirements of customer ids, with the reason"),
  SILVER_IDENTITY_RUN_STATS(Layer.SILVER, "identity_run_stats", IdentityColumns.RUN_STATS,
      List.of(), "Per identity run: records, links per rule, clusters, merges, splits"),
  SILVER_IDENTITY_ALERTS(Layer.SILVER, "identity_alerts", IdentityColumns.ALERTS, List.of(),
      "Guardrail alerts: null-like and over-shared identifier values, abnormal clusters"),
  SILVER_IDENTITY_MODEL(Layer.SILVER, "identity_model", IdentityColumns.MODEL, List.of(),
      "Fellegi-Sunter m/u probabilities and weights estimated by each identity run"),
  SILVER_IDENTITY_TERM_FREQUENCIES(Layer.SILVER, "identity_term_frequencies",
      IdentityColumns.TERM_FREQUENCIES, List.of(),
      "Value frequencies of the latest match model, reused by incremental identity runs"),
  SILVER_CONSENT_HISTORY(Layer.SILVER, "consent_history", PrivacyColumns.CONSENT_HISTORY,
      List.of(), "Every consent event per customer, purpose and channel, valid from/to:"
          + " the consent state at any past time"),
  GOLD_CUSTOMER_PROFILE(Layer.GOLD, "customer_profile", ProfileColumns.PROFILE, List.of(),
      "360 customer profile, one row per customer_id: golden record with provenance,"
          + " identifiers, transactions and RFM, engagement, preferences, consent, scores"),
  GOLD_CUSTOMER_FEATURES(Layer.GOLD, "customer_features", MlColumns.FEATURES_TABLE, List.of(),
      "Model features per customer, computed point-in-time as of a cutoff date"),
  GOLD_CUSTOMER_SCORES(Layer.GOLD, "customer_scores", MlColumns.SCORES, List.of(),
      "Churn, propensity and lifetime-value scores, stamped with the champion version"),
  GOLD_MODEL_REGISTRY(Layer.GOLD, "model_registry", MlColumns.REGISTRY, List.of(),
      "Every trained model version: params, metrics, features, data versions, promotion"),
  GOLD_SEGMENT_MEMBERSHIP(Layer.GOLD, "segment_membership", SegmentColumns.MEMBERSHIP,
      List.of(SegmentColumns.RUN_DATE),
      "Who is in which segment on which run date, with the holdout flag"),
  GOLD_SEGMENT_CHANGES(Layer.GOLD, "segment_changes", SegmentColumns.CHANGES,
      List.of(SegmentColumns.RUN_DATE),
      "Who entered and who exited each segment since its previous run date"),
  GOLD_SEGMENT_RUNS(Layer.GOLD, "segment_runs", SegmentColumns.RUNS, List.of(),
      "Per run date and segment: members, holdout, entered, exited"),
  GOLD_SEGMENT_EXPORTS(Layer.GOLD, "segment_exports", SegmentColumns.EXPORTS, List.of(),
      "Every published export: destination, segment, run date, rows, checksum, location"),
  OPS_RUNS(Layer.OPS, "runs", OpsColumns.RUNS, List.of(),
      "Run ledger: one row per job run with status, counts and Delta versions written"),
  OPS_INGESTED_FILES(Layer.OPS, "ingested_files", OpsColumns.INGESTED_FILES, List.of(),
      "Files and JDBC ranges ingested per source: what makes ingest incremental"),
  OPS_SUPPRESSION_LIST(Layer.OPS, "suppression_list", PrivacyColumns.SUPPRESSION, List.of(),
      "Salted hashes of erased persons' identifiers: rows carrying one are never ingested"),
  OPS_PRIVACY_RECEIPTS(Layer.OPS, "privacy_receipts", PrivacyColumns.RECEIPTS, List.of(),
      "One receipt per processed access or erasure request: tables touched, rows removed"),
  OPS_AUDIT_LOG(Layer.OPS, "audit_log", PrivacyColumns.AUDIT_LOG, List.of(),
      "Append-only audit trail: who ran what with which configuration, privacy requests,"
          + " exports produced");

  private final Layer layer;
  private final String tableName;
  private final StructType schema;
  private final List<String> partitionColumns;
  private final String comment;
  private final Map<String, String> properties;

  CdpTable(Layer layer, String tableName, StructType schema, List<String> partitionColumns,
      String comment) {
    this(layer, tableName, schema, partitionColumns, comment, Map.of());
  }

  CdpTable(Layer layer, String tableName, StructType schema, List<String> partitionColumns,
      String comment, Map<String, String> properties) {
    this.layer = layer;
    this.tableName = tableName;
    this.schema = schema;
    this.partitionColumns = partitionColumns;
    this.comment = comment;
    this.properties = properties;
  }

  /** Delta table properties set when the table is created. */
  public Map<String, String> properties() {
    return properties;
  }

  public Layer layer() {
    return layer;
  }

  public String tableName() {
    return tableName;
  }

  public StructType schema() {
    return schema;
  }

  public List<String> partitionColumns() {
    return partitionColumns;
  }

  public String comment() {
    return comment;
  }
}
