package org.lakecdp.core.lake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Every table the CDP owns: its layer, name, schema, partitioning and comment. The catalog
 * and folder layout derive from this list; later layers add their tables here.
 */
public enum CdpTable {
  BRONZE_EVENTS(Layer.BRONZE, "events", BronzeColumns.EVENTS, List.of(BronzeColumns.SOURCE),
      "Every valid raw record of every source, whole, with its ingest envelope"),
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
  /** The Delta property naming the columns that get per-file statistics. */
  public static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  /** Text columns whose statistics hold no personal data (see {@link #statsColumns}). */
  /** Content hashes: random numbers, whose ranges skip no file. */
  private static final Set<String> HASHES = Set.of(BronzeColumns.RECORD_HASH);

  private static final Set<String> UNINDEXED_BRONZE = Set.of(BronzeColumns.RUN_ID,
      BronzeColumns.SOURCE_FILE);

  private static final Set<String> PLAIN_TEXT = Set.of("run_id", "source", "source_file",
      "event_type");

  CdpTable(Layer layer, String tableName, StructType schema, List<String> partitionColumns,
      String comment) {
    this.layer = layer;
    this.tableName = tableName;
    this.schema = schema;
    this.partitionColumns = partitionColumns;
    this.comment = comment;
  }

  /** Delta table properties, set when the table is created and kept so on every run. */
  public Map<String, String> properties() {
    List<String> stats = statsColumns();
    return stats.isEmpty() ? Map.of("delta.dataSkippingNumIndexedCols", "0")
        : Map.of(STATS_COLUMNS, String.join(",", stats));
  }

  /**
   * Columns Delta keeps min/max statistics for (file skipping): dates, times and numbers
   * (Delta keeps none for flags) that are not tagged PII (a birth date is), and the few text
   * columns that never hold personal data. Statistics of any other text column would copy
   * identifiers (an email, a record key, a customer id) into the Delta log, which an erasure
   * cannot purge; random identifiers and content hashes skip no files anyway. Partition
   * columns are pruned without statistics and are left out, and so are {@code run_id} and
   * {@code source_file} of {@code cdp_bronze.events}: their statistics cost a copy and two
   * comparisons of the text in every row of the widest write (a profiled ingest spent as much
   * time on Delta's statistics of its text columns as on reading the records' JSON fields),
   * the rows of one run are looked for only by an ingest that left erased persons' rows out,
   * and Delta keeps only the first 32 characters of a text, which of a file path is the
   * landing folder every file of a source shares: no file would be skipped by them.
   */
  public List<String> statsColumns() {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      boolean plain = t instanceof NumericType || t instanceof DateType
          || t instanceof TimestampType
          || (t instanceof StringType && PLAIN_TEXT.contains(f.name()));
      if (plain && !HASHES.contains(f.name()) && !partitionColumns.contains(f.name())
          && !(this == BRONZE_EVENTS && UNINDEXED_BRONZE.contains(f.name()))
          && !PiiColumns.of(this).containsKey(f.name())) {
        out.add(f.name());
      }
    }
    return List.copyOf(out);
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
