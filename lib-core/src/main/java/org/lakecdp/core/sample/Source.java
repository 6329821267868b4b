package org.lakecdp.core.sample;

import java.util.List;

/**
 * The landing sources of the sample retailer and their file layout:
 * {@code landing/<dir>/<yyyy-MM-dd>/<prefix>-part-<shard>.<ext>}.
 */
enum Source {
  WEB("web", "web-events", false, "ts", -1, null, null),
  APP("app", "app-events", false, "timestamp", -1, null, null),
  ORDERS("orders", "orders", false, "created_at", -1, null, null),
  POS("pos", "pos", true, null, 2,
      "txn_id,store_id,txn_time,loyalty_card,customer_name,amount,currency,items,category", null),
  EMAIL("email", "email-events", false, "ts", -1, null, null),
  CRM("crm", "customers", true, null, 12,
      "crm_id,first_name,last_name,email,phone,street,city,postcode,country,date_of_birth,gender,"
          + "loyalty_card,updated_at",
      "crm_id,first_name,last_name,email,mobile,street,city,postcode,country,date_of_birth,gender,"
          + "loyalty_card,updated_at"),
  SUPPORT("support", "tickets", true, null, 1,
      "ticket_id,created,email,phone,name,subject,channel,status", null),
  CONSENT("consent", "consent", false, "ts", -1, null, null);

  private final String dir;
  private final String prefix;
  private final boolean csv;
  private final String timeField;
  private final int timeColumn;
  private final String header;
  private final String renamedHeader;

  Source(String dir, String prefix, boolean csv, String timeField, int timeColumn, String header,
      String renamedHeader) {
    this.dir = dir;
    this.prefix = prefix;
    this.csv = csv;
    this.timeField = timeField;
    this.timeColumn = timeColumn;
    this.header = header;
    this.renamedHeader = renamedHeader == null ? header : renamedHeader;
  }

  /** Name of the source, also its folder under {@code landing/}. */
  String dir() {
    return dir;
  }

  boolean csv() {
    return csv;
  }

  /** JSON field holding the event time, for JSON sources. */
  String timeField() {
    return timeField;
  }

  /** 0-based CSV column holding the record time, for CSV sources. */
  int timeColumn() {
    return timeColumn;
  }

  /** CSV header of a file; {@code renamed} from the mid-history rename day on. */
  String header(boolean renamed) {
    return renamed ? renamedHeader : header;
  }

  /** Whether the ground truth lists each record of this source in {@code records.csv}. */
  boolean inTruth() {
    return this != WEB && this != APP;
  }

  /** Path of one shard's file of one day, relative to the generator root. */
  String file(String isoDate, int shard) {
    return "landing/" + dir + "/" + isoDate + "/" + prefix + "-part-" + shard
        + (csv ? ".csv" : ".jsonl");
  }

  /** Kinds of malformed line this source can carry. */
  List<Malformation> malformations() {
    return csv ? List.of(Malformation.EXTRA_COLUMN, Malformation.BAD_DATE)
        : List.of(Malformation.TRUNCATED, Malformation.BAD_TIMESTAMP,
            Malformation.MISSING_TIMESTAMP);
  }
}
