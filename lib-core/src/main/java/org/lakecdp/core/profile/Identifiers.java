package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.ProfileColumns;

/** Every identifier and source record of each customer. */
public final class Identifiers {
  private Identifiers() {}

  /**
   * One row per customer of {@code membership}: record_count, source_keys
   * ({@code source:record_key}) and sources, all sorted.
   */
  public static Dataset<Row> listCustomers(Dataset<Row> membership) {
    return membership.groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(count(lit(1)).as(ProfileColumns.RECORD_COUNT),
            sort_array(collect_set(concat(col(IdentityColumns.SOURCE), lit(":"),
                col(IdentityColumns.RECORD_KEY)))).as(ProfileColumns.SOURCE_KEYS),
            sort_array(collect_set(col(IdentityColumns.SOURCE))).as(ProfileColumns.SOURCES));
  }

  /**
   * Per customer, the sorted distinct usable standardised identifiers of its records (event
   * time at most the end of {@code asOf}): emails (valid), phones (E.164), device_ids,
   * cookie_ids, loyalty_ids, source_customer_ids; and first_seen_at, last_seen_at.
   * Identifiers the identity guardrails withheld (null-like, over-shared) are left out.
   */
  public static Dataset<Row> collectIdentifiers(Dataset<Row> identityRecords,
      Dataset<Row> membership, LocalDate asOf) {
    Dataset<Row> records = identityRecords
        .withColumnRenamed(IdentityColumns.SRC_CUSTOMER_ID, "src_customer_id")
        .where(col(IdentityColumns.EVENT_TIME).lt(lit(java.sql.Timestamp.valueOf(
            asOf.plusDays(1).atStartOfDay()))))
        .join(membership.select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
                col(IdentityColumns.CUSTOMER_ID)),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY});
    return records.groupBy(col(IdentityColumns.CUSTOMER_ID)).agg(
        ids(col(IdentityColumns.EMAIL), IdentityColumns.EMAIL,
            col(IdentityColumns.EMAIL_VALID).equalTo(true)).as(ProfileColumns.EMAILS),
        ids(col(IdentityColumns.PHONE), IdentityColumns.PHONE, lit(true))
            .as(ProfileColumns.PHONES),
        ids(col(IdentityColumns.DEVICE_ID), IdentityColumns.DEVICE_ID, lit(true))
            .as(ProfileColumns.DEVICE_IDS),
        ids(col(IdentityColumns.COOKIE_ID), IdentityColumns.COOKIE_ID, lit(true))
            .as(ProfileColumns.COOKIE_IDS),
        ids(col(IdentityColumns.LOYALTY_ID), IdentityColumns.LOYALTY_ID, lit(true))
            .as(ProfileColumns.LOYALTY_IDS),
        ids(col("src_customer_id"), IdentityColumns.SRC_CUSTOMER_ID, lit(true))
            .as(ProfileColumns.SOURCE_CUSTOMER_IDS),
        min(col(IdentityColumns.EVENT_TIME)).as(ProfileColumns.FIRST_SEEN_AT),
        max(col(IdentityColumns.EVENT_TIME)).as(ProfileColumns.LAST_SEEN_AT));
  }

  private static Column ids(Column value, String field, Column valid) {
    Column usable = value.isNotNull().and(valid).and(not(exists(
        col(IdentityColumns.UNUSABLE), u -> u.startsWith(field + ":"))));
    return sort_array(collect_set(when(usable, value)));
  }
}
