package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.lakecdp.core.lake.IdentityColumns;

/**
 * Persistent customer ids: a new clustering inherits the ids of the previous one by best
 * overlap of source records.
 *
 * <p>Each previous customer id goes to the new cluster holding most of its records (ties: the
 * smaller cluster label); a cluster offered several ids keeps the one with the most records
 * there (ties: the smaller id) and the others are merged into it. A cluster offered none gets
 * a new id derived from its label (its smallest node id), so the same data always gets the
 * same ids, even in a rebuild from nothing; should that id ever have been used before, a
 * second derivation is taken.
 */
final class CustomerIds {
  private CustomerIds() {}

  static final String COMPONENT = "component";
  static final String OLD_ID = "old_customer_id";
  static final String OVERLAP = "overlap";
  private static final String PREFIX = "cus_";

  /**
   * Record counts shared by each (new cluster, previous customer):
   * {@code component, old_customer_id, overlap}.
   */
  static Dataset<Row> overlaps(Dataset<Row> newMembership, Dataset<Row> oldMembership) {
    return newMembership.join(oldMembership.select(col(IdentityColumns.SOURCE),
                col(IdentityColumns.RECORD_KEY), col(IdentityColumns.CUSTOMER_ID).as(OLD_ID)),
            new String[] {IdentityColumns.SOURCE, IdentityColumns.RECORD_KEY})
        .groupBy(col(COMPONENT), col(OLD_ID)).agg(count(lit(1)).as(OVERLAP));
  }

  /**
   * One customer id per cluster: {@code component, customer_id}.
   *
   * @param components every cluster label
   * @param overlaps from {@link #overlaps}
   * @param usedIds every id ever issued ({@code customer_id}), for collision avoidance
   */
  static Dataset<Row> assignCustomerIds(Dataset<Row> components, Dataset<Row> overlaps,
      Dataset<Row> usedIds) {
    Dataset<Row> best = overlaps
        .withColumn("r", row_number().over(Window.partitionBy(col(OLD_ID))
            .orderBy(col(OVERLAP).desc(), col(COMPONENT))))
        .where(col("r").equalTo(1)).drop("r");
    Dataset<Row> kept = best
        .withColumn("r", row_number().over(Window.partitionBy(col(COMPONENT))
            .orderBy(col(OVERLAP).desc(), col(OLD_ID))))
        .where(col("r").equalTo(1))
        .select(col(COMPONENT), col(OLD_ID).as("kept_id"));
    Column first = derived(col(COMPONENT));
    Column second = derived(xxhash64(col(COMPONENT), lit(1L)));
    Dataset<Row> used = usedIds.select(col(IdentityColumns.CUSTOMER_ID).as("used"),
        lit(true).as("taken")).distinct();
    return components.select(col(COMPONENT)).distinct()
        .join(kept, new String[] {COMPONENT}, "left")
        .withColumn("first_choice", first)
        .join(used, col("first_choice").equalTo(col("used")), "left")
        .withColumn(IdentityColumns.CUSTOMER_ID, coalesce(col("kept_id"),
            when(col("taken"), second).otherwise(col("first_choice"))))
        .select(col(COMPONENT), col(IdentityColumns.CUSTOMER_ID));
  }

  private static Column derived(Column label) {
    return concat(lit(PREFIX), lower(lpad(hex(label), 16, "0")));
  }

  /**
   * Lineage events from overlaps and the new ids: {@code event, customer_id,
   * from_customer_id, records}. A previous id whose records now sit in a cluster holding
   * another id was merged (that cluster is the previous id's best) or split off (it is not);
   * a previous id with no records left is retired.
   */
  static Dataset<Row> lineage(Dataset<Row> overlaps, Dataset<Row> ids,
      Dataset<Row> oldIds) {
    Dataset<Row> best = overlaps
        .withColumn("r", row_number().over(Window.partitionBy(col(OLD_ID))
            .orderBy(col(OVERLAP).desc(), col(COMPONENT))))
        .withColumn("is_best", col("r").equalTo(1)).drop("r");
    Dataset<Row> moved = best.join(ids, COMPONENT)
        .where(col(IdentityColumns.CUSTOMER_ID).notEqual(col(OLD_ID)))
        .select(when(col("is_best"), lit("merge")).otherwise(lit("split"))
                .as(IdentityColumns.EVENT),
            col(IdentityColumns.CUSTOMER_ID), col(OLD_ID).as(IdentityColumns.FROM_CUSTOMER_ID),
            col(OVERLAP).as(IdentityColumns.RECORDS), col(COMPONENT));
    // a retired customer's records are all gone: the row counts the records it held
    Dataset<Row> retired = oldIds.groupBy(col(IdentityColumns.CUSTOMER_ID).as(OLD_ID))
        .agg(count(lit(1)).as(IdentityColumns.RECORDS))
        .join(overlaps.select(col(OLD_ID)).distinct(), new String[] {OLD_ID}, "left_anti")
        .select(lit("retire").as(IdentityColumns.EVENT),
            lit(null).cast("string").as(IdentityColumns.CUSTOMER_ID),
            col(OLD_ID).as(IdentityColumns.FROM_CUSTOMER_ID),
            col(IdentityColumns.RECORDS), lit(null).cast("long").as(COMPONENT));
    return moved.unionByName(retired);
  }
}
