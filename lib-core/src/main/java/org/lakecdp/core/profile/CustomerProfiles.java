package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.OpsColumns;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.lakecdp.core.privacy.ConsentHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile job: silver membership and identity records plus bronze events (and the
 * model scores, when {@code cdp_gold.customer_scores} exists) to
 * {@code cdp_gold.customer_profile}, one row per customer of the membership, as of the
 * run's logical date.
 *
 * <p>In {@code incremental} mode a run recomputes the per-customer aggregates only for the
 * customers touched since the last successful run (see {@link Touched}) and carries the
 * others forward from the table; the cheap date- and population-relative columns (days since
 * the last purchase, RFM quintiles, scores, as-of date) are derived again for everyone, so the
 * result equals a full rebuild. The run compares the result with the table by a hash of each
 * row's content and writes only when something changed: the rows keep the run id that last
 * changed them, and a rerun on unchanged inputs writes no new Delta version. The write is one
 * commit; a failed run restores the table to its version from before the run and is
 * recorded FAILED in the run ledger, whose details also hold what the next run builds on
 * (logical date, input table versions, settings fingerprint, output version).
 *
 * <p>The same run rebuilds {@code cdp_silver.consent_history} ({@link ConsentHistory}) wholly
 * from the same pinned bronze and membership versions, written only when it changed and
 * restored with the profile on failure. With {@code cdp.privacy.encryption} enabled the
 * lakehouse writes the PII columns encrypted and reads them back decrypted
 * ({@link org.lakecdp.core.lake.PiiCipher}).
 *
 * <p>The profile's consent columns are the history's state at the end of the as-of date
 * (one exception: a consent record re-delivered later with a later event time replaces its
 * earlier version in the history, while the profile of a date before that time still reads
 * the earlier version).
 */
public final class CustomerProfiles {
  /** Job name in the run ledger. */
  public static final String JOB = "profile";

  private static final Logger LOG = LoggerFactory.getLogger(CustomerProfiles.class);
  private static final String HASH = "content_hash";
  private static final String AS_OF = "as_of";
  private static final String INPUT = "input.";
  private static final String FINGERPRINT = "settings.fingerprint";
  private static final String OUTPUT_VERSION = "output.version";
  /** Tables a run reads, by their name in the ledger details ({@code input.<name>}). */
  private static final Map<String, CdpTable> INPUTS = inputs();
  /** Columns every run derives for every customer (see {@link #finishProfiles}). */
  private static final Set<String> DERIVED = derivedColumns();
  private static final List<String> PROFILE_COLUMNS = columnsBut(Set.of(ProfileColumns.RUN_ID));
  private static final List<String> AGGREGATE_COLUMNS = columnsBut(DERIVED);
  private static final List<String> SCORE_COLUMNS = List.of(IdentityColumns.CUSTOMER_ID,
      Scores.MODEL, ProfileColumns.MODEL_VERSION, ProfileColumns.SCORE,
      ProfileColumns.HORIZON_DAYS, Scores.AS_OF, ProfileColumns.SCORED_AT);

  private final Lakehouse lake;
  private final CdpSettings settings;
  private final Consumer<String> progress;
  private final Runnable afterWrite;

  public CustomerProfiles(Lakehouse lake, CdpSettings settings, Consumer<String> progress) {
    this(lake, settings, progress, () -> { });
  }

  /** With a step run after the write and before success is recorded (failure tests). */
  CustomerProfiles(Lakehouse lake, CdpSettings settings, Consumer<String> progress,
      Runnable afterWrite) {
    this.lake = lake;
    this.settings = settings;
    this.progress = progress;
    this.afterWrite = afterWrite;
  }

