package org.lakecdp.core.lake;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the operational tables (run ledger, ingested files). */
public final class OpsColumns {
  private OpsColumns() {}

  public static final String RUN_ID = "run_id";
  public static final String JOB = "job";
  public static final String LOGICAL_DATE = "logical_date";
  public static final String STATUS = "status";
  public static final String STARTED_AT = "started_at";
  public static final String ENDED_AT = "ended_at";
  public static final String INPUT_ROWS = "input_rows";
  public static final String OUTPUT_ROWS = "output_rows";
  public static final String QUARANTINED_ROWS = "quarantined_rows";
  public static final String TABLE_VERSIONS = "table_versions";
  public static final String CONFIG_HASH = "config_hash";
  public static final String RUN_USER = "run_user";
  public static final String MESSAGE = "message";
  public static final String DETAILS = "details";

  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String FILE_SIZE = "file_size";
  public static final String FILE_MODIFIED_AT = "file_modified_at";
  public static final String ROWS = "rows";
  public static final String WATERMARK_LOW = "watermark_low";
  public static final String WATERMARK_HIGH = "watermark_high";
  public static final String INGESTED_AT = "ingested_at";

  /** {@code cdp_ops.runs}: one row per job run. */
  public static final StructType RUNS = new StructType()
      .add(RUN_ID, StringType, false, "Unique run id")
      .add(JOB, StringType, false, "Job name (ingest, ...)")
      .add(LOGICAL_DATE, DateType, false, "Logical date the run processed")
      .add(STATUS, StringType, false, "RUNNING, SUCCEEDED or FAILED")
      .add(STARTED_AT, TimestampType, false, "Start time (UTC)")
      .add(ENDED_AT, TimestampType, true, "End time (UTC); null while running")
      .add(INPUT_ROWS, LongType, true, "Records read")
      .add(OUTPUT_ROWS, LongType, true, "Records written to the job's main table")
      .add(QUARANTINED_ROWS, LongType, true, "Records quarantined")
      .add(TABLE_VERSIONS, DataTypes.createMapType(StringType, LongType), true,
          "Delta version written, per table")
      .add(CONFIG_HASH, StringType, false, "Hash of the resolved configuration")
      .add(RUN_USER, StringType, true, "OS user that started the run")
      .add(MESSAGE, StringType, true, "Failure cause, one line")
      .add(DETAILS, DataTypes.createMapType(StringType, StringType), true,
          "Per-source or per-stage counts");

  /** {@code cdp_ops.ingested_files}: what each source has ingested, file by file. */
  public static final StructType INGESTED_FILES = new StructType()
      .add(SOURCE, StringType, false, "Source name")
      .add(SOURCE_FILE, StringType, false, "File path, or JDBC range jdbc:<relation>:(low,high]")
      .add(FILE_SIZE, LongType, true, "File size in bytes when ingested")
      .add(FILE_MODIFIED_AT, TimestampType, true, "File modification time when ingested")
      .add(LOGICAL_DATE, DateType, false, "Logical date the file belongs to")
      .add(ROWS, LongType, false, "Records written to bronze")
      .add(QUARANTINED_ROWS, LongType, false, "Records quarantined")
      .add(WATERMARK_LOW, StringType, true, "JDBC: exclusive lower watermark")
      .add(WATERMARK_HIGH, StringType, true, "JDBC: inclusive upper watermark")
      .add(RUN_ID, StringType, false, "Run that ingested it last")
      .add(INGESTED_AT, TimestampType, false, "When it was ingested last (UTC)");
}
