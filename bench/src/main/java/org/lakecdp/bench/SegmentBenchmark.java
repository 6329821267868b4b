package org.lakecdp.bench;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StructField;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.lake.SparkSessions;
import org.lakecdp.core.segment.SegmentReport;
import org.lakecdp.core.segment.Segments;
import org.lakecdp.core.segment.export.ExportReport;
import org.lakecdp.core.segment.export.Exports;

/**
 * Segment evaluation and export at scale: a synthetic gold profile of N customers (columns
 * drawn from a hash of the id: orders, revenue, recency, RFM, scores, categories, consents)
 * and its consent history (1% of the email-marketing consents withdrawn on day 2), 20
 * segments (conditions, relative dates, score deciles, references, holdouts, two
 * lookalikes), then two segment runs (day 1, day 2 with every purchase a day older), a rerun
 * of day 2 (writes nothing), and exports of day 1 and day 2 to two destinations (CSV full
 * files; Parquet delta files with hashed identifiers, day 2 against day 1's export). Prints
 * the time of each step; appends a JSON line to {@code <results>/segment-<timestamp>.json}.
 * Nothing here asserts a number.
 *
 * <p>Usage: {@code SegmentBenchmark segment [--customers N] [--work DIR] [--conf FILE]
 * [--results DIR]}; default 100,000 customers (the goal is 1,000,000).
 */
public final class SegmentBenchmark {
  private SegmentBenchmark() {}

  /** Runs the benchmark and exits with 0, 1 (failure) or 2 (bad usage). */
  public static void main(String[] args) {
    int code;
    try {
      run(args);
      code = 0;
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("usage: bench segment [--customers N] [--work DIR] [--conf FILE]"
          + " [--results DIR]");
      code = 2;
    } catch (RuntimeException e) {
      System.err.println("bench: failed: " + e);
      code = 1;
    }
    System.exit(code);
  }

