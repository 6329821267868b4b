package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.array;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.quality.IdentityStandardizer;

/**
 * The suppression list ({@code cdp_ops.suppression_list}): salted SHA-256 hashes of the
 * identifiers of erased persons, never the values. A bronze row carrying one of them (its
 * source record key, standardised email or E.164 phone, source customer id or loyalty card)
 * is not ingested again, so re-ingesting old data does not recreate an erased person.
 *
 * <p>A hash is {@code sha256(salt + kind + ":" + value)}, so equal values of different kinds
 * never collide and the list is useless without the salt. Every entry records a fingerprint
 * of its salt: a changed salt fails loudly instead of silently matching nothing.
 */
public final class Suppression {
  /** Identifier kinds hashed into the list, with the bronze column each is read from. */
  static final List<String> KINDS = List.of("source_key", "email", "phone", "customer_id",
      "loyalty_id");

  private final Lakehouse lake;
  private final String salt;
  private final String defaultRegion;

  public Suppression(Lakehouse lake, CdpSettings settings) {
    this.lake = lake;
    this.salt = settings.privacy().salt().orElse(null);
    this.defaultRegion = settings.identity().defaultRegion();
  }

  /** A suppression entry before hashing: kind and standardised value. */
  public record Entry(String kind, String value) {}

  /** The salted hash of one entry (what the list stores). */
  public String hash(Entry entry) {
    return hash(requireSalt(), entry.kind(), entry.value());
  }

  static String hash(String salt, String kind, String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((salt + kind + ":" + value).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A short public fingerprint of the salt, stored beside every hash. */
  String saltId() {
    return hash(requireSalt(), "salt", "").substring(0, 16);
  }

  private String requireSalt() {
    if (salt == null) {
      throw new CdpException("cdp.privacy.salt is not set: set CDP_PRIVACY_SALT to a long"
          + " random secret, kept stable, before erasing anyone or ingesting with a"
          + " suppression list");
    }
    return salt;
  }

  /** Rows of the suppression list a run adds for {@code entries}. */
  Dataset<Row> rows(List<Entry> entries, String requestId, Timestamp at) {
    String saltId = saltId();
    List<Row> rows = new ArrayList<>();
    for (Entry e : entries.stream().distinct().toList()) {
      rows.add(RowFactory.create(hash(e), e.kind(), saltId, requestId, at));
    }
    return lake.spark().createDataFrame(rows, PrivacyColumns.SUPPRESSION);
  }

  /**
   * The hashes of the list, or null when it is empty (the common case, which costs one
   * listing of the Delta log). Fails when entries were made with another salt.
   */
  Dataset<Row> hashes() {
    if (lake.version(CdpTable.OPS_SUPPRESSION_LIST) < 0) {
      return null;
    }
    List<Row> salts = lake.read(CdpTable.OPS_SUPPRESSION_LIST)
        .select(PrivacyColumns.SALT_ID).distinct().collectAsList();
    if (salts.isEmpty()) {
      return null;
    }
    String current = saltId();
    for (Row r : salts) {
      if (!r.getString(0).equals(current)) {
        throw new CdpException(lake.name(CdpTable.OPS_SUPPRESSION_LIST) + " holds hashes made"
            + " with another cdp.privacy.salt (fingerprint " + r.getString(0) + ", the"
            + " configured salt's is " + current + "): set CDP_PRIVACY_SALT back to the salt"
            + " they were made with");
      }
    }
    return lake.read(CdpTable.OPS_SUPPRESSION_LIST).select(col(PrivacyColumns.HASH)).distinct();
  }

  /**
   * Bronze rows whose identifiers are not suppressed; {@code rows} itself when the list is
   * empty. {@code rows} has the bronze envelope columns (source, record_key, email, phone,
   * customer_id, loyalty_id). The suppressed ones are found among {@code sameRows}: the same
   * rows from a query of their own, where computing {@code rows} twice must be avoided (it
   * counts what it reads, for one).
   */
  public Dataset<Row> withoutSuppressedFoundIn(Dataset<Row> rows, Dataset<Row> sameRows) {
    Dataset<Row> hashes = hashes();
    return hashes == null ? rows : rows.join(hits(sameRows, hashes), ROW_ID, "left_anti");
  }

  /** True when the suppression list has entries. */
  public boolean active() {
    return hashes() != null;
  }

  /** What tells bronze rows apart: source, key and content hash (equal rows go alike). */
  static final String[] ROW_ID = {BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY,
      BronzeColumns.RECORD_HASH};

  /**
   * The {@link #ROW_ID} of the bronze {@code rows} carrying one of {@code hashes} (a column
   * {@link PrivacyColumns#HASH}), distinct.
   */
  Dataset<Row> hits(Dataset<Row> rows, Dataset<Row> hashes) {
    return rows.select(col(ROW_ID[0]), col(ROW_ID[1]), col(ROW_ID[2]),
            explode(candidateHashes()).as("h"))
        .join(broadcast(hashes), col("h").equalTo(col(PrivacyColumns.HASH)), "left_semi")
        .select(col(ROW_ID[0]), col(ROW_ID[1]), col(ROW_ID[2])).distinct();
  }

  /** Every hash a bronze row could be suppressed by; nulls left out. */
  Column candidateHashes() {
    String s = requireSalt();
    Column[] hashes = {
        hashed(s, "source_key", concat(col(BronzeColumns.SOURCE), lit(":"),
            col(BronzeColumns.RECORD_KEY))),
        hashed(s, "email", IdentityStandardizer.standardEmail(col(IdentityColumns.EMAIL))),
        hashed(s, "phone", IdentityStandardizer.standardPhone(col(IdentityColumns.PHONE),
            defaultRegion)),
        hashed(s, "customer_id", trim(col(IdentityColumns.SRC_CUSTOMER_ID))),
        hashed(s, "loyalty_id", trim(col(IdentityColumns.LOYALTY_ID)))};
    return filter(array(hashes), h -> h.isNotNull());
  }

  private static Column hashed(String salt, String kind, Column value) {
    return sha2(concat(lit(salt + kind + ":"), value), 256);
  }
}
