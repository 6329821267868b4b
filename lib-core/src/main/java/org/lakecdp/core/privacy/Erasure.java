package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PrivacyColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes persons from the lakehouse: the rows of every table that hold their records,
 * identifiers or customer ids. Identity records and memberships are left to the identity
 * run that follows (it sees the records gone from bronze and re-resolves the clusters they
 * bridged); {@link #purge} then drops every earlier table version's files.
 */
final class Erasure {
  private static final Logger LOG = LoggerFactory.getLogger(Erasure.class);

  /** Tables keyed by customer_id, emptied of the erased customers. */
  static final List<CdpTable> BY_CUSTOMER = List.of(CdpTable.SILVER_CONSENT_HISTORY,
      CdpTable.GOLD_CUSTOMER_PROFILE,
      CdpTable.GOLD_CUSTOMER_FEATURES, CdpTable.GOLD_CUSTOMER_SCORES,
      CdpTable.GOLD_SEGMENT_MEMBERSHIP, CdpTable.GOLD_SEGMENT_CHANGES);

  private final Lakehouse lake;
  private final Suppression suppression;

  Erasure(Lakehouse lake, Suppression suppression) {
    this.lake = lake;
    this.suppression = suppression;
  }

  /**
   * The rows of one table that hold a person: those matching a row of {@code keys} (columns
   * named {@code erase_*}) on {@code on}, a condition over the table's columns and the keys'.
   * The condition names columns only, never a value: it is what Delta writes into the commit
   * description in the log, which an erasure cannot purge.
   */
  record Match(Dataset<Row> keys, Column on) {
    /** The rows matching either (the same condition, keys of both). */
    Match and(Match other) {
      return new Match(keys.unionByName(other.keys), on);
    }
  }

  private static final String V = "erase_v";
  private static final String K_SOURCE = "erase_source";
  private static final String K_KEY = "erase_key";
  private static final String K_HASH = "erase_hash";

  /** What rows of which table hold a person; computed before anything is deleted. */
  Map<CdpTable, Match> matches(PersonLookup.Person person) {
    Map<CdpTable, Match> out = new LinkedHashMap<>();
    out.put(CdpTable.BRONZE_EVENTS, bronze(person));
    out.put(CdpTable.BRONZE_QUARANTINE, onStored(CdpTable.BRONZE_QUARANTINE, BronzeColumns.RAW,
        new Match(values(person.rawValues()), lower(col(BronzeColumns.RAW)).contains(col(V)))));
    Dataset<Row> records = recordKeys(person.records());
    Match keys = new Match(records, col(IdentityColumns.SOURCE).equalTo(col(K_SOURCE))
        .and(col(IdentityColumns.RECORD_KEY).equalTo(col(K_KEY))));
    out.put(CdpTable.SILVER_IDENTITY_RECORDS, keys);
    out.put(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, keys);
    out.put(CdpTable.SILVER_IDENTITY_LINKS, new Match(records,
        col(IdentityColumns.SOURCE_A).equalTo(col(K_SOURCE))
            .and(col(IdentityColumns.RECORD_KEY_A).equalTo(col(K_KEY)))
            .or(col(IdentityColumns.SOURCE_B).equalTo(col(K_SOURCE))
                .and(col(IdentityColumns.RECORD_KEY_B).equalTo(col(K_KEY))))));
    Set<String> values = new TreeSet<>();
    person.entries().stream().filter(e -> !e.kind().equals("source_key"))
        .forEach(e -> values.add(e.value()));
    // customer ids, and identifier values long enough to name no one else within a text
    Set<String> named = new TreeSet<>(person.customerIds());
    values.stream().filter(v -> v.length() >= 6)
        .forEach(v -> named.add(v.toLowerCase(java.util.Locale.ROOT)));
    out.put(CdpTable.SILVER_ID_LINEAGE, new Match(values(named),
        col(IdentityColumns.CUSTOMER_ID).equalTo(col(V))
            .or(col(IdentityColumns.FROM_CUSTOMER_ID).equalTo(col(V)))
            .or(lower(col(IdentityColumns.REASON)).contains(col(V)))));
    out.put(CdpTable.SILVER_IDENTITY_ALERTS, onStored(CdpTable.SILVER_IDENTITY_ALERTS,
        IdentityColumns.SUBJECT, new Match(values(named),
            col(IdentityColumns.SUBJECT).equalTo(col(V))
                .or(lower(col(IdentityColumns.SUBJECT)).contains(col(V))))));
    out.put(CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES, onStored(
        CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES, IdentityColumns.VALUE,
        new Match(values(values), col(IdentityColumns.VALUE).equalTo(col(V)))));
    Match customers = new Match(values(person.customerIds()),
        col(IdentityColumns.CUSTOMER_ID).equalTo(col(V)));
    for (CdpTable t : BY_CUSTOMER) {
      out.put(t, customers);
    }
    return out;
  }

  /** Bronze rows carrying one of the person's hashed identifiers, known by row id. */
  private Match bronze(PersonLookup.Person person) {
    Column on = col(BronzeColumns.SOURCE).equalTo(col(K_SOURCE))
        .and(col(BronzeColumns.RECORD_KEY).equalTo(col(K_KEY)))
        .and(col(BronzeColumns.RECORD_HASH).equalTo(col(K_HASH)));
    StructType schema = new StructType().add(K_SOURCE, DataTypes.StringType)
        .add(K_KEY, DataTypes.StringType).add(K_HASH, DataTypes.LongType);
    if (lake.version(CdpTable.BRONZE_EVENTS) < 0) {
      return new Match(lake.spark().createDataFrame(List.of(), schema), on);
    }
    Dataset<Row> hashes = values(person.entries().stream().map(suppression::hash).toList())
        .withColumnRenamed(V, PrivacyColumns.HASH);
    // lazy: read again at each use, so the check after deleting finds what is left
    Dataset<Row> hits = suppression.hits(lake.read(CdpTable.BRONZE_EVENTS), hashes);
    return new Match(hits.toDF(schema.fieldNames()), on);
  }

  /**
   * A match on the plain values of a PII column, as the table stores it: with encryption at
   * rest, the stored ciphertexts of the rows the plain match finds (lazy: found again at
   * each use), since the delete compares stored values.
   */
  private Match onStored(CdpTable table, String column, Match plain) {
    if (!lake.encrypts() || lake.version(table) < 0) {
      return plain;
    }
    String stored = "erase_stored";
    Dataset<Row> rows = lake.readable(table, lake.readStored(table)
        .withColumn(stored, col(column)));
    Dataset<Row> ciphertexts = rows.join(plain.keys(), plain.on(), "left_semi")
        .select(col(stored).as(V)).distinct();
    return new Match(ciphertexts, col(column).equalTo(col(V)));
  }

  private Dataset<Row> values(Collection<String> values) {
    List<Row> rows = values.stream().map(v -> RowFactory.create(v)).toList();
    return lake.spark().createDataFrame(rows, new StructType().add(V, DataTypes.StringType));
  }

  private Dataset<Row> recordKeys(Collection<PersonLookup.RecordKey> keys) {
    List<Row> rows = keys.stream().map(k -> RowFactory.create(k.source(), k.recordKey()))
        .toList();
    return lake.spark().createDataFrame(rows, new StructType()
        .add(K_SOURCE, DataTypes.StringType).add(K_KEY, DataTypes.StringType));
  }

  /** Tables whose rows the identity run removes, not this class. */
  static final Set<CdpTable> LEFT_TO_IDENTITY = Set.of(CdpTable.SILVER_IDENTITY_RECORDS,
      CdpTable.SILVER_CUSTOMER_MEMBERSHIP);

  /** Rows of a table holding the person (what a receipt reports). */
  long count(CdpTable table, Match match) {
    return lake.version(table) < 0 ? 0
        : lake.readStored(table).join(match.keys(), match.on(), "left_semi").count();
  }

  /** Deletes the matching rows in one commit tagged with the run id. */
  void delete(CdpTable table, Match match, String runId) {
    if (count(table, match) == 0) {
      return;
    }
    lake.deleteMatching(table, match.keys(), match.on(), runId);
  }

  /**
   * Makes the deletions final: rewrites files holding deletion vectors and vacuums every
   * file of earlier versions older than {@code retentionHours}.
   */
  void purge(Collection<CdpTable> tables, int retentionHours) {
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String previous = lake.spark().conf().get(check, "true");
    lake.spark().conf().set(check, "false");
    try {
      for (CdpTable t : tables) {
        if (lake.version(t) < 0) {
          continue;
        }
        String table = "delta.`" + lake.path(t).replace("`", "``") + "`";
        lake.spark().sql("REORG TABLE " + table + " APPLY (PURGE)").collect();
        lake.spark().sql("VACUUM " + table + " RETAIN " + retentionHours + " HOURS").collect();
        LOG.info("purged {} (retention {} h)", lake.name(t), retentionHours);
      }
    } finally {
      lake.spark().conf().set(check, previous);
    }
  }
}