  private static void run(String[] args) {
    Map<String, String> flags = BenchFlags.parse("segment", args, Map.of("--customers",
        "100000", "--work", "bench/work-segment", "--conf", "conf/application.conf",
        "--results", "bench/results"));
    long customers = Long.parseLong(flags.get("--customers").replace("_", ""));
    Path work = Path.of(flags.get("--work")).toAbsolutePath().normalize();
    IngestBenchmark.deleteTree(work);
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("cdp.lakehouse.root", work.resolve("lake").toString());
    overrides.put("cdp.spark.conf.\"spark.ui.enabled\"", "false");
    Path conf = writeSegments(work, Path.of(flags.get("--conf")).toAbsolutePath());
    CdpSettings settings = CdpConfigLoader.load(conf, overrides);
    LocalDate day1 = LocalDate.of(2025, 1, 1);
    LocalDate day2 = day1.plusDays(1);
    SparkSession spark = SparkSessions.create(settings);
    try {
      Lakehouse lake = new Lakehouse(spark, settings.lakehouse());
      lake.ensureTables();
      long t = System.nanoTime();
      lake.overwrite(CdpTable.GOLD_CUSTOMER_PROFILE, profiles(spark, customers, day1, 0),
          "bench");
      lake.overwrite(CdpTable.SILVER_CONSENT_HISTORY, consentHistory(spark, customers, day1,
          day2), "bench");
      double load = seconds(t);
      progress(String.format(Locale.ROOT, "profile and consent history of %,d customers"
          + " written: %.1f s", customers, load));
      t = System.nanoTime();
      SegmentReport first = new Segments(lake, settings, SegmentBenchmark::progress).run(day1);
      double s1 = seconds(t);
      lake.overwrite(CdpTable.GOLD_CUSTOMER_PROFILE, profiles(spark, customers, day2, 1),
          "bench");
      t = System.nanoTime();
      SegmentReport second = new Segments(lake, settings, SegmentBenchmark::progress)
          .run(day2);
      double s2 = seconds(t);
      t = System.nanoTime();
      SegmentReport rerun = new Segments(lake, settings, SegmentBenchmark::progress).run(day2);
      double s3 = seconds(t);
      t = System.nanoTime();
      ExportReport exported1 = new Exports(lake, settings, SegmentBenchmark::progress)
          .run(day1, true);
      double e1 = seconds(t);
      t = System.nanoTime();
      ExportReport exported = new Exports(lake, settings, SegmentBenchmark::progress)
          .run(day2, true);
      double s4 = seconds(t);
      long rows1 = exported1.exports().stream().mapToLong(e -> Math.max(0, e.rows())).sum();
      long members = second.sizes().stream().mapToLong(SegmentReport.Size::members).sum();
      long rows = exported.exports().stream().mapToLong(e -> Math.max(0, e.rows())).sum();
      System.out.printf(Locale.ROOT, "customers %,d, segments %d, members on day 2 %,d%n",
          customers, second.sizes().size(), members);
      second.sizes().forEach(z -> System.out.printf(Locale.ROOT,
          "  %-24s %,10d (holdout %,d, +%,d -%,d)%n", z.segment(), z.members(), z.holdout(),
          z.entered(), z.exited()));
      System.out.printf(Locale.ROOT, "segment run day 1 (first): %.1f s%n", s1);
      System.out.printf(Locale.ROOT, "segment run day 2 (with changes): %.1f s%n", s2);
      System.out.printf(Locale.ROOT, "segment rerun day 2 (wrote %s): %.1f s%n", rerun.wrote(),
          s3);
      System.out.printf(Locale.ROOT, "export day 1 (first): %d file set(s), %,d row(s):"
          + " %.1f s%n", exported1.exports().size(), rows1, e1);
      exported.exports().forEach(e -> System.out.printf(Locale.ROOT, "  %s/%s: %,d row(s)%n",
          e.destination(), e.segment(), e.rows()));
      System.out.printf(Locale.ROOT, "export day 2 (delta against day 1): %d file set(s),"
          + " %,d row(s): %.1f s%n", exported.exports().size(), rows, s4);
      String json = String.format(Locale.ROOT, "{\"at\":\"%s\",\"customers\":%d,"
          + "\"segments\":%d,\"members_day2\":%d,\"profile_write_seconds\":%.1f,"
          + "\"segment_day1_seconds\":%.1f,\"segment_day2_seconds\":%.1f,"
          + "\"segment_rerun_seconds\":%.1f,\"export_day1_seconds\":%.1f,"
          + "\"export_day1_rows\":%d,\"export_seconds\":%.1f,\"export_rows\":%d,"
          + "\"cores\":%d}", Instant.now(), customers, first.sizes().size(), members, load,
          s1, s2, s3, e1, rows1, s4, rows, Runtime.getRuntime().availableProcessors());
      IngestBenchmark.appendResult(flags.get("--results"), "segment", json);
    } finally {
      spark.stop();
    }
  }

