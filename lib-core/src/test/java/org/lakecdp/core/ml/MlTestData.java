package org.lakecdp.core.ml;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;

/** Hand-made bronze events and memberships for the model tests. */
final class MlTestData {
  private MlTestData() {}

  /** One event of one customer; the record key is unique per event. */
  record Event(String customer, String source, String key, String time, String type,
      Map<String, String> attributes) {}

  static Event event(String customer, String type, String time, String... attributes) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      map.put(attributes[i], attributes[i + 1]);
    }
    String source = type.equals("purchase") ? "orders" : "web";
    return new Event(customer, source, customer + "|" + type + "|" + time, time, type, map);
  }

  /** Bronze rows of the events (identifier columns empty). */
  static Dataset<Row> bronze(SparkSession spark, List<Event> events) {
    List<Row> rows = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (Event e : events) {
      Instant t = Instant.parse(e.time());
      List<Object> values = new ArrayList<>(List.of(e.source(), e.key(), Timestamp.from(t),
          Date.valueOf(t.atZone(ZoneOffset.UTC).toLocalDate()), e.type()));
      BronzeColumns.IDENTIFIERS.forEach(id -> values.add(null));
      values.addAll(java.util.Arrays.asList(e.attributes(), "{}", (long) e.key().hashCode(),
          "test", Date.valueOf(t.atZone(ZoneOffset.UTC).toLocalDate()), "ingest-test", now));
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, BronzeColumns.EVENTS);
  }

  /** Membership rows putting every event's record in its customer. */
  static Dataset<Row> membership(SparkSession spark, List<Event> events) {
    List<Row> rows = new ArrayList<>();
    long node = 0;
    for (Event e : events) {
      rows.add(RowFactory.create(e.source(), e.key(), e.customer(), node++, "identity-test"));
    }
    return spark.createDataFrame(rows, IdentityColumns.MEMBERSHIP);
  }

  /** Writes the events to bronze and their membership to silver. */
  static void write(Lakehouse lake, List<Event> events) {
    lake.append(CdpTable.BRONZE_EVENTS, bronze(lake.spark(), events), "ingest-test");
    lake.overwrite(CdpTable.SILVER_CUSTOMER_MEMBERSHIP, membership(lake.spark(), events),
        "identity-test");
  }

  /**
   * A simulated shop from {@code first} for {@code days} days: each customer buys at their
   * own rate (a few per year to a few per month) until an optional churn day, browses more
   * the more they buy, and opens emails.
   */
  static List<Event> shop(int customers, LocalDate first, int days, long seed) {
    Random rng = new Random(seed);
    List<Event> events = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      String id = "c" + c;
      double perDay = Math.exp(rng.nextGaussian() * 0.9 - 3.3);
      int start = rng.nextInt(days / 3);
      int churn = rng.nextDouble() < 0.4 ? start + rng.nextInt(days - start) : days;
      double value = 20 + rng.nextInt(80);
      for (int d = start; d < days; d++) {
        String day = first.plusDays(d) + "T";
        if (d < churn && rng.nextDouble() < perDay) {
          events.add(event(id, "purchase", day + "10:00:00Z", "amount",
              String.valueOf(Math.round(value * (0.5 + rng.nextDouble()))), "category",
              rng.nextBoolean() ? "shoes" : "bags"));
        }
        if (rng.nextDouble() < (d < churn ? 3 : 0.5) * perDay) {
          events.add(event(id, "page_view", day + "09:00:00Z"));
        }
        if (rng.nextDouble() < 0.02) {
          events.add(event(id, "email_open", day + "08:00:00Z"));
        }
      }
    }
    return events;
  }
}