  /** Builds the profiles as of {@code logicalDate}; throws after undoing its write. */
  public ProfileReport run(LocalDate logicalDate) {
    RunLedger ledger = new RunLedger(lake, settings);
    PreviousRun previous = PreviousRun.read(lake);
    RunContext run = ledger.start(JOB, logicalDate);
    CdpTable table = CdpTable.GOLD_CUSTOMER_PROFILE;
    long before = lake.version(table);
    long historyBefore = lake.version(CdpTable.SILVER_CONSENT_HISTORY);
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      Map<String, String> details = new LinkedHashMap<>();
      ProfileReport report = write(run, previous, versions, details);
      afterWrite.run();
      ledger.succeed(run, new RunOutcome(Long.parseLong(details.get("events")),
          report.customers(), 0, versions, details));
      return report;
    } catch (Exception e) {
      LOG.error("profile run {} failed: {}", run.runId(), e.getMessage());
      lake.restore(table, before, run.runId());
      lake.restore(CdpTable.SILVER_CONSENT_HISTORY, historyBefore, run.runId());
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ce ? ce
          : new CdpException("profile run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  private ProfileReport write(RunContext run, PreviousRun previous, Map<String, Long> versions,
      Map<String, String> details) {
    String runId = run.runId();
    LocalDate asOf = run.logicalDate();
    ProfileSettings p = settings.profile();
    details.put(AS_OF, asOf.toString());
    // every input pinned at one version, recorded for the next run to diff against
    Map<CdpTable, Dataset<Row>> pinned = new java.util.EnumMap<>(CdpTable.class);
    Set<CdpTable> unchanged = java.util.EnumSet.noneOf(CdpTable.class);
    INPUTS.forEach((name, table) -> {
      long version = lake.version(table);
      details.put(INPUT + name, Long.toString(version));
      pinned.put(table, lake.readAt(table, version));
      if (previous != null && Long.valueOf(version).equals(previous.inputs().get(table))) {
        unchanged.add(table);
      }
    });
    Dataset<Row> bronze = pinned.get(CdpTable.BRONZE_EVENTS);
    Dataset<Row> membership = pinned.get(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    Dataset<Row> records = pinned.get(CdpTable.SILVER_IDENTITY_RECORDS);
    Dataset<Row> old = lake.read(CdpTable.GOLD_CUSTOMER_PROFILE);
    details.put(FINGERPRINT, p.fingerprint());

    Dataset<Row> touched = null;
    Dataset<Row> scope = membership;
    Dataset<Row> scopeBronze = bronze;
    Dataset<Row> events = null;
    Dataset<Row> stamped = null;
    Dataset<Row> aggregates = null;
    try {
      String fullReason = fullRebuildReason(previous, p, asOf);
      if (fullReason == null) {
        details.put("touched.unchanged_inputs", unchanged.isEmpty() ? "none"
            : unchanged.stream().map(lake::name).collect(java.util.stream.Collectors.joining(
                ",")));
        try {
          touched = Touched.since(lake, previous, unchanged, bronze, membership, records,
              asOf, p).localCheckpoint();
        } catch (Exception e) {
          if (!fileGone(e)) {
            throw e;
          }
          fullReason = "the input versions run " + previous.runId() + " read are no longer"
              + " readable (vacuumed): " + firstLine(e);
        }
      }
      if (fullReason == null) {
        long touchedCount = touched.count();
        details.put("touched", Long.toString(touchedCount));
        scope = membership.join(touched, new String[] {ProfileColumns.CUSTOMER_ID},
            "left_semi");
        scopeBronze = bronze.join(scope.select(col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY)), new String[] {IdentityColumns.SOURCE,
                IdentityColumns.RECORD_KEY}, "left_semi");
        progress.accept("profile " + runId + ": incremental, " + String.format("%,d",
            touchedCount) + " customer(s) touched since the run of " + previous.asOf());
      } else {
        details.put("full.reason", fullReason);
        progress.accept("profile " + runId + ": full rebuild (" + fullReason + ")");
      }
      details.put("mode", fullReason == null ? "incremental" : "full");
      events = CustomerEvents.partitionByCustomer(CustomerEvents.selectCustomerEvents(
          scopeBronze, scope, asOf, p)).persist(StorageLevel.MEMORY_AND_DISK());
      long eventCount = events.count();
      details.put("events", Long.toString(eventCount));
      progress.accept("profile " + runId + ": " + String.format("%,d", eventCount)
          + " customer event(s) as of " + asOf + "; building profiles");
      Dataset<Row> computed = aggregateProfiles(scope, records, events, asOf, p);
      if (touched != null) {
        computed = old.select(AGGREGATE_COLUMNS.stream().map(c -> col(c))
                .toArray(Column[]::new))
            .join(touched, new String[] {ProfileColumns.CUSTOMER_ID}, "left_anti")
            .unionByName(computed);
      }
      // materialised once: the RFM quintiles and the profile rows both read them
      aggregates = computed.persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> scores = readScores();
      Dataset<Row> profiles = finishProfiles(aggregates, scores, asOf);
      stamped = stampRunIds(profiles, old, runId).persist(StorageLevel.MEMORY_AND_DISK());
      long customers = stamped.count();
      long changed = stamped.where(col(ProfileColumns.RUN_ID).equalTo(runId)).count();
      long removed = old.join(stamped, new String[] {ProfileColumns.CUSTOMER_ID}, "left_anti")
          .count();
      details.put("customers", Long.toString(customers));
      details.put("changed", Long.toString(changed));
      details.put("removed", Long.toString(removed));
      details.put("scores", Boolean.toString(scores != null));
      long version = -1;
      if (changed > 0 || removed > 0) {
        progress.accept("profile " + runId + ": " + String.format("%,d", changed)
            + " new or changed profile(s), " + removed + " removed; writing");
        version = lake.overwrite(CdpTable.GOLD_CUSTOMER_PROFILE, stamped, runId);
        versions.put(lake.name(CdpTable.GOLD_CUSTOMER_PROFILE), version);
      } else {
        progress.accept("profile " + runId + ": no profile changed; nothing written");
      }
      details.put(OUTPUT_VERSION, Long.toString(lake.version(CdpTable.GOLD_CUSTOMER_PROFILE)));
      writeConsentHistory(runId, bronze, membership, versions, details);
      return new ProfileReport(runId, customers, changed, removed, version);
    } finally {
      if (events != null) {
        events.unpersist();
      }
      if (stamped != null) {
        stamped.unpersist();
      }
      if (aggregates != null) {
        aggregates.unpersist();
      }
    }
  }

  /**
   * Rebuilds {@code cdp_silver.consent_history} wholly from the pinned bronze events and
   * membership; writes (one commit) only when its content changed.
   */
  private void writeConsentHistory(String runId, Dataset<Row> bronze, Dataset<Row> membership,
      Map<String, Long> versions, Map<String, String> details) {
    CdpTable table = CdpTable.SILVER_CONSENT_HISTORY;
    Dataset<Row> history = ConsentHistory.buildHistory(bronze, membership)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> old = lake.read(table);
      long rows = history.count();
      details.put("consent_history", Long.toString(rows));
      if (history.exceptAll(old).isEmpty() && old.exceptAll(history).isEmpty()) {
        return;
      }
      progress.accept("profile " + runId + ": " + String.format("%,d", rows)
          + " consent history row(s); writing");
      versions.put(lake.name(table), lake.overwrite(table, history, runId));
    } finally {
      history.unpersist();
    }
  }

