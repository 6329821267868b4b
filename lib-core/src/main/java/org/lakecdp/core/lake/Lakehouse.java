package org.lakecdp.core.lake;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.types.MapType;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.LakehouseSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lakehouse: where each {@link CdpTable} lives, its catalog name, and the Delta operations
 * jobs use on it. The folder layout is the source of truth ({@code <root>/<layer>/<table>});
 * the catalog is derived from it, so a lost or fresh metastore is rebuilt by
 * {@link #ensureTables} from the folders.
 *
 * <p>Every write is one Delta commit tagged with the run id as {@code userMetadata}, so
 * {@code DESCRIBE HISTORY} tells which run wrote which version.
 */
public final class Lakehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Lakehouse.class);

  private static final Pattern COMMIT_FILE = Pattern.compile("(\\d{20})\\.json");
  private static final String REPLACE_WHERE_CHECK =
      "spark.databricks.delta.replaceWhere.constraintCheck.enabled";

  /** A session's replaceWhere writes under way, and the check's setting from before them. */
  private static final class Unchecked {
    int writes;
    String before;
  }

  private static final Map<SparkSession, Unchecked> UNCHECKED = new java.util.IdentityHashMap<>();

  private final SparkSession spark;
  private final LakehouseSettings settings;
  private final Optional<PiiCipher> cipher;
  /** Tables whose stored values were checked against the key (once per lakehouse). */
  private final Set<CdpTable> keyChecked = ConcurrentHashMap.newKeySet();

  /** A lakehouse that stores PII columns as given (encryption disabled). */
  public Lakehouse(SparkSession spark, LakehouseSettings settings) {
    this(spark, settings, Optional.empty());
  }

  private Lakehouse(SparkSession spark, LakehouseSettings settings,
      Optional<PiiCipher> cipher) {
    this.spark = spark;
    this.settings = settings;
    this.cipher = cipher;
  }

  /**
   * This lakehouse with PII encryption at rest ({@link PiiCipher}): every write encrypts the
   * PII columns of the table, every read ({@link #read}, {@link #readAt}) decrypts them.
   * Empty: values are stored as given.
   */
  public Lakehouse withCipher(Optional<PiiCipher> cipher) {
    return new Lakehouse(spark, settings, cipher);
  }

  /** Whether PII columns are encrypted at rest. */
  public boolean encrypts() {
    return cipher.isPresent();
  }

  public SparkSession spark() {
    return spark;
  }

  public LakehouseSettings settings() {
    return settings;
  }

  /** Storage location of a table. */
  public String path(CdpTable table) {
    return settings.root() + "/" + table.layer().folder() + "/" + table.tableName();
  }

  /** Catalog name of a table, {@code database.table}. */
  public String name(CdpTable table) {
    return table.layer().database(settings) + "." + table.tableName();
  }

  /**
   * Creates every layer database (even one whose tables come later, so analysts find all
   * layers by name) and every table that does not exist yet; registers existing folders;
   * creates or replaces the masked view of every table with PII columns. Idempotent.
   */
  public void ensureTables() {
    for (Layer layer : Layer.values()) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + layer.database(settings) + " COMMENT "
          + quote(layer.description()) + " LOCATION "
          + quote(settings.root() + "/" + layer.folder()));
    }
    for (CdpTable table : CdpTable.values()) {
      ensureTable(table);
    }
    for (CdpTable table : PiiColumns.tagged()) {
      String query = PiiColumns.viewQuery(table, name(table));
      CatalogTable view = catalogEntry(maskedViewName(table));
      if (view != null && view.viewText().isDefined() && view.viewText().get().equals(query)) {
        continue;
      }
      spark.sql("CREATE OR REPLACE VIEW " + maskedViewName(table) + " COMMENT "
          + quote("Analysts' view of " + name(table) + ": PII masked, hashed or left out"
              + " (see PiiColumns)") + " AS " + query);
    }
  }

  /** A table's or view's entry in the metastore (no Delta log read), or null. */
  private CatalogTable catalogEntry(String name) {
    String[] parts = name.split("\\.", 2);
    TableIdentifier id = new TableIdentifier(parts[1], scala.Option.apply(parts[0]));
    try {
      return spark.sessionState().catalog().getTableRawMetadata(id);
    } catch (org.apache.spark.sql.AnalysisException e) {
      return null; // no such table or view
    }
  }

  /**
   * Catalog name of a table's masked view, in the gold database: what analysts are granted
   * instead of the table ({@link PiiColumns}).
   */
  public String maskedViewName(CdpTable table) {
    return Layer.GOLD.database(settings) + "." + PiiColumns.viewName(table);
  }

  private void ensureTable(CdpTable table) {
    CatalogTable entry = catalogEntry(name(table));
    if (entry != null) {
      String registered = entry.location().toString();
      if (!normalise(registered).equals(normalise(path(table)))) {
        throw new CdpException("table " + name(table) + " is registered in the catalog at "
            + registered + " but cdp.lakehouse.root puts it at " + path(table)
            + "; point cdp.lakehouse.root back, or DROP TABLE " + name(table)
            + " (its data stays) so it is registered anew");
      }
      // the table's own properties, from its Delta log (the metastore keeps none)
      Map<String, String> current = new java.util.HashMap<>();
      for (Row r : spark.sql("SHOW TBLPROPERTIES " + name(table)).collectAsList()) {
        current.put(r.getString(0), r.getString(1));
      }
      if (!table.properties().entrySet().stream()
          .allMatch(e -> e.getValue().equals(current.get(e.getKey())))) {
        // a table made by an earlier release: new files get today's statistics columns
        LOG.info("setting the table properties of {}", name(table));
        spark.sql("ALTER TABLE " + name(table) + " SET" + properties(table));
      }
      return;
    }
    String location = quote(path(table));
    if (DeltaTable.isDeltaTable(spark, path(table))) {
      LOG.info("registering existing table {} at {}", name(table), path(table));
      spark.sql("CREATE TABLE IF NOT EXISTS " + name(table) + " USING DELTA LOCATION "
          + location);
      return;
    }
    LOG.info("creating table {} at {}", name(table), path(table));
    String partitioning = table.partitionColumns().isEmpty() ? ""
        : " PARTITIONED BY (" + String.join(", ", table.partitionColumns()) + ")";
    spark.sql("CREATE TABLE IF NOT EXISTS " + name(table) + " (" + table.schema().toDDL()
        + ") USING DELTA" + partitioning + " COMMENT " + quote(table.comment())
        + " LOCATION " + location + properties(table));
  }

  private static String properties(CdpTable table) {
    return " TBLPROPERTIES (" + table.properties().entrySet().stream()
        .map(e -> quote(e.getKey()) + " = " + quote(e.getValue()))
        .collect(java.util.stream.Collectors.joining(", ")) + ")";
  }

  /** The current content of a table, PII decrypted when this lakehouse encrypts. */
  public Dataset<Row> read(CdpTable table) {
    return readable(table, readStored(table));
  }

  /**
   * The current content of a table as stored: with encryption, PII columns hold ciphertext.
   * For conditions on stored values (Delta MERGE, erasure) and for checking what is at rest.
   */
  public Dataset<Row> readStored(CdpTable table) {
    return spark.read().format("delta").load(path(table));
  }

  /**
   * A table as of one committed version (a pinned snapshot, unaffected by later writes),
   * PII decrypted when this lakehouse encrypts.
   */
  public Dataset<Row> readAt(CdpTable table, long version) {
    return readable(table, spark.read().format("delta").option("versionAsOf", version)
        .load(path(table)));
  }

  /**
   * Stored rows of a table with their PII decrypted (as they are without encryption). The
   * first read of a table decrypts one stored value on the driver, so a wrong key fails there
   * with a clear {@link CdpException} rather than inside a Spark task.
   */
  public Dataset<Row> readable(CdpTable table, Dataset<Row> stored) {
    if (cipher.isEmpty() || PiiCipher.encryptedColumns(table).isEmpty()) {
      return stored;
    }
    if (!keyChecked.contains(table)) {
      cipher.get().checkKey(stored, table);
      keyChecked.add(table);
    }
    return cipher.get().decryptColumns(stored, table);
  }

  /** Rows to store in a table: PII encrypted when this lakehouse encrypts. */
  private Dataset<Row> sealed(CdpTable table, Dataset<Row> rows) {
    return cipher.isEmpty() ? rows : cipher.get().encryptColumns(rows, table);
  }

  /**
   * Upserts {@code rows} into a table in one commit (a Delta MERGE on {@code condition}, an
   * SQL condition over aliases {@code t}, the table, and {@code s}, the rows): matched rows
   * are deleted when {@code deleteWhen} (over {@code s}, may be null) holds, else updated;
   * unmatched rows are inserted unless {@code deleteWhen} holds. Every column of the table is
   * set from the column of the same name in {@code rows}. Returns the version written.
   */
  public long merge(CdpTable table, Dataset<Row> rows, String condition, String deleteWhen,
      String runId) {
    Map<String, Column> set = new java.util.LinkedHashMap<>();
    for (String name : table.schema().fieldNames()) {
      set.put(name, col("s." + name));
    }
    tagged(runId, () -> {
      var builder = DeltaTable.forPath(spark, path(table)).as("t").merge(
          sealed(table, rows).as("s"), condition);
      if (deleteWhen != null) {
        builder = builder.whenMatched(deleteWhen).delete()
            .whenMatched().update(set)
            .whenNotMatched("NOT (" + deleteWhen + ")").insert(set);
      } else {
        builder = builder.whenMatched().update(set).whenNotMatched().insert(set);
      }
      builder.execute();
    });
    return version(table);
  }

  /**
   * Deletes the rows of a table matching any row of {@code keys} on {@code on} (over the
   * table's columns and the keys', names distinct), in one commit tagged with the run id: a
   * Delta MERGE whose commit description holds the condition, never the keys' values.
   * {@code on} compares stored values: with encryption, key values for a PII column must be
   * its ciphertext (as {@link #readStored} shows it). Returns the version written.
   */
  public long deleteMatching(CdpTable table, Dataset<Row> keys, Column on, String runId) {
    tagged(runId, () -> DeltaTable.forPath(spark, path(table)).as("t")
        .merge(keys.as("s"), on).whenMatched().delete().execute());
    return version(table);
  }

  /** Runs a Delta command whose commit carries the run id as userMetadata. */
  private void tagged(String runId, Runnable command) {
    String metadata = "spark.databricks.delta.commitInfo.userMetadata";
    spark.conf().set(metadata, runId);
    try {
      command.run();
    } finally {
      spark.conf().unset(metadata);
    }
  }

  /**
   * Latest committed version of a table, or -1 when it does not exist: the highest commit
   * file in its {@code _delta_log}, found with one listing and no Spark job.
   */
  public long version(CdpTable table) {
    Path log = new Path(path(table) + "/_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return -1;
      }
      long version = -1;
      for (FileStatus status : fs.listStatus(log)) {
        Matcher m = COMMIT_FILE.matcher(status.getPath().getName());
        if (m.matches()) {
          version = Math.max(version, Long.parseLong(m.group(1)));
        }
      }
      return version;
    } catch (IOException e) {
      throw new CdpException("cannot list the Delta log of " + name(table) + " at " + log
          + ": " + e.getMessage(), e);
    }
  }

  /** Appends rows in one commit; returns the version written. */
  public long append(CdpTable table, Dataset<Row> rows, String runId) {
    sealed(table, rows).write().format("delta").mode(SaveMode.Append)
        .option("userMetadata", runId).save(path(table));
    return version(table);
  }

  /** Replaces the whole content of a table in one commit; returns the version written. */
  public long overwrite(CdpTable table, Dataset<Row> rows, String runId) {
    sealed(table, rows).write().format("delta").mode(SaveMode.Overwrite)
        .option("userMetadata", runId).save(path(table));
    return version(table);
  }

  /**
   * Replaces the rows matching {@code predicate} (SQL) with {@code rows} in one commit, the
   * idempotent write every rerunnable job uses; returns the version written.
   *
   * <p>Every row of {@code rows} must match {@code predicate}; callers build both from the
   * same keys (source and file, run id). Delta's per-row re-check of that is switched off for
   * this write: on a predicate naming thousands of files it costs more than the write.
   */
  public long replaceWhere(CdpTable table, Dataset<Row> rows, String predicate, String runId) {
    uncheckedReplaceWhere(spark, true);
    try {
      sealed(table, rows).write().format("delta").mode(SaveMode.Overwrite)
          .option("replaceWhere", predicate)
          .option("userMetadata", runId).save(path(table));
    } finally {
      uncheckedReplaceWhere(spark, false);
    }
    return version(table);
  }

  /**
   * Switches Delta's replaceWhere re-check off for a session while at least one of our
   * writes runs ({@code entering}), and back to its earlier setting after the last: writes may
   * run side by side from several threads (the ingest's closing writes), and the session's
   * setting is one for all of them.
   */
  private static void uncheckedReplaceWhere(SparkSession spark, boolean entering) {
    synchronized (UNCHECKED) {
      Unchecked state = UNCHECKED.get(spark);
      if (entering) {
        if (state == null) {
          state = new Unchecked();
          state.before = spark.conf().get(REPLACE_WHERE_CHECK, "true");
          UNCHECKED.put(spark, state);
          spark.conf().set(REPLACE_WHERE_CHECK, "false");
        }
        state.writes++;
      } else if (--state.writes == 0) {
        UNCHECKED.remove(spark);
        spark.conf().set(REPLACE_WHERE_CHECK, state.before);
      }
    }
  }

  /**
   * The operation metrics Delta recorded with commit {@code version} of {@code table}
   * ({@code numOutputRows}, {@code numCopiedRows}, ...); empty when the commit is gone from the
   * log or recorded none.
   */
  public Map<String, String> operationMetrics(CdpTable table, long version) {
    long latest = version(table);
    if (version < 0 || version > latest) {
      return Map.of();
    }
    List<Row> rows = DeltaTable.forPath(spark, path(table))
        .history((int) Math.min(Integer.MAX_VALUE, latest - version + 1))
        .filter(col("version").equalTo(version)).select("operationMetrics").collectAsList();
    return rows.isEmpty() || rows.get(0).isNullAt(0) ? Map.of() : rows.get(0).getJavaMap(0);
  }

  /**
   * {@link #replaceWhere}, unless the rows stored under {@code predicate} hold the same values
   * as {@code rows} in every column but {@code stamps} (run ids, times): then nothing is
   * written and -1 is returned. What lets a rerun on the same input write nothing.
   */
  public long replaceWhereIfChanged(CdpTable table, Dataset<Row> rows, String predicate,
      Set<String> stamps, String runId) {
    if (version(table) >= 0) {
      Column[] compared = java.util.Arrays.stream(table.schema().fields())
          .filter(f -> !stamps.contains(f.name()))
          .map(f -> f.dataType() instanceof MapType
              ? array_sort(map_entries(col(f.name()))).as(f.name()) : col(f.name()))
          .toArray(Column[]::new);
      Dataset<Row> fresh = rows.select(compared);
      Dataset<Row> stored = read(table).where(predicate).select(compared);
      if (fresh.exceptAll(stored).isEmpty() && stored.exceptAll(fresh).isEmpty()) {
        LOG.info("{}: the rows under {} are unchanged; nothing written", name(table),
            predicate);
        return -1;
      }
    }
    return replaceWhere(table, rows, predicate, runId);
  }

  /**
   * Undoes a failed run's commits: puts a table back to {@code version} when every commit
   * after it was made by {@code runId}. A commit by anyone else (a concurrent run) is never
   * undone: the table is then left as it is and the refusal logged. A no-op when the table
   * is at {@code version} already.
   */
  public void restore(CdpTable table, long version, String runId) {
    if (version < 0 || version(table) <= version) {
      return;
    }
    DeltaTable delta = DeltaTable.forPath(spark, path(table));
    long foreign = delta.history().filter(col("version").gt(version))
        .filter(col("userMetadata").isNull().or(col("userMetadata").notEqual(runId))).count();
    if (foreign > 0) {
      LOG.error("not restoring {} to version {}: {} later commit(s) were not made by run {}",
          name(table), version, foreign, runId);
      return;
    }
    LOG.warn("restoring {} to version {}", name(table), version);
    delta.restoreToVersion(version);
  }

  /** A location without scheme noise: file:/x, file:///x and /x/ are all /x. */
  static String normalise(String location) {
    String s = location.replaceFirst("^file:(//)?", "");
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** A SQL string literal, with quotes and backslashes escaped. */
  public static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
