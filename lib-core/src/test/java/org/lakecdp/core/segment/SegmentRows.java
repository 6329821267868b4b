package org.lakecdp.core.segment;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.testing.TestConfig;

/** Tiny builders of gold profile rows and segment settings for segment tests. */
final class SegmentRows {
  private static final AtomicInteger LAKES = new AtomicInteger();

  private SegmentRows() {}

  /** Settings from HOCON with a lakehouse of its own (unique catalog databases). */
  static CdpSettings settings(Path root, String hocon) {
    int n = LAKES.incrementAndGet();
    StringBuilder dbs = new StringBuilder();
    for (String layer : new String[] {"bronze", "silver", "gold", "ops"}) {
      dbs.append("cdp.lakehouse.databases.").append(layer).append(" = seg").append(n)
          .append('_').append(layer).append('\n');
    }
    return TestConfig.fromHocon(root, dbs + hocon);
  }

  static Timestamp ts(String date) {
    return Timestamp.from(Instant.parse(date + "T12:00:00Z"));
  }

  /**
   * A profile row: {@code kv} are column names and values (Integer, Long, Double, String,
   * BigDecimal or number for money, yyyy-MM-dd text for timestamps and dates, Map, List);
   * every other column is null, or 0 / the date / an empty list where the schema requires.
   */
  static Row profile(LocalDate asOf, String customerId, Object... kv) {
    Map<String, Object> given = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      given.put((String) kv[i], kv[i + 1]);
    }
    List<Object> values = new ArrayList<>();
    for (StructField f : ProfileColumns.PROFILE.fields()) {
      Object v = given.get(f.name());
      DataType t = f.dataType();
      if (f.name().equals(ProfileColumns.CUSTOMER_ID)) {
        v = customerId;
      } else if (f.name().equals(ProfileColumns.AS_OF_DATE)) {
        v = Date.valueOf(asOf);
      } else if (f.name().equals(ProfileColumns.RUN_ID)) {
        v = "profile-test";
      } else if (v != null) {
        if (t instanceof DecimalType) {
          v = new BigDecimal(v.toString()).setScale(2);
        } else if (t.equals(DataTypes.TimestampType)) {
          v = ts(v.toString());
        } else if (t.equals(DataTypes.DateType)) {
          v = Date.valueOf(v.toString());
        } else if (t.equals(DataTypes.LongType)) {
          v = ((Number) v).longValue();
        } else if (t.equals(DataTypes.IntegerType)) {
          v = ((Number) v).intValue();
        } else if (t.equals(DataTypes.DoubleType)) {
          v = ((Number) v).doubleValue();
        }
      } else if (!f.nullable()) {
        v = t instanceof DecimalType ? BigDecimal.ZERO.setScale(2) : 0L;
      }
      values.add(v);
    }
    return RowFactory.create(values.toArray());
  }

  /**
   * A lakehouse with only the tables segment and export runs touch, created as empty Delta
   * tables by path (the catalog registration the jobs do is not needed here and is slow).
   */
  static Lakehouse lakehouse(CdpSettings settings) {
    Lakehouse lake = new Lakehouse(org.lakecdp.core.testing.SparkTestSession.spark(),
        settings.lakehouse());
    for (CdpTable t : List.of(CdpTable.GOLD_CUSTOMER_PROFILE, CdpTable.GOLD_SEGMENT_MEMBERSHIP,
        CdpTable.GOLD_SEGMENT_CHANGES, CdpTable.GOLD_SEGMENT_RUNS, CdpTable.GOLD_SEGMENT_EXPORTS,
        CdpTable.OPS_RUNS)) {
      lake.spark().createDataFrame(List.of(), t.schema()).write().format("delta")
          .partitionBy(t.partitionColumns().toArray(String[]::new)).save(lake.path(t));
    }
    return lake;
  }

  /**
   * Replaces the profile table with {@code rows}, and the consent history with their
   * {@code consent_status}, valid since {@link #CONSENT_SINCE} (exports read consent there).
   */
  static void writeProfiles(Lakehouse lake, List<Row> rows) {
    lake.overwrite(CdpTable.GOLD_CUSTOMER_PROFILE,
        lake.spark().createDataFrame(rows, ProfileColumns.PROFILE), "profile-test");
    List<Row> history = new ArrayList<>();
    for (Row r : rows) {
      @SuppressWarnings("unchecked")
      Map<String, String> consent = (Map<String, String>) r.get(ProfileColumns.PROFILE
          .fieldIndex(ProfileColumns.CONSENT_STATUS));
      if (consent != null) {
        String id = r.getString(ProfileColumns.PROFILE.fieldIndex(ProfileColumns.CUSTOMER_ID));
        consent.forEach((purpose, status) -> history.add(consent(id, purpose, null, status,
            CONSENT_SINCE, null)));
      }
    }
    writeConsentHistory(lake, history);
  }

  /** When the consent of {@link #writeProfiles} starts. */
  static final String CONSENT_SINCE = "2024-01-01T00:00:00Z";

  /** A consent history row; times are ISO instants, {@code to} may be null. */
  static Row consent(String customerId, String purpose, String channel, String status,
      String from, String to) {
    return RowFactory.create(customerId, purpose, channel, status,
        Timestamp.from(Instant.parse(from)), to == null ? null : Timestamp.from(
            Instant.parse(to)), "test", customerId + "|" + purpose + "|" + from);
  }

  /**
   * Email-marketing consent history on the web: {@code kept} granted since
   * {@link #CONSENT_SINCE}; {@code withdrawn} granted then, withdrawn at {@code at}.
   */
  static List<Row> grantedAndWithdrawn(String kept, String withdrawn, String at) {
    return List.of(
        consent(kept, "email_marketing", "web", "granted", CONSENT_SINCE, null),
        consent(withdrawn, "email_marketing", "web", "granted", CONSENT_SINCE, at),
        consent(withdrawn, "email_marketing", "web", "withdrawn", at, null));
  }

  /** Replaces the consent history with {@code rows}. */
  static void writeConsentHistory(Lakehouse lake, List<Row> rows) {
    lake.overwrite(CdpTable.SILVER_CONSENT_HISTORY, lake.spark().createDataFrame(rows,
        PrivacyColumns.CONSENT_HISTORY), "profile-test");
  }
}