  /**
   * Why this run must recompute every profile, or null when the last run's profiles can be
   * carried forward for the customers nothing touched since.
   */
  /** Whether a failure comes from a data or log file that is gone (a vacuumed version). */
  static boolean fileGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof java.io.FileNotFoundException || m.contains("FILE_NOT_EXIST")
          || m.contains("DELTA_FILE_NOT_FOUND") || m.contains("FileNotFoundException")) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private String fullRebuildReason(PreviousRun previous, ProfileSettings p, LocalDate asOf) {
    if (p.mode() == ProfileSettings.Mode.FULL) {
      return "cdp.profile.mode = full";
    }
    if (previous == null) {
      return "no earlier profile run to build on";
    }
    if (!p.fingerprint().equals(previous.fingerprint())) {
      return "profile settings changed since run " + previous.runId();
    }
    if (asOf.isBefore(previous.asOf())) {
      return "logical date " + asOf + " is before " + previous.asOf() + " of run "
          + previous.runId();
    }
    if (lake.version(CdpTable.GOLD_CUSTOMER_PROFILE) != previous.outputVersion()) {
      return lake.name(CdpTable.GOLD_CUSTOMER_PROFILE) + " changed outside the profile job"
          + " since run " + previous.runId();
    }
    for (Map.Entry<CdpTable, Long> input : previous.inputs().entrySet()) {
      if (lake.version(input.getKey()) < input.getValue()) {
        return lake.name(input.getKey()) + " is older than when run " + previous.runId()
            + " read it";
      }
    }
    return null;
  }

  /**
   * The profile of every customer of {@code membership} as of {@code asOf}, in the columns
   * and types of {@link ProfileColumns#PROFILE} except run_id. {@code scores} may be null.
   */
  public static Dataset<Row> buildProfiles(Dataset<Row> membership,
      Dataset<Row> identityRecords, Dataset<Row> customerEvents, Dataset<Row> scores,
      LocalDate asOf, ProfileSettings settings) {
    return finishProfiles(aggregateProfiles(membership, identityRecords, customerEvents, asOf,
        settings), scores, asOf);
  }

  /**
   * The per-customer part of the profiles of the customers of {@code membership}: every
   * column but those {@link #finishProfiles} derives, typed as in the table.
   */
  static Dataset<Row> aggregateProfiles(Dataset<Row> membership, Dataset<Row> identityRecords,
      Dataset<Row> customerEvents, LocalDate asOf, ProfileSettings settings) {
    Dataset<Row> profile = Identifiers.listCustomers(membership);
    for (Dataset<Row> part : aggregateParts(membership, identityRecords, customerEvents, asOf,
        settings).values()) {
      profile = profile.join(part, new String[] {ProfileColumns.CUSTOMER_ID}, "left");
    }
    return conform(profile, AGGREGATE_COLUMNS);
  }

  /**
   * The parts {@link #aggregateProfiles} joins to the list of customers, by name, each one
   * row per customer_id that has any: the golden record, identifiers, orders, engagement
   * counts, last activity, top categories, top products, habits and consents. Public for the
   * profile benchmark, which times them one by one.
   */
  public static Map<String, Dataset<Row>> aggregateParts(Dataset<Row> membership,
      Dataset<Row> identityRecords, Dataset<Row> customerEvents, LocalDate asOf,
      ProfileSettings settings) {
    Map<String, Dataset<Row>> parts = new LinkedHashMap<>();
    parts.put("golden_record", GoldenRecord.surviveAttributes(
        GoldenRecord.collectCandidates(identityRecords, membership, asOf), settings));
    parts.put("identifiers", Identifiers.collectIdentifiers(identityRecords, membership,
        asOf));
    parts.put("orders", Transactions.summarizeOrders(
        Transactions.selectOrders(customerEvents, settings), asOf, settings));
    parts.put("engagement", Engagement.countEngagement(customerEvents, asOf, settings));
    parts.put("activity", Engagement.summarizeActivity(customerEvents, asOf, settings));
    parts.put("top_categories", Preferences.rankTop(customerEvents, "category",
        ProfileColumns.TOP_CATEGORIES, asOf, settings));
    parts.put("top_products", Preferences.rankTop(customerEvents, "product_id",
        ProfileColumns.TOP_PRODUCTS, asOf, settings));
    parts.put("habits", Preferences.summarizeHabits(customerEvents, asOf, settings));
    parts.put("consents", Consents.latestConsents(customerEvents));
    return parts;
  }

  /**
   * Completes per-customer aggregates into profiles as of {@code asOf}: days since the last
   * purchase, RFM quintiles among all the customers, the latest model scores ({@code scores}
   * may be null) and the as-of date. Cheap, so every run derives them for everyone.
   */
  static Dataset<Row> finishProfiles(Dataset<Row> aggregates, Dataset<Row> scores,
      LocalDate asOf) {
    String id = ProfileColumns.CUSTOMER_ID;
    Dataset<Row> profile = aggregates.withColumn(ProfileColumns.DAYS_SINCE_LAST_PURCHASE,
        Transactions.daysSinceLastPurchase(asOf));
    Dataset<Row> rfm = Transactions.scoreRfm(profile.select(col(id),
            col(ProfileColumns.DAYS_SINCE_LAST_PURCHASE), col(ProfileColumns.RFM_FREQUENCY),
            col(ProfileColumns.RFM_MONETARY)))
        .select(col(id), col(ProfileColumns.R_SCORE), col(ProfileColumns.F_SCORE),
            col(ProfileColumns.M_SCORE), col(ProfileColumns.RFM_SCORE));
    profile = profile.join(rfm, new String[] {id}, "left");
    if (scores != null) {
      profile = profile.join(Scores.latestScores(scores, asOf), new String[] {id}, "left");
    }
    return conform(profile.withColumn(ProfileColumns.AS_OF_DATE,
        lit(java.sql.Date.valueOf(asOf))), PROFILE_COLUMNS);
  }

  /**
   * Adds run_id: the previous row's run id when the customer's content is unchanged, else
   * {@code runId}.
   */
  static Dataset<Row> stampRunIds(Dataset<Row> profiles, Dataset<Row> old, String runId) {
    Dataset<Row> previous = old.select(col(ProfileColumns.CUSTOMER_ID),
        contentHash().as("old_hash"), col(ProfileColumns.RUN_ID).as("old_run"));
    return profiles.withColumn(HASH, contentHash())
        .join(previous, new String[] {ProfileColumns.CUSTOMER_ID}, "left")
        .withColumn(ProfileColumns.RUN_ID, coalesce(when(col("old_hash").equalTo(col(HASH)),
            col("old_run")), lit(runId)))
        .drop(HASH, "old_hash", "old_run");
  }

  /** xxhash64 of the JSON of every profile column but run_id. */
  private static Column contentHash() {
    List<Column> content = new ArrayList<>();
    for (StructField f : ProfileColumns.PROFILE.fields()) {
      if (!f.name().equals(ProfileColumns.RUN_ID)) {
        content.add(col(f.name()));
      }
    }
    return xxhash64(to_json(struct(content.toArray(Column[]::new))));
  }

  /**
   * {@code columns} of the profile in table order and types; counts and money without events
   * are 0, lists empty, absent columns null.
   */
  private static Dataset<Row> conform(Dataset<Row> profile, List<String> columns) {
    Set<String> present = new TreeSet<>(List.of(profile.columns()));
    List<Column> cols = new ArrayList<>();
    for (String name : columns) {
      StructField f = ProfileColumns.PROFILE.apply(name);
      DataType type = f.dataType();
      Column c = present.contains(name) ? col(name).cast(type) : lit(null).cast(type);
      if (!f.nullable() && (type instanceof LongType || type instanceof DecimalType)) {
        c = coalesce(c, lit(0).cast(type));
      } else if (type instanceof ArrayType) {
        c = coalesce(c, array().cast(type));
      }
      cols.add(c.as(name));
    }
    return profile.select(cols.toArray(Column[]::new));
  }

  private static Set<String> derivedColumns() {
    Set<String> derived = new java.util.HashSet<>(Set.of(ProfileColumns.DAYS_SINCE_LAST_PURCHASE,
        ProfileColumns.R_SCORE, ProfileColumns.F_SCORE, ProfileColumns.M_SCORE,
        ProfileColumns.RFM_SCORE, ProfileColumns.AS_OF_DATE, ProfileColumns.RUN_ID));
    for (String model : ProfileColumns.MODELS) {
      for (String field : ProfileColumns.SCORE_FIELDS) {
        derived.add(ProfileColumns.scoreColumn(model, field));
      }
    }
    return Set.copyOf(derived);
  }

  private static Map<String, CdpTable> inputs() {
    Map<String, CdpTable> inputs = new LinkedHashMap<>();
    inputs.put("bronze", CdpTable.BRONZE_EVENTS);
    inputs.put("membership", CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    inputs.put("records", CdpTable.SILVER_IDENTITY_RECORDS);
    return java.util.Collections.unmodifiableMap(inputs);
  }

  private static List<String> columnsBut(Set<String> excluded) {
    List<String> names = new ArrayList<>();
    for (String name : ProfileColumns.PROFILE.fieldNames()) {
      if (!excluded.contains(name)) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  /** What the last successful profile run recorded in the run ledger for the next one. */
  record PreviousRun(String runId, LocalDate asOf, String fingerprint, long outputVersion,
      Map<CdpTable, Long> inputs) {

    /** The latest succeeded profile run with its details, or null when there is none. */
    static PreviousRun read(Lakehouse lake) {
      List<Row> rows = lake.read(CdpTable.OPS_RUNS)
          .where(col(OpsColumns.JOB).equalTo(JOB)
              .and(col(OpsColumns.STATUS).equalTo("SUCCEEDED")))
          .orderBy(col(OpsColumns.ENDED_AT).desc()).limit(1).collectAsList();
      if (rows.isEmpty()) {
        return null;
      }
      Row row = rows.get(0);
      Map<String, String> d = row.getJavaMap(row.fieldIndex(OpsColumns.DETAILS));
      if (d == null || !d.keySet().containsAll(List.of(AS_OF, FINGERPRINT, OUTPUT_VERSION))) {
        return null;
      }
      Map<CdpTable, Long> inputs = new LinkedHashMap<>();
      for (Map.Entry<String, CdpTable> input : INPUTS.entrySet()) {
        String version = d.get(INPUT + input.getKey());
        if (version == null) {
          return null;
        }
        inputs.put(input.getValue(), Long.parseLong(version));
      }
      return new PreviousRun(row.getAs(OpsColumns.RUN_ID), LocalDate.parse(d.get(AS_OF)),
          d.get(FINGERPRINT), Long.parseLong(d.get(OUTPUT_VERSION)), inputs);
    }
  }

  /** cdp_gold.customer_scores when it exists as a Delta table, else null. */
  private Dataset<Row> readScores() {
    String path = lake.path(CdpTable.GOLD_CUSTOMER_SCORES);
    if (!DeltaTable.isDeltaTable(lake.spark(), path)) {
      return null;
    }
    Dataset<Row> scores = lake.spark().read().format("delta").load(path);
    List<String> missing = new ArrayList<>(SCORE_COLUMNS);
    missing.removeAll(List.of(scores.columns()));
    if (!missing.isEmpty()) {
      throw new CdpException("table " + lake.name(CdpTable.GOLD_CUSTOMER_SCORES)
          + " at " + path + " lacks column(s) " + missing
          + "; the profile reads " + SCORE_COLUMNS);
    }
    return scores;
  }
}