  /** 20 segments and two destinations over the synthetic profile. */
  private static Path writeSegments(Path work, Path base) {
    StringBuilder c = new StringBuilder("include file(\"" + base + "\")\n"
        + "cdp.segments = null\ncdp.destinations = null\ncdp.segments {\n");
    String[] conditions = {
        "m_score = 5 AND f_score >= 4",
        "m_score >= 4 AND churn_score_decile >= 9",
        "order_count > 0 AND last_purchase_at < run_date - INTERVAL 180 DAYS",
        "propensity_score_decile >= 8 AND array_contains(top_categories, 'shoes')",
        "consent_status['email_marketing'] = 'granted' AND order_count = 0",
        "revenue BETWEEN 100 AND 500",
        "order_count IN (1, 2)",
        "clv_score_decile = 10",
        "last_purchase_at >= run_date - INTERVAL 30 DAYS",
        "last_purchase_at >= run_date - INTERVAL 90 DAYS AND NOT segments.s08",
        "segments.s00 OR segments.s07",
        "r_score <= 2 AND m_score >= 3",
        "email_opens > 3 AND email_clicks = 0",
        "web_sessions >= 5 AND order_count = 0",
        "country IN ('GB', 'IE') AND revenue > 200",
        "churn_score > 0.7",
        "array_contains(top_categories, 'electronics') AND segments.s05",
        "datediff(run_date, first_seen_at) <= 60"};
    for (int i = 0; i < conditions.length; i++) {
      c.append(String.format(Locale.ROOT, "  s%02d { where = \"%s\", holdout-percent = %d }%n",
          i, conditions[i], i % 3 == 0 ? 10 : 0));
    }
    c.append("  s18 { lookalike { seed = s00, size = 5000 } }\n");
    c.append("  s19 { lookalike { seed = s01, size = 5000 },"
        + " where = \"consent_status['advertising'] = 'granted'\" }\n}\n");
    c.append("cdp.destinations {\n"
        + "  mail { purpose = email_marketing, segments = [s02, s04, s01], columns ="
        + " [customer_id, email, segment], location = \"" + work.resolve("exports/mail")
        + "\" }\n"
        + "  ads { purpose = advertising, segments = [s18, s19, s09], format = parquet,"
        + " mode = delta, columns = [email_sha256, phone_sha256, segment], location = \""
        + work.resolve("exports/ads") + "\" }\n}\n");
    try {
      Files.createDirectories(work);
      Path file = work.resolve("segments.conf");
      Files.writeString(file, c.toString());
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Synthetic profiles: each value a function of a hash of the id and the column. */
  static Dataset<Row> profiles(SparkSession spark, long n, LocalDate asOf, int ageDays) {
    Column id = concat(lit("c"), col("id").cast("string"));
    Map<String, Column> given = new LinkedHashMap<>();
    given.put(ProfileColumns.CUSTOMER_ID, id);
    Column orders = r("orders", 12).minus(3);
    Column ordersNonNeg = when(orders.lt(0), lit(0L)).otherwise(orders);
    given.put(ProfileColumns.ORDER_COUNT, ordersNonNeg);
    given.put(ProfileColumns.REVENUE, ordersNonNeg.multiply(r("aov", 120).plus(5)));
    given.put(ProfileColumns.RFM_FREQUENCY, ordersNonNeg);
    given.put(ProfileColumns.RFM_MONETARY, ordersNonNeg.multiply(30));
    Column lastDays = r("recency", 400).plus(ageDays);
    given.put(ProfileColumns.LAST_PURCHASE_AT, when(ordersNonNeg.gt(0),
        org.apache.spark.sql.functions.date_sub(lit(java.sql.Date.valueOf(asOf.minusDays(
            ageDays))), lastDays.cast("int")).cast("timestamp")));
    given.put(ProfileColumns.DAYS_SINCE_LAST_PURCHASE, when(ordersNonNeg.gt(0), lastDays));
    given.put(ProfileColumns.FIRST_SEEN_AT, org.apache.spark.sql.functions.date_sub(
        lit(java.sql.Date.valueOf(asOf)), r("first", 700).cast("int"))
        .cast("timestamp"));
    for (String s : List.of(ProfileColumns.R_SCORE, ProfileColumns.F_SCORE,
        ProfileColumns.M_SCORE)) {
      given.put(s, when(ordersNonNeg.gt(0), r(s, 5).plus(1)));
    }
    given.put(ProfileColumns.WEB_SESSIONS, r("web", 10));
    given.put(ProfileColumns.EMAIL_OPENS, r("opens", 8));
    given.put(ProfileColumns.EMAIL_CLICKS, r("clicks", 3));
    given.put(ProfileColumns.EMAIL, concat(id, lit("@example.com")));
    given.put(ProfileColumns.PHONE, concat(lit("+4477"), r("phone", 100_000_000L)
        .cast("string")));
    given.put(ProfileColumns.EMAILS, array(concat(id, lit("@example.com"))));
    given.put(ProfileColumns.COUNTRY, when(r("country", 4).equalTo(0), lit("IE"))
        .otherwise(lit("GB")));
    String[] categories = {"shoes", "apparel", "electronics", "home", "beauty"};
    Column cat = lit(categories[0]);
    for (int i = 1; i < categories.length; i++) {
      cat = when(r("cat", categories.length).equalTo(i), lit(categories[i]))
          .otherwise(cat);
    }
    given.put(ProfileColumns.TOP_CATEGORIES, array(cat));
    given.put(ProfileColumns.CONSENT_STATUS, consent());
    for (String m : ProfileColumns.MODELS) {
      given.put(m + "_" + ProfileColumns.SCORE, r(m, 10_000).divide(10_000.0));
    }
    given.put(ProfileColumns.AS_OF_DATE, lit(java.sql.Date.valueOf(asOf)));
    given.put(ProfileColumns.RUN_ID, lit("bench"));
    List<Column> columns = new ArrayList<>();
    for (StructField f : ProfileColumns.PROFILE.fields()) {
      Column c = given.getOrDefault(f.name(), lit(null));
      if (!given.containsKey(f.name()) && !f.nullable()) {
        c = f.dataType() instanceof LongType || f.dataType() instanceof DecimalType ? lit(0)
            : lit("");
      } else if (f.dataType() instanceof ArrayType && !given.containsKey(f.name())) {
        c = array();
      }
      columns.add(coalesce(c.cast(f.dataType())).as(f.name()));
    }
    return spark.range(n).select(columns.toArray(Column[]::new));
  }

  /** Consent per purpose: email marketing granted by 70%, advertising by 40%. */
  private static Column consent() {
    return map(lit("email_marketing"),
        when(r("c1", 10).lt(7), lit("granted")).otherwise(lit("withdrawn")),
        lit("advertising"), when(r("c2", 10).lt(4), lit("granted"))
            .otherwise(lit("withdrawn")));
  }

  /**
   * The consent history of the profiles: each status of {@link #consent()} valid from a
   * year before {@code day1}; 1% of the granted email-marketing consents are withdrawn at
   * noon (UTC) of {@code day2}.
   */
  static Dataset<Row> consentHistory(SparkSession spark, long n, LocalDate day1,
      LocalDate day2) {
    Column since = lit(java.sql.Timestamp.from(day1.minusDays(365).atStartOfDay(
        java.time.ZoneOffset.UTC).toInstant()));
    Column noon = lit(java.sql.Timestamp.from(day2.atTime(12, 0).toInstant(
        java.time.ZoneOffset.UTC)));
    Dataset<Row> current = spark.range(n).select(col("id"),
        org.apache.spark.sql.functions.explode(consent()).as(new String[] {"purpose",
            "status"}));
    Column withdraws = col("purpose").equalTo("email_marketing")
        .and(col("status").equalTo("granted")).and(r("w", 100).equalTo(0));
    Dataset<Row> rows = current.select(col("id"), col("purpose"), col("status"),
            since.as("valid_from"), when(withdraws, noon).as("valid_to"))
        .unionByName(current.where(withdraws).select(col("id"), col("purpose"),
            lit("withdrawn").as("status"), noon.as("valid_from"),
            lit(null).cast("timestamp").as("valid_to")));
    return rows.select(concat(lit("c"), col("id").cast("string")).as("customer_id"),
        col("purpose"), lit(null).cast("string").as("channel"), col("status"),
        col("valid_from"), col("valid_to"), lit("bench").as("source"),
        concat(lit("c"), col("id").cast("string"), lit("|"), col("purpose"), lit("|"),
            col("valid_from").cast("string")).as("record_key"));
  }

  /** A value in [0, n) from a hash of the id and {@code salt}. */
  private static Column r(String salt, long n) {
    return org.apache.spark.sql.functions.abs(h(salt).mod(lit(n)));
  }

  private static Column h(String salt) {
    return xxhash64(col("id"), lit(salt));
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }

  private static void progress(String line) {
    System.err.println(line);
  }
}
