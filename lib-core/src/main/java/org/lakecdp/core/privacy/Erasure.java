package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
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

  /** What rows of which table hold a person; computed before anything is deleted. */
  Map<CdpTable, Column> conditions(PersonLookup.Person person) {
    Map<CdpTable, Column> out = new LinkedHashMap<>();
    List<String> hashes = person.entries().stream().map(suppression::hash).toList();
    out.put(CdpTable.BRONZE_EVENTS, arrays_overlap(suppression.candidateHashes(),
        array(hashes.stream().map(h -> lit(h)).toArray(Column[]::new))));
    Column quarantined = lit(false);
    for (String v : person.rawValues()) {
      quarantined = quarantined.or(lower(col(BronzeColumns.RAW)).contains(v));
    }
    out.put(CdpTable.BRONZE_QUARANTINE, quarantined);
    Column keys = keyIn(person.records(), IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY);
    out.put(CdpTable.SILVER_IDENTITY_RECORDS, keys);
    out.put(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, keys);
    out.put(CdpTable.SILVER_IDENTITY_LINKS, keyIn(person.records(), IdentityColumns.SOURCE_A,
        IdentityColumns.RECORD_KEY_A).or(keyIn(person.records(), IdentityColumns.SOURCE_B,
        IdentityColumns.RECORD_KEY_B)));
    Set<String> values = new TreeSet<>();
    person.entries().stream().filter(e -> !e.kind().equals("source_key"))
        .forEach(e -> values.add(e.value()));
    Set<String> longValues = new TreeSet<>(values);
    longValues.removeIf(v -> v.length() < 6);
    Object[] ids = person.customerIds().toArray();
    out.put(CdpTable.SILVER_ID_LINEAGE, col(IdentityColumns.CUSTOMER_ID).isin(ids)
        .or(col(IdentityColumns.FROM_CUSTOMER_ID).isin(ids))
        .or(containsAny(col(IdentityColumns.REASON), longValues)));
    out.put(CdpTable.SILVER_IDENTITY_ALERTS, col(IdentityColumns.SUBJECT).isin(ids)
        .or(containsAny(col(IdentityColumns.SUBJECT), longValues)));
    out.put(CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES,
        col(IdentityColumns.VALUE).isin(values.toArray()));
    for (CdpTable t : BY_CUSTOMER) {
      out.put(t, col(IdentityColumns.CUSTOMER_ID).isin(ids));
    }
    return out;
  }

  /** Tables whose rows the identity run removes, not this class. */
  static final Set<CdpTable> LEFT_TO_IDENTITY = Set.of(CdpTable.SILVER_IDENTITY_RECORDS,
      CdpTable.SILVER_CUSTOMER_MEMBERSHIP);

  /** Rows of each table matching a condition (what a receipt reports). */
  long count(CdpTable table, Column condition) {
    return lake.version(table) < 0 ? 0 : lake.read(table).where(condition).count();
  }

  /** Deletes the rows matching {@code condition} in one commit tagged with the run id. */
  void delete(CdpTable table, Column condition, String runId) {
    if (lake.version(table) < 0 || count(table, condition) == 0) {
      return;
    }
    lake.delete(table, condition, runId);
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

  private static Column keyIn(Collection<PersonLookup.RecordKey> keys, String source,
      String key) {
    if (keys.isEmpty()) {
      return lit(false);
    }
    List<String> joined = new ArrayList<>();
    keys.forEach(k -> joined.add(k.joined()));
    return concat(col(source), lit(":"), col(key)).isin(joined.toArray());
  }

  private static Column containsAny(Column text, Collection<String> values) {
    Column out = lit(false);
    for (String v : values) {
      out = out.or(lower(text).contains(v.toLowerCase(java.util.Locale.ROOT)));
    }
    return out;
  }
}
