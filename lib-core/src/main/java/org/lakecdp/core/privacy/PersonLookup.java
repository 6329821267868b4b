package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;

/**
 * Who a privacy request is about: the customers an identifier resolves to in the silver
 * identity tables, all of their source records, and the identifiers those records carry.
 * Records matching the identifier that no customer holds yet (ingested after the last
 * identity run) count too.
 */
final class PersonLookup {
  private final Lakehouse lake;
  private final String defaultRegion;

  PersonLookup(Lakehouse lake, String defaultRegion) {
    this.lake = lake;
    this.defaultRegion = defaultRegion;
  }

  /** A source record: source and record key. */
  record RecordKey(String source, String recordKey) {
    String joined() {
      return source + ":" + recordKey;
    }
  }

  /**
   * What is held about one person.
   *
   * @param customerIds the CDP customer ids the identifier resolved to
   * @param records every source record of those customers, and those matching directly
   * @param entries the identifiers of those records, as suppression entries (kind and
   *     standardised value); values withheld from linking (null-like, over-shared) left out
   * @param rawValues emails and phones, standardised and as the sources wrote them, lower
   *     case, at least 6 characters: what finds the person in raw text (quarantine)
   */
  record Person(Set<String> customerIds, List<RecordKey> records,
      List<Suppression.Entry> entries, Set<String> rawValues) {
    boolean found() {
      return !records.isEmpty() || !customerIds.isEmpty();
    }
  }

  Person find(Identifier id) {
    Dataset<Row> records = lake.read(CdpTable.SILVER_IDENTITY_RECORDS);
    Dataset<Row> membership = lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP);
    String value = id.standardised(defaultRegion);
    Column direct = switch (id.kind()) {
      case EMAIL -> col(IdentityColumns.EMAIL).equalTo(value);
      case PHONE -> col(IdentityColumns.PHONE).equalTo(value);
      case CUSTOMER_ID -> col(IdentityColumns.SRC_CUSTOMER_ID).equalTo(value);
      case SOURCE_KEY -> col(IdentityColumns.SOURCE).equalTo(id.source())
          .and(col(IdentityColumns.RECORD_KEY).equalTo(id.recordKey()));
    };
    Set<RecordKey> matched = new LinkedHashSet<>();
    for (Row r : records.where(direct).select(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY)
        .distinct().collectAsList()) {
      matched.add(new RecordKey(r.getString(0), r.getString(1)));
    }
    if (id.kind() == Identifier.Kind.SOURCE_KEY) {
      matched.add(new RecordKey(id.source(), id.recordKey()));
    }
    Set<String> customers = new TreeSet<>();
    Column byCustomer = id.kind() == Identifier.Kind.CUSTOMER_ID
        ? col(IdentityColumns.CUSTOMER_ID).equalTo(value) : lit(false);
    for (Row r : membership.where(byCustomer.or(keyIn(matched)))
        .select(IdentityColumns.CUSTOMER_ID).distinct().collectAsList()) {
      customers.add(r.getString(0));
    }
    Set<RecordKey> all = new LinkedHashSet<>(matched);
    if (!customers.isEmpty()) {
      for (Row r : membership.where(col(IdentityColumns.CUSTOMER_ID).isin(customers.toArray()))
          .select(IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY).collectAsList()) {
        all.add(new RecordKey(r.getString(0), r.getString(1)));
      }
    }
    List<Suppression.Entry> entries = entries(records, all, id, value);
    Set<String> raw = new TreeSet<>();
    entries.stream().filter(e -> e.kind().equals("email") || e.kind().equals("phone"))
        .forEach(e -> raw.add(e.value().toLowerCase(Locale.ROOT)));
    if (!all.isEmpty()) {
      for (Row r : records.where(keyIn(all)).select(
          element_at(col(IdentityColumns.ORIGINAL), lit(IdentityColumns.EMAIL)),
          element_at(col(IdentityColumns.ORIGINAL), lit(IdentityColumns.PHONE)))
          .collectAsList()) {
        for (int i = 0; i < 2; i++) {
          if (!r.isNullAt(i)) {
            raw.add(r.getString(i).trim().toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    raw.removeIf(v -> v.length() < 6);
    return new Person(customers, List.copyOf(all), entries, raw);
  }

  private static Column keyIn(Set<RecordKey> keys) {
    if (keys.isEmpty()) {
      return lit(false);
    }
    return org.apache.spark.sql.functions.concat(col(IdentityColumns.SOURCE), lit(":"),
        col(IdentityColumns.RECORD_KEY)).isin(keys.stream().map(RecordKey::joined).toArray());
  }

  /** Suppression entries of the records' usable identifiers, and of the records themselves. */
  private List<Suppression.Entry> entries(Dataset<Row> records, Set<RecordKey> keys,
      Identifier id, String value) {
    Set<Suppression.Entry> out = new LinkedHashSet<>();
    for (RecordKey k : keys) {
      out.add(new Suppression.Entry("source_key", k.joined()));
    }
    if (id.kind() != Identifier.Kind.SOURCE_KEY) {
      out.add(new Suppression.Entry(id.kind().label(), value));
    }
    if (!keys.isEmpty()) {
      List<String> fields = List.of(IdentityColumns.EMAIL, IdentityColumns.PHONE,
          IdentityColumns.SRC_CUSTOMER_ID, IdentityColumns.LOYALTY_ID);
      List<Column> select = new ArrayList<>(List.of(col(IdentityColumns.UNUSABLE)));
      fields.forEach(f -> select.add(col(f)));
      for (Row r : records.where(keyIn(keys)).select(select.toArray(Column[]::new))
          .collectAsList()) {
        List<String> unusable = r.getList(0);
        for (int i = 0; i < fields.size(); i++) {
          String f = fields.get(i);
          String v = r.getString(i + 1);
          boolean withheld = unusable.stream().anyMatch(u -> u.startsWith(f + ":"));
          if (v != null && !withheld) {
            out.add(new Suppression.Entry(f, v));
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
