package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the gold segment tables: membership, changes, runs, exports. */
public final class SegmentColumns {
  private SegmentColumns() {}

  public static final String RUN_DATE = "run_date";
  public static final String SEGMENT = "segment";
  public static final String CUSTOMER_ID = ProfileColumns.CUSTOMER_ID;
  public static final String HOLDOUT = "holdout";
  public static final String RUN_ID = BronzeColumns.RUN_ID;
  public static final String CHANGE = "change";
  public static final String PREVIOUS_RUN_DATE = "previous_run_date";
  public static final String MEMBERS = "members";
  public static final String HOLDOUT_MEMBERS = "holdout_members";
  public static final String ENTERED = "entered";
  public static final String EXITED = "exited";
  public static final String DEFINITION_HASH = "definition_hash";
  public static final String COMPUTED_AT = "computed_at";
  public static final String DESTINATION = "destination";
  public static final String PURPOSE = "purpose";
  public static final String MODE = "mode";
  public static final String SEGMENT_SIZE = "segment_size";
  public static final String ROWS = "rows";
  public static final String LOCATION = "location";
  public static final String SHA256 = "sha256";
  public static final String FORCED = "forced";
  public static final String PUBLISHED_AT = "published_at";

  /** Values of {@link #CHANGE}. */
  public static final String ENTERED_VALUE = "entered";
  public static final String EXITED_VALUE = "exited";

  /** {@code cdp_gold.segment_membership}: one row per run date, segment and member. */
  public static final StructType MEMBERSHIP = new StructType()
      .add(RUN_DATE, DateType, false, "Logical date of the segment run")
      .add(SEGMENT, StringType, false, "Segment name (cdp.segments)")
      .add(CUSTOMER_ID, StringType, false, "Member's persistent customer id")
      .add(HOLDOUT, BooleanType, false,
          "In the segment's control group (stable hash of customer_id); never exported")
      .add(RUN_ID, StringType, false, "Segment run that wrote the day");

  /** {@code cdp_gold.segment_changes}: who entered or exited each segment on a run date. */
  public static final StructType CHANGES = new StructType()
      .add(RUN_DATE, DateType, false, "Logical date of the segment run")
      .add(SEGMENT, StringType, false, "Segment name")
      .add(CUSTOMER_ID, StringType, false, "Customer id")
      .add(CHANGE, StringType, false, "entered | exited, since previous_run_date")
      .add(PREVIOUS_RUN_DATE, DateType, true,
          "Latest earlier run date of the segment; null on its first run (everyone entered)")
      .add(RUN_ID, StringType, false, "Segment run that wrote the day");

  /** {@code cdp_gold.segment_runs}: one row per run date and segment. */
  public static final StructType RUNS = new StructType()
      .add(RUN_DATE, DateType, false, "Logical date of the segment run")
      .add(SEGMENT, StringType, false, "Segment name")
      .add(MEMBERS, LongType, false, "Members, holdout included")
      .add(HOLDOUT_MEMBERS, LongType, false, "Members in the holdout group")
      .add(ENTERED, LongType, false, "Customers who entered since the previous run date")
      .add(EXITED, LongType, false, "Customers who exited since the previous run date")
      .add(PREVIOUS_RUN_DATE, DateType, true, "Previous run date of the segment, if any")
      .add(DEFINITION_HASH, StringType, false, "Hash of the segment's definition")
      .add(RUN_ID, StringType, false, "Segment run that wrote the day")
      .add(COMPUTED_AT, TimestampType, false, "When (UTC)");

  /** {@code cdp_gold.segment_exports}: every published export file set. */
  public static final StructType EXPORTS = new StructType()
      .add(DESTINATION, StringType, false, "Destination name (cdp.destinations)")
      .add(SEGMENT, StringType, false, "Segment exported")
      .add(RUN_DATE, DateType, false, "Segment run date exported")
      .add(PURPOSE, StringType, false, "Consent purpose checked")
      .add(MODE, StringType, false, "full | delta")
      .add(SEGMENT_SIZE, LongType, false,
          "Segment members at export, holdout included: what the safety gate compares")
      .add(ROWS, LongType, false, "Rows in the published files")
      .add(LOCATION, StringType, false, "Folder of the published files and manifest.json")
      .add(SHA256, StringType, false, "SHA-256 of the data files, in name order")
      .add(FORCED, BooleanType, false, "Published with --force past the safety gate")
      .add(RUN_ID, StringType, false, "Export run")
      .add(PUBLISHED_AT, TimestampType, false, "When (UTC)");
}
