package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;

/**
 * The customers whose per-customer profile aggregates may differ from those the last run
 * stored, as one distinct customer_id column. A customer is touched when, between the last
 * run's inputs and this run's:
 *
 * <ul>
 *   <li>a membership row of theirs appeared, changed or went (old and new customer ids);
 *   <li>an identity record of theirs appeared, changed or went;
 *   <li>a bronze event of theirs appeared or went, judged per source, event date and ingest
 *       run: a group whose row count differs is read again in full, so re-ingested days and
 *       deletions count too;
 *   <li>the logical date moved and one of their events or records became visible (dated
 *       after the last run's date) or left a profile window (engagement, preferences, RFM).
 * </ul>
 *
 * <p>Everything else a profile holds depends only on these, or is derived afresh for every
 * customer each run. An input read at the version the last run read is not compared: a
 * rerun of the day, or a run after scoring alone, reads no old version and diffs nothing.
 */
final class Touched {
  private static final String ID = IdentityColumns.CUSTOMER_ID;
  private static final String[] KEY = {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY};
  private static final String[] PART = {BronzeColumns.SOURCE, BronzeColumns.EVENT_DATE,
      BronzeColumns.RUN_ID};

  private Touched() {}

  /**
   * The touched customers; an input in {@code unchanged} (read at the very version the last
   * run read) is not compared with itself, nor is its old version read.
   */
  static Dataset<Row> since(Lakehouse lake, CustomerProfiles.PreviousRun previous,
      Set<CdpTable> unchanged, Dataset<Row> bronze, Dataset<Row> membership,
      Dataset<Row> records, LocalDate asOf, ProfileSettings settings) {
    Dataset<Row> now = membership.select(col(IdentityColumns.SOURCE),
        col(IdentityColumns.RECORD_KEY), col(ID));
    Dataset<Row> before = unchanged.contains(CdpTable.SILVER_CUSTOMER_MEMBERSHIP) ? now
        : lake.readAt(CdpTable.SILVER_CUSTOMER_MEMBERSHIP,
            previous.inputs().get(CdpTable.SILVER_CUSTOMER_MEMBERSHIP))
            .select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY), col(ID));

    List<Dataset<Row>> touched = new ArrayList<>();
    if (!unchanged.contains(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)) {
      // memberships that differ, on either side
      touched.add(now.except(before).select(col(ID)));
      touched.add(before.except(now).select(col(ID)));
    }

    if (!unchanged.contains(CdpTable.SILVER_IDENTITY_RECORDS)) {
      // identity records that differ (any column but the run id), through either membership
      Dataset<Row> recordsNow = contentKeys(records);
      Dataset<Row> recordsBefore = contentKeys(lake.readAt(CdpTable.SILVER_IDENTITY_RECORDS,
          previous.inputs().get(CdpTable.SILVER_IDENTITY_RECORDS)));
      touched.add(customersOf(recordsNow.join(recordsBefore, recordsNow.columns(),
          "left_anti"), now));
      touched.add(customersOf(recordsBefore.join(recordsNow, recordsNow.columns(),
          "left_anti"), before));
    }

    if (!unchanged.contains(CdpTable.BRONZE_EVENTS)) {
      // bronze groups (source, event date, ingest run) whose rows differ, through either side
      Dataset<Row> oldBronze = lake.readAt(CdpTable.BRONZE_EVENTS,
          previous.inputs().get(CdpTable.BRONZE_EVENTS));
      Dataset<Row> partsNow = bronze.groupBy(PART[0], PART[1], PART[2]).agg(count(lit(1))
          .as("rows_now"));
      Dataset<Row> partsBefore = oldBronze.groupBy(PART[0], PART[1], PART[2])
          .agg(count(lit(1)).as("rows_before"));
      Dataset<Row> changedParts = broadcast(partsNow.join(partsBefore, PART, "full_outer")
          .where(not(col("rows_now").eqNullSafe(col("rows_before"))))
          .select(PART[0], PART[1], PART[2]).localCheckpoint());
      touched.add(customersOf(bronze.join(changedParts, PART, "left_semi"), now));
      touched.add(customersOf(oldBronze.join(changedParts, PART, "left_semi"), before));
    }

    // the moving logical date: events and records newly visible, events leaving a window
    if (asOf.isAfter(previous.asOf())) {
      Column eventDate = col(BronzeColumns.EVENT_DATE);
      Column moved = eventDate.gt(lit(Date.valueOf(previous.asOf())))
          .and(eventDate.leq(lit(Date.valueOf(asOf))));
      for (int days : List.of(settings.rfmWindowDays(), settings.engagementWindowDays(),
          settings.preferencesWindowDays())) {
        // in the window ending at the last run's date, not in the one ending at this one
        moved = moved.or(eventDate.geq(lit(Date.valueOf(previous.asOf().minusDays(days - 1))))
            .and(eventDate.lt(lit(Date.valueOf(asOf.minusDays(days - 1))))));
      }
      touched.add(customersOf(bronze.where(moved), now));
      Column eventTime = col(IdentityColumns.EVENT_TIME);
      touched.add(customersOf(records.where(
          eventTime.geq(lit(Timestamp.valueOf(previous.asOf().plusDays(1).atStartOfDay())))
              .and(eventTime.lt(lit(Timestamp.valueOf(asOf.plusDays(1).atStartOfDay()))))),
          now));
    }
    Dataset<Row> all = now.select(col(ID)).where(lit(false));
    for (Dataset<Row> t : touched) {
      all = all.unionByName(t);
    }
    return all.distinct();
  }

  /** source, record_key and a hash of every other column but the run id. */
  private static Dataset<Row> contentKeys(Dataset<Row> records) {
    List<Column> content = new ArrayList<>();
    for (String c : records.columns()) {
      if (!c.equals(IdentityColumns.RUN_ID)) {
        content.add(col(c));
      }
    }
    return records.select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
        xxhash64(to_json(struct(content.toArray(Column[]::new)))).as("content"));
  }

  /** The customers {@code membership} gives the source records of {@code rows}. */
  private static Dataset<Row> customersOf(Dataset<Row> rows, Dataset<Row> membership) {
    return membership.join(rows.select(col(KEY[0]), col(KEY[1])), KEY, "left_semi")
        .select(col(ID));
  }
}
