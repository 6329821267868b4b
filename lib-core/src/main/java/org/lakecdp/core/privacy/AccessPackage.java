package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PrivacyColumns;
import org.lakecdp.core.lake.SegmentColumns;

/**
 * The right of access: one JSON document with everything the lakehouse holds about a person.
 * Sections: the customer ids; per source, the raw bronze records and the standardised
 * identity records; the golden profile; scores with model versions; segment membership
 * history and changes; the exports of segments the person was a member of on the export's
 * run date; the consent history and the consent events it comes from. PII encrypted at rest
 * is decrypted (the key must be set). Quarantined rows are not included (they are unparsed text).
 */
final class AccessPackage {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Lakehouse lake;

  AccessPackage(Lakehouse lake) {
    this.lake = lake;
  }

  /** Builds the package of {@code person} and writes it to {@code folder}; returns the file. */
  String write(String requestId, Identifier id, PersonLookup.Person person, String folder) {
    ObjectNode root = JSON.createObjectNode();
    root.put("request_id", requestId);
    root.put("requested_by", id.kind().label());
    root.put("generated_at", Instant.now().toString());
    ArrayNode ids = root.putArray("customer_ids");
    person.customerIds().forEach(ids::add);
    Object[] customers = person.customerIds().toArray();
    Object[] keys = person.records().stream().map(PersonLookup.RecordKey::joined).toArray();
    Column byKey = keys.length == 0 ? lit(false)
        : concat(col(BronzeColumns.SOURCE), lit(":"), col(BronzeColumns.RECORD_KEY)).isin(keys);
    Column byCustomer = col(IdentityColumns.CUSTOMER_ID).isin(customers);
    ObjectNode sources = root.putObject("sources");
    for (Row r : rows(CdpTable.BRONZE_EVENTS, byKey).select(BronzeColumns.SOURCE).distinct()
        .orderBy(BronzeColumns.SOURCE).collectAsList()) {
      String source = r.getString(0);
      ObjectNode s = sources.putObject(source);
      Column inSource = byKey.and(col(BronzeColumns.SOURCE).equalTo(source));
      s.set("raw_records", json(rows(CdpTable.BRONZE_EVENTS, inSource)
          .orderBy(BronzeColumns.RECORD_KEY, BronzeColumns.EVENT_TIME)));
      s.set("identity_records", json(rows(CdpTable.SILVER_IDENTITY_RECORDS, inSource)
          .orderBy(IdentityColumns.RECORD_KEY)));
    }
    root.set("profile", json(rows(CdpTable.GOLD_CUSTOMER_PROFILE, byCustomer)));
    root.set("scores", json(rows(CdpTable.GOLD_CUSTOMER_SCORES, byCustomer)
        .orderBy("model", "as_of")));
    Dataset<Row> membership = rows(CdpTable.GOLD_SEGMENT_MEMBERSHIP, byCustomer);
    root.set("segment_membership", json(membership.orderBy(SegmentColumns.RUN_DATE,
        SegmentColumns.SEGMENT)));
    root.set("segment_changes", json(rows(CdpTable.GOLD_SEGMENT_CHANGES, byCustomer)
        .orderBy(SegmentColumns.RUN_DATE, SegmentColumns.SEGMENT)));
    Dataset<Row> exports = lake.version(CdpTable.GOLD_SEGMENT_EXPORTS) < 0 ? null
        : lake.read(CdpTable.GOLD_SEGMENT_EXPORTS).join(membership
            .where(col(SegmentColumns.HOLDOUT).equalTo(false))
            .select(SegmentColumns.SEGMENT, SegmentColumns.RUN_DATE).distinct(),
            new String[] {SegmentColumns.SEGMENT, SegmentColumns.RUN_DATE}, "left_semi");
    root.set("exports_of_their_segments", exports == null ? JSON.createArrayNode()
        : json(exports.orderBy(SegmentColumns.RUN_DATE, SegmentColumns.DESTINATION)));
    root.set("consent_history", json(rows(CdpTable.SILVER_CONSENT_HISTORY, byCustomer)
        .orderBy(PrivacyColumns.PURPOSE, PrivacyColumns.VALID_FROM)));
    root.set("consent_events", json(rows(CdpTable.BRONZE_EVENTS,
        byKey.and(col(BronzeColumns.EVENT_TYPE).equalTo("consent")))
        .select(BronzeColumns.SOURCE, BronzeColumns.RECORD_KEY, BronzeColumns.EVENT_TIME,
            BronzeColumns.ATTRIBUTES).orderBy(BronzeColumns.EVENT_TIME)));
    return save(root, folder + "/" + requestId + ".json");
  }

  private Dataset<Row> rows(CdpTable table, Column condition) {
    return lake.version(table) < 0 ? lake.spark().createDataFrame(java.util.List.of(),
        table.schema()) : lake.read(table).where(condition);
  }

  private static ArrayNode json(Dataset<Row> rows) {
    ArrayNode out = JSON.createArrayNode();
    for (String line : rows.toJSON().collectAsList()) {
      try {
        out.add(JSON.readTree(line));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("Spark wrote invalid JSON: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private String save(ObjectNode root, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(lake.spark().sparkContext().hadoopConfiguration());
      Path tmp = new Path(path.getParent(), "." + path.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(path, false);
      if (!fs.rename(tmp, path)) {
        throw new IOException("cannot rename " + tmp + " to " + path);
      }
      return fs.makeQualified(path).toString();
    } catch (IOException e) {
      throw new CdpException("cannot write the access package " + file + ": "
          + e.getMessage(), e);
    }
  }
}
