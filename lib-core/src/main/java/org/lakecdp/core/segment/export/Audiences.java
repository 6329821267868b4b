package org.lakecdp.core.segment.export;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.trim;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.lakecdp.core.config.SegmentSettings;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.segment.SegmentCatalog;

/**
 * Who may be sent to a destination, and in which columns. A customer is exportable for a
 * purpose when the latest consent status of that purpose ({@code consent_status[purpose]},
 * any channel) is a granted status, and not suppressed: no suppression purpose (a global
 * opt-out such as {@code do_not_contact}) in a suppressing status, and neither the customer
 * id nor any of the customer's emails or phones on the suppression list. A customer without
 * any consent event has no consent. The export job puts the consent valid at the end of its
 * run date in {@code consent_status} before calling this.
 */
public final class Audiences {
  /** Column of the suppression list's values. */
  public static final String VALUE = "value";

  private Audiences() {}

  /**
   * The profiles of customers who may receive {@code purpose}. {@code suppressionList} (one
   * column {@link #VALUE}) may be null.
   */
  public static Dataset<Row> selectExportable(Dataset<Row> profiles, String purpose,
      SegmentSettings settings, Dataset<Row> suppressionList) {
    Column status = element_at(col(ProfileColumns.CONSENT_STATUS), lit(purpose));
    Column allowed = coalesce(status.isin(settings.grantedStatuses().toArray()), lit(false));
    for (String p : settings.suppressionPurposes()) {
      Column s = element_at(col(ProfileColumns.CONSENT_STATUS), lit(p));
      allowed = allowed.and(coalesce(s.isin(settings.suppressionStatuses().toArray()),
          lit(false)).unary_$bang());
    }
    Dataset<Row> out = profiles.where(allowed);
    if (suppressionList != null) {
      ArrayType strings = DataTypes.createArrayType(DataTypes.StringType);
      Dataset<Row> keys = profiles.select(col(ProfileColumns.CUSTOMER_ID), explode(concat(
          array(col(ProfileColumns.CUSTOMER_ID)),
          coalesce(col(ProfileColumns.EMAILS), array().cast(strings)),
          coalesce(col(ProfileColumns.PHONES), array().cast(strings)))).as("key"));
      Dataset<Row> listed = suppressionList.select(lower(trim(col(VALUE))).as("key"))
          .where(col("key").notEqual(""));
      Dataset<Row> suppressed = keys.withColumn("key", lower(col("key")))
          .join(listed, "key").select(ProfileColumns.CUSTOMER_ID).distinct();
      out = out.join(suppressed, new String[] {ProfileColumns.CUSTOMER_ID}, "left_anti");
    }
    return out;
  }

  /**
   * The export columns of {@code rows} (profile columns of the members): profile columns as
   * they are, {@code email_sha256} and {@code phone_sha256} hashed, {@code segment} and
   * {@code run_date} as given; {@code extra} columns of {@code rows} are kept at the end.
   */
  public static Dataset<Row> selectColumns(Dataset<Row> rows, List<String> columns,
      String segment, LocalDate runDate, String... extra) {
    List<Column> out = new ArrayList<>();
    for (String c : columns) {
      out.add(switch (c) {
        case SegmentCatalog.EMAIL_SHA256 -> sha2(col(ProfileColumns.EMAIL), 256).as(c);
        case SegmentCatalog.PHONE_SHA256 -> sha2(col(ProfileColumns.PHONE), 256).as(c);
        case SegmentCatalog.SEGMENT -> lit(segment).as(c);
        case SegmentCatalog.RUN_DATE -> lit(Date.valueOf(runDate)).as(c);
        default -> col(c);
      });
    }
    for (String e : extra) {
      out.add(col(e));
    }
    return rows.select(out.toArray(Column[]::new));
  }
}
