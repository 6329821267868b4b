package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.MlColumns;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * The consent history ({@code cdp_silver.consent_history}) and the consent state it gives at
 * any instant.
 *
 * <p>Every consent event (canonical type {@code consent} with consent_purpose and
 * consent_status; channel optional) of a record with a membership is one row: its status is
 * valid from the event time until the next event of the same customer, purpose and channel
 * (exclusive; null while still valid). Purposes, channels and statuses are lower-cased;
 * events without a purpose or status are ignored; of a source record ingested in several
 * versions the latest counts (by event time, ingest time, content hash), as in the profile.
 * Events at the same time are ordered by source and record key, the greater winning, so a
 * superseded event at the same instant has an empty interval and is never valid.
 *
 * <p>The state at an instant is, per customer and purpose, the status of the latest event
 * (on any channel) at or before it: the semantics of the profile's {@code consent_status}.
 */
public final class ConsentHistory {
  private ConsentHistory() {}

  private static final String AT = "_consent_at";

  /** The history of every customer of {@code membership}, in the table's columns. */
  public static Dataset<Row> buildHistory(Dataset<Row> bronze, Dataset<Row> membership) {
    Dataset<Row> latest = bronze
        .where(col(BronzeColumns.EVENT_TYPE).equalTo("consent"))
        .select(col(BronzeColumns.SOURCE), col(BronzeColumns.RECORD_KEY),
            col(BronzeColumns.EVENT_TIME), col(BronzeColumns.ATTRIBUTES),
            col(BronzeColumns.INGESTED_AT), col(BronzeColumns.RECORD_HASH))
        .withColumn("v", row_number().over(Window.partitionBy(col(BronzeColumns.SOURCE),
                col(BronzeColumns.RECORD_KEY))
            .orderBy(col(BronzeColumns.EVENT_TIME).desc(), col(BronzeColumns.INGESTED_AT).desc(),
                col(BronzeColumns.RECORD_HASH).desc())))
        .where(col("v").equalTo(1));
    Dataset<Row> events = latest.join(membership.select(col(IdentityColumns.SOURCE),
                col(IdentityColumns.RECORD_KEY), col(IdentityColumns.CUSTOMER_ID)),
            new String[] {BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY})
        .select(col(IdentityColumns.CUSTOMER_ID).as(PrivacyColumns.CUSTOMER_ID),
            lower(attribute("consent_purpose")).as(PrivacyColumns.PURPOSE),
            lower(attribute("channel")).as(PrivacyColumns.CHANNEL),
            lower(attribute("consent_status")).as(PrivacyColumns.STATUS),
            col(BronzeColumns.EVENT_TIME).as(PrivacyColumns.VALID_FROM),
            col(BronzeColumns.SOURCE).as(PrivacyColumns.SOURCE),
            col(BronzeColumns.RECORD_KEY).as(PrivacyColumns.RECORD_KEY))
        .where(col(PrivacyColumns.PURPOSE).isNotNull()
            .and(col(PrivacyColumns.STATUS).isNotNull()));
    return events.withColumn(PrivacyColumns.VALID_TO, lead(col(PrivacyColumns.VALID_FROM), 1)
            .over(Window.partitionBy(col(PrivacyColumns.CUSTOMER_ID),
                    col(PrivacyColumns.PURPOSE), col(PrivacyColumns.CHANNEL))
                .orderBy(col(PrivacyColumns.VALID_FROM), col(PrivacyColumns.SOURCE),
                    col(PrivacyColumns.RECORD_KEY))))
        .select(java.util.Arrays.stream(PrivacyColumns.CONSENT_HISTORY.fieldNames())
            .map(c -> col(c)).toArray(Column[]::new));
  }

