package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * Consent state of each customer as of the run: the latest consent event (canonical type
 * {@code consent}, with consent_purpose and consent_status; channel optional) per purpose and
 * channel, and per purpose on any channel. Purposes, channels and statuses are lower-cased;
 * events without a purpose or status are ignored. Ties in time go to the greater source and
 * record key, so the state is deterministic.
 */
public final class Consents {
  private Consents() {}

  /** Per customer with consent events: consents (sorted by purpose, channel), consent_status. */
  public static Dataset<Row> latestConsents(Dataset<Row> customerEvents) {
    Dataset<Row> consents = customerEvents
        .where(col(BronzeColumns.EVENT_TYPE).equalTo(EventTypes.CONSENT))
        .select(col(IdentityColumns.CUSTOMER_ID),
            lower(CustomerEvents.attribute("consent_purpose")).as(ProfileColumns.PURPOSE),
            lower(CustomerEvents.attribute("channel")).as(ProfileColumns.CHANNEL),
            lower(CustomerEvents.attribute("consent_status")).as(ProfileColumns.STATUS),
            col(BronzeColumns.EVENT_TIME).as(ProfileColumns.UPDATED_AT),
            col(BronzeColumns.SOURCE), col(BronzeColumns.RECORD_KEY))
        .where(col(ProfileColumns.PURPOSE).isNotNull()
            .and(col(ProfileColumns.STATUS).isNotNull()));
    Dataset<Row> perChannel = latest(consents, ProfileColumns.PURPOSE, ProfileColumns.CHANNEL)
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(sort_array(collect_list(struct(col(ProfileColumns.PURPOSE),
            col(ProfileColumns.CHANNEL), col(ProfileColumns.STATUS),
            col(ProfileColumns.UPDATED_AT), col(ProfileColumns.SOURCE),
            col(ProfileColumns.RECORD_KEY)))).as(ProfileColumns.CONSENTS));
    Dataset<Row> perPurpose = latest(consents, ProfileColumns.PURPOSE)
        .groupBy(col(IdentityColumns.CUSTOMER_ID))
        .agg(map_from_entries(sort_array(collect_list(struct(col(ProfileColumns.PURPOSE),
            col(ProfileColumns.STATUS))))).as(ProfileColumns.CONSENT_STATUS));
    return perChannel.join(perPurpose, IdentityColumns.CUSTOMER_ID);
  }

  private static Dataset<Row> latest(Dataset<Row> consents, String... keys) {
    org.apache.spark.sql.Column[] partition = new org.apache.spark.sql.Column[keys.length + 1];
    partition[0] = col(IdentityColumns.CUSTOMER_ID);
    for (int i = 0; i < keys.length; i++) {
      partition[i + 1] = col(keys[i]);
    }
    return consents.withColumn("v", row_number().over(Window.partitionBy(partition)
            .orderBy(col(ProfileColumns.UPDATED_AT).desc(), col(ProfileColumns.SOURCE).desc(),
                col(ProfileColumns.RECORD_KEY).desc())))
        .where(col("v").equalTo(1)).drop("v");
  }
}
