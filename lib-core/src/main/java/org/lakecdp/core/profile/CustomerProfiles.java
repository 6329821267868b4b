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
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.lake.RunContext;
import org.lakecdp.core.lake.RunLedger;
import org.lakecdp.core.lake.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile job: silver membership and identity records plus bronze events (and the
 * model scores, when {@code cdp_gold.customer_scores} exists) to
 * {@code cdp_gold.customer_profile}, one row per customer of the membership, as of the
 * run's logical date.
 *
 * <p>Every run computes every profile (a full rebuild), compares it with the table by a hash
 * of each row's content, and writes only when something changed: the rows keep the run id
 * that last changed them, and a rerun on unchanged inputs writes no new Delta version. The
 * write is one commit; a failed run restores the table to its version from before the run
 * and is recorded FAILED in the run ledger.
 */
public final class CustomerProfiles {
  /** Job name in the run ledger. */
  public static final String JOB = "profile";

  private static final Logger LOG = LoggerFactory.getLogger(CustomerProfiles.class);
  private static final String HASH = "content_hash";
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
    RunContext run = ledger.start(JOB, logicalDate);
    CdpTable table = CdpTable.GOLD_CUSTOMER_PROFILE;
    long before = lake.version(table);
    try {
      Map<String, Long> versions = new LinkedHashMap<>();
      Map<String, String> details = new LinkedHashMap<>();
      ProfileReport report = write(run, versions, details);
      afterWrite.run();
      ledger.succeed(run, new RunOutcome(Long.parseLong(details.get("events")),
          report.customers(), 0, versions, details));
      return report;
    } catch (RuntimeException e) {
      LOG.error("profile run {} failed: {}", run.runId(), e.getMessage());
      lake.restore(table, before, run.runId());
      ledger.fail(run, RunOutcome.empty(), e);
      throw e instanceof CdpException ? e
          : new CdpException("profile run " + run.runId() + " failed: " + e.getMessage(), e);
    }
  }

  private ProfileReport write(RunContext run, Map<String, Long> versions,
      Map<String, String> details) {
    String runId = run.runId();
    LocalDate asOf = run.logicalDate();
    ProfileSettings p = settings.profile();
    Dataset<Row> membership = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    Dataset<Row> events = CustomerEvents.selectCustomerEvents(lake.read(CdpTable.BRONZE_EVENTS),
        membership, asOf, p).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> stamped = null;
    try {
      long eventCount = events.count();
      details.put("events", Long.toString(eventCount));
      progress.accept("profile " + runId + ": " + String.format("%,d", eventCount)
          + " customer event(s) as of " + asOf + "; building profiles");
      Dataset<Row> scores = readScores();
      Dataset<Row> profiles = buildProfiles(membership, records, events, scores, asOf, p);
      Dataset<Row> old = lake.read(CdpTable.GOLD_CUSTOMER_PROFILE);
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
      return new ProfileReport(runId, customers, changed, removed, version);
    } finally {
      events.unpersist();
      if (stamped != null) {
        stamped.unpersist();
      }
    }
  }

  /**
   * The profile of every customer of {@code membership} as of {@code asOf}, in the columns
   * and types of {@link ProfileColumns#PROFILE} except run_id. {@code scores} may be null.
   */
  public static Dataset<Row> buildProfiles(Dataset<Row> membership,
      Dataset<Row> identityRecords, Dataset<Row> customerEvents, Dataset<Row> scores,
      LocalDate asOf, ProfileSettings settings) {
    String id = ProfileColumns.CUSTOMER_ID;
    Dataset<Row> golden = GoldenRecord.surviveAttributes(
        GoldenRecord.collectCandidates(identityRecords, membership, asOf), settings);
    Dataset<Row> orders = Transactions.scoreRfm(Transactions.summarizeOrders(
        Transactions.selectOrders(customerEvents, settings), asOf, settings));
    Dataset<Row> profile = Identifiers.listCustomers(membership)
        .join(golden, new String[] {id}, "left")
        .join(Identifiers.collectIdentifiers(identityRecords, membership, asOf),
            new String[] {id}, "left")
        .join(orders, new String[] {id}, "left")
        .join(Engagement.countEngagement(customerEvents, asOf, settings), new String[] {id},
            "left")
        .join(Engagement.summarizeActivity(customerEvents, asOf, settings), new String[] {id},
            "left")
        .join(Preferences.rankTop(customerEvents, "category", ProfileColumns.TOP_CATEGORIES,
            asOf, settings), new String[] {id}, "left")
        .join(Preferences.rankTop(customerEvents, "product_id", ProfileColumns.TOP_PRODUCTS,
            asOf, settings), new String[] {id}, "left")
        .join(Preferences.summarizeHabits(customerEvents, asOf, settings), new String[] {id},
            "left")
        .join(Consents.latestConsents(customerEvents), new String[] {id}, "left");
    if (scores != null) {
      profile = profile.join(Scores.latestScores(scores, asOf), new String[] {id}, "left");
    }
    return conform(profile.withColumn(ProfileColumns.AS_OF_DATE,
        lit(java.sql.Date.valueOf(asOf))));
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
   * The profile columns in table order and types; counts and money without events are 0,
   * lists empty. Scores are null when the scores table is absent.
   */
  private static Dataset<Row> conform(Dataset<Row> profile) {
    Set<String> present = new TreeSet<>(List.of(profile.columns()));
    List<Column> cols = new ArrayList<>();
    for (StructField f : ProfileColumns.PROFILE.fields()) {
      if (f.name().equals(ProfileColumns.RUN_ID)) {
        continue;
      }
      DataType type = f.dataType();
      Column c = present.contains(f.name()) ? col(f.name()).cast(type)
          : lit(null).cast(type);
      if (!f.nullable() && (type instanceof LongType || type instanceof DecimalType)) {
        c = coalesce(c, lit(0).cast(type));
      } else if (type instanceof ArrayType) {
        c = coalesce(c, array().cast(type));
      }
      cols.add(c.as(f.name()));
    }
    return profile.select(cols.toArray(Column[]::new));
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