  /** The instant standing for the end of a UTC day: its last microsecond. */
  public static Timestamp endOf(LocalDate day) {
    return Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
        .minusNanos(1000));
  }

  /**
   * Per customer with a consent event at or before {@code at}: {@code customer_id} and
   * {@code consent_status}, the map purpose to the status then valid (latest on any channel).
   */
  public static Dataset<Row> consentAsOf(Dataset<Row> history, Timestamp at) {
    return latestPerPurpose(history.withColumn(AT, lit(at)), List.of())
        .groupBy(col(PrivacyColumns.CUSTOMER_ID))
        .agg(map_from_entries(sort_array(collect_list(struct(col(PrivacyColumns.PURPOSE),
            col(PrivacyColumns.STATUS))))).as(ProfileColumns.CONSENT_STATUS));
  }

  /** {@link #consentAsOf(Dataset, Timestamp)} at the end of {@code day} (UTC). */
  public static Dataset<Row> consentAsOf(Dataset<Row> history, LocalDate day) {
    return consentAsOf(history, endOf(day));
  }

  /**
   * The rows of history valid at {@code at}: per customer, purpose and channel the one whose
   * interval holds it.
   */
  public static Dataset<Row> validAt(Dataset<Row> history, Timestamp at) {
    return history.where(valid(lit(at)));
  }

  /**
   * The gold profiles (PII decrypted when encrypted at rest), with {@code consent_status} as
   * valid at the end of {@code day} in {@code cdp_silver.consent_history}, whatever the
   * profile's date: what segments and exports of a run date decide by.
   */
  public static Dataset<Row> profilesWithConsentAsOf(Lakehouse lake, LocalDate day) {
    return withConsentAsOf(lake.read(CdpTable.GOLD_CUSTOMER_PROFILE),
        lake.read(CdpTable.SILVER_CONSENT_HISTORY), day);
  }

  /**
   * {@code profiles} with {@code consent_status} replaced by the state at the end of
   * {@code day}; customers without a consent event by then get null (no consent).
   */
  public static Dataset<Row> withConsentAsOf(Dataset<Row> profiles, Dataset<Row> history,
      LocalDate day) {
    List<Column> cols = new ArrayList<>();
    for (String c : profiles.columns()) {
      cols.add(c.equals(ProfileColumns.CONSENT_STATUS)
          ? col("h." + ProfileColumns.CONSENT_STATUS).as(c) : col("p." + c));
    }
    return profiles.as("p").join(consentAsOf(history, day).as("h"),
            col("p." + ProfileColumns.CUSTOMER_ID).equalTo(col("h."
                + PrivacyColumns.CUSTOMER_ID)), "left")
        .select(cols.toArray(Column[]::new));
  }

  /**
   * {@code rows} (with {@code customer_id} and a cutoff date {@code as_of}, as model features
   * have) without those whose customer had, before the cutoff (its 00:00 UTC, the instant
   * model features stop at), a status in {@code withdrawnStatuses} for one of
   * {@code purposes}. No consent event counts as allowed. Empty purposes keep every row.
   */
  public static Dataset<Row> withoutWithdrawn(Dataset<Row> rows, Dataset<Row> history,
      List<String> purposes, List<String> withdrawnStatuses) {
    if (purposes.isEmpty() || withdrawnStatuses.isEmpty()) {
      return rows;
    }
    Dataset<Row> cutoffs = rows.select(col(MlColumns.AS_OF)).distinct();
    Column cutoff = col(MlColumns.AS_OF).cast(DataTypes.TimestampType);
    Dataset<Row> perCutoff = history.where(col(PrivacyColumns.PURPOSE).isin(purposes.toArray()))
        .crossJoin(cutoffs)
        // strictly before the cutoff's first instant
        .withColumn(AT, timestamp_micros(unix_micros(cutoff).minus(1)));
    Dataset<Row> withdrawn = latestPerPurpose(perCutoff, List.of(col(MlColumns.AS_OF)))
        .where(col(PrivacyColumns.STATUS).isin(withdrawnStatuses.toArray()))
        .select(col(PrivacyColumns.CUSTOMER_ID).as(MlColumns.CUSTOMER_ID),
            col(MlColumns.AS_OF)).distinct();
    return rows.join(withdrawn, new String[] {MlColumns.CUSTOMER_ID, MlColumns.AS_OF},
        "left_anti");
  }

  /**
   * Per customer, purpose (and {@code keys}), the history row valid at column {@value #AT}
   * that started last over every channel.
   */
  private static Dataset<Row> latestPerPurpose(Dataset<Row> history, List<Column> keys) {
    List<Column> partition = new ArrayList<>(List.of(col(PrivacyColumns.CUSTOMER_ID),
        col(PrivacyColumns.PURPOSE)));
    partition.addAll(keys);
    return history.where(valid(col(AT)))
        .withColumn("v", row_number().over(Window.partitionBy(partition.toArray(Column[]::new))
            .orderBy(col(PrivacyColumns.VALID_FROM).desc(), col(PrivacyColumns.SOURCE).desc(),
                col(PrivacyColumns.RECORD_KEY).desc())))
        .where(col("v").equalTo(1)).drop("v", AT);
  }

  private static Column valid(Column at) {
    return col(PrivacyColumns.VALID_FROM).leq(at).and(col(PrivacyColumns.VALID_TO).isNull()
        .or(col(PrivacyColumns.VALID_TO).gt(at)));
  }

  private static Column attribute(String name) {
    Column v = trim(element_at(col(BronzeColumns.ATTRIBUTES), lit(name)));
    return when(v.notEqual(""), v);
  }
}
