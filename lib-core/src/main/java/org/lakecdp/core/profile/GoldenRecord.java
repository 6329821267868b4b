package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.config.ProfileSettings;
import org.lakecdp.core.config.ProfileSettings.Rule;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * The golden record: one value per attribute and customer, chosen among the standardised
 * values of the customer's records by the attribute's survivorship rule, with the record it
 * came from.
 *
 * <p>Candidates are the distinct values of each source record (its latest version carrying
 * the value gives the event time); identifiers withheld from linking (listed in
 * {@code unusable}; for names and addresses only null-like ones) and invalid emails are never
 * candidates. Every rule ends with a total
 * order (source, record key, value), so the choice is deterministic.
 */
public final class GoldenRecord {
  private GoldenRecord() {}

  static final String ATTRIBUTE = "attribute";
  static final String VALUE = "value";
  private static final double UNLISTED = 1_000_000;
  private static final String RULE = "rule";
  private static final String PRIORITY = "priority";
  /** Reason the identity guardrails give an over-shared value in {@code unusable}. */
  private static final String OVER_SHARED = "over-shared";

  /**
   * Candidate values from {@code cdp_silver.identity_records} rows (event time at most the
   * end of {@code asOf}) of records with a membership: customer_id, attribute, value, source,
   * record_key, event_time (latest version of that record carrying that value).
   */
  public static Dataset<Row> collectCandidates(Dataset<Row> identityRecords,
      Dataset<Row> membership, LocalDate asOf) {
    // the record's own customer_id (a source's id) gives way to the CDP's
    Dataset<Row> records = identityRecords.drop(IdentityColumns.SRC_CUSTOMER_ID)
        .where(col(IdentityColumns.EVENT_TIME).lt(lit(java.sql.Timestamp.valueOf(
            asOf.plusDays(1).atStartOfDay()))))
        .join(membership.select(col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY),
                col(IdentityColumns.CUSTOMER_ID)),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY});
    List<Column> entries = new ArrayList<>();
    for (String a : ProfileSettings.ATTRIBUTES) {
      Column value = col(a).cast("string");
      // a surname shared by many customers is withheld from linking, yet still their name
      boolean identifier = IdentityColumns.IDENTIFIERS.contains(a);
      Column usable = value.isNotNull().and(value.notEqual(""))
          .and(not(exists(col(IdentityColumns.UNUSABLE),
              u -> identifier ? u.startsWith(a + ":")
                  : u.startsWith(a + ":").and(not(u.endsWith(OVER_SHARED))))));
      if (a.equals(IdentityColumns.EMAIL)) {
        usable = usable.and(col(IdentityColumns.EMAIL_VALID).equalTo(true));
      }
      entries.add(struct(lit(a).as(ATTRIBUTE), when(usable, value).as(VALUE)));
    }
    return records
        .select(col(IdentityColumns.CUSTOMER_ID), col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.EVENT_TIME),
            explode(array(entries.toArray(Column[]::new))).as("c"))
        .select(col(IdentityColumns.CUSTOMER_ID), col("c." + ATTRIBUTE).as(ATTRIBUTE),
            col("c." + VALUE).as(VALUE), col(IdentityColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY), col(IdentityColumns.EVENT_TIME))
        .where(col(VALUE).isNotNull())
        .groupBy(col(IdentityColumns.CUSTOMER_ID), col(ATTRIBUTE), col(VALUE),
            col(IdentityColumns.SOURCE), col(IdentityColumns.RECORD_KEY))
        .agg(max(col(IdentityColumns.EVENT_TIME)).as(IdentityColumns.EVENT_TIME));
  }

  /**
   * One row per customer: the surviving value of every attribute (date_of_birth as a date)
   * and {@code provenance}, a map from attribute to source, record_key, event_time and rule.
   */
  public static Dataset<Row> surviveAttributes(Dataset<Row> candidates,
      ProfileSettings settings) {
    // rules and source ranks as small broadcast lookups: when-chains of every attribute and
    // source would grow the generated sort code past the JVM's 64 KB method limit
    List<Row> ruleRows = new ArrayList<>();
    List<Row> rankRows = new ArrayList<>();
    for (var e : settings.survivorship().entrySet()) {
      ruleRows.add(RowFactory.create(e.getKey(), e.getValue().rule().configName()));
      List<String> sources = e.getValue().sources();
      for (int i = 0; i < sources.size(); i++) {
        rankRows.add(RowFactory.create(e.getKey(), sources.get(i), (double) i));
      }
    }
    SparkSession spark = candidates.sparkSession();
    Dataset<Row> ruleTable = spark.createDataFrame(ruleRows, new StructType()
        .add(ATTRIBUTE, DataTypes.StringType).add(RULE, DataTypes.StringType));
    Dataset<Row> rankTable = spark.createDataFrame(rankRows, new StructType()
        .add(ATTRIBUTE, DataTypes.StringType).add(IdentityColumns.SOURCE, DataTypes.StringType)
        .add(PRIORITY, DataTypes.DoubleType));
    Column attribute = col(ATTRIBUTE);
    Column rule = col(RULE);
    Column prio = coalesce(col(PRIORITY), lit(UNLISTED));
    Column recent = col(IdentityColumns.EVENT_TIME).cast("double").multiply(-1);
    Column frequent = col("frequency").multiply(-1).cast("double");
    Column longest = length(col(VALUE)).multiply(-1).cast("double");
    Column k1 = byRule(rule, Map.of(Rule.SOURCE_PRIORITY, prio, Rule.MOST_RECENT, recent,
        Rule.MOST_FREQUENT, frequent, Rule.LONGEST, longest));
    Column k2 = byRule(rule, Map.of(Rule.SOURCE_PRIORITY, recent, Rule.MOST_RECENT, prio,
        Rule.MOST_FREQUENT, recent, Rule.LONGEST, frequent));
    Column k3 = byRule(rule, Map.of(Rule.SOURCE_PRIORITY, lit(0.0), Rule.MOST_RECENT,
        lit(0.0), Rule.MOST_FREQUENT, prio, Rule.LONGEST, recent));
    candidates = candidates.join(broadcast(ruleTable), ATTRIBUTE)
        .join(broadcast(rankTable), new String[] {ATTRIBUTE, IdentityColumns.SOURCE}, "left");
    Dataset<Row> ranked = candidates
        .withColumn("frequency", count(lit(1)).over(Window.partitionBy(
            col(IdentityColumns.CUSTOMER_ID), attribute, col(VALUE))))
        .withColumn("k1", k1).withColumn("k2", k2).withColumn("k3", k3)
        .withColumn("rank", row_number().over(Window.partitionBy(
                col(IdentityColumns.CUSTOMER_ID), attribute)
            .orderBy(col("k1"), col("k2"), col("k3"), col(IdentityColumns.SOURCE),
                col(IdentityColumns.RECORD_KEY), col(VALUE))))
        .where(col("rank").equalTo(1))
        .withColumn("origin", struct(col(IdentityColumns.SOURCE).as(ProfileColumns.SOURCE),
            col(IdentityColumns.RECORD_KEY).as(ProfileColumns.RECORD_KEY),
            col(IdentityColumns.EVENT_TIME).as(ProfileColumns.EVENT_TIME),
            rule.as(ProfileColumns.RULE)));
    List<Column> aggs = new ArrayList<>();
    List<Column> mapArgs = new ArrayList<>();
    for (String a : ProfileSettings.ATTRIBUTES) {
      Column value = max(when(attribute.equalTo(a), col(VALUE)));
      aggs.add((a.equals(IdentityColumns.DATE_OF_BIRTH) ? value.cast("date") : value).as(a));
      aggs.add(max(when(attribute.equalTo(a), col("origin"))).as("p_" + a));
    }
    Dataset<Row> pivoted = ranked.groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    for (String a : ProfileSettings.ATTRIBUTES) {
      mapArgs.add(lit(a));
      mapArgs.add(col("p_" + a));
    }
    List<Column> out = new ArrayList<>();
    out.add(col(IdentityColumns.CUSTOMER_ID));
    ProfileSettings.ATTRIBUTES.forEach(a -> out.add(col(a)));
    out.add(map_filter(map(mapArgs.toArray(Column[]::new)), (k, v) -> v.isNotNull())
        .as(ProfileColumns.PROVENANCE));
    return pivoted.select(out.toArray(Column[]::new));
  }

  /** The expression of each rule, by the candidate's rule. */
  private static Column byRule(Column rule, Map<Rule, Column> byRule) {
    Column out = null;
    for (Rule r : Rule.values()) {
      Column c = rule.equalTo(r.configName());
      out = out == null ? when(c, byRule.get(r)) : out.when(c, byRule.get(r));
    }
    return out;
  }
}
