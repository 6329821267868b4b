package org.lakecdp.core.profile;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SampleSettings;
import org.lakecdp.core.identity.IdentityResolution;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.BronzeColumns;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.ProfileColumns;
import org.lakecdp.core.sample.SampleDataGenerator;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * The whole pipeline on generated sample data, the profile checked against the generator's
 * ground truth: for every true person whose purchases all landed in one customer that holds
 * no other person's records, the profile's order count and revenue equal the person's
 * completed orders and their amounts, computed here from the landing records the truth
 * assigns to the person.
 */
@ExtendWith(SparkTestSession.class)
class ProfileSampleDataTest {
  private static final LocalDate END = LocalDate.of(2024, 12, 31);

  @TempDir
  Path dir;

  @Test
  void ordersAndRevenueMatchTheTruthWhereIdentityIsExact() throws IOException {
    Path sample = dir.resolve("sample");
    SampleDataGenerator.generate(new SampleSettings(sample.toString(), 150, 120, END, 11),
        m -> { });
    Map<String, String> overrides = new HashMap<>();
    overrides.put("cdp.sample.root", sample.toString());
    overrides.put("cdp.lakehouse.root", dir.resolve("lake").toString());
    for (String layer : List.of("bronze", "silver", "gold", "ops")) {
      overrides.put("cdp.lakehouse.databases." + layer, "ps_" + layer);
    }
    CdpSettings settings = CdpConfigLoader.load(Path.of("../conf/sources/sample.conf")
        .toAbsolutePath().normalize(), overrides);
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    new BronzeIngest(lake, settings, m -> { }).run(new IngestRequest(END, false, false,
        List.of()));
    new IdentityResolution(lake, settings, m -> { }).run(END);
    new CustomerProfiles(lake, settings, m -> { }).run(END);

    Map<String, String> personOf = new HashMap<>();
    for (String line : Files.readAllLines(sample.resolve("truth/records.csv")).subList(1,
        Files.readAllLines(sample.resolve("truth/records.csv")).size())) {
      String[] f = line.split(",");
      personOf.put(f[0] + "/" + f[1], f[2]);
    }
    Map<String, String> customerOf = new HashMap<>();
    Map<String, Set<String>> personsOfCustomer = new HashMap<>();
    for (Row r : lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP).collectAsList()) {
      String key = r.getAs(IdentityColumns.SOURCE) + "/" + r.getAs(IdentityColumns.RECORD_KEY);
      String customer = r.getAs(IdentityColumns.CUSTOMER_ID);
      customerOf.put(key, customer);
      if (personOf.containsKey(key)) {
        personsOfCustomer.computeIfAbsent(customer, k -> new HashSet<>())
            .add(personOf.get(key));
      }
    }
    // expected per person: latest version of each purchase record, completed orders only
    Map<String, Row> latest = new HashMap<>();
    for (Row r : lake.read(CdpTable.BRONZE_EVENTS)
        .where(col(BronzeColumns.EVENT_TYPE).equalTo("purchase")).collectAsList()) {
      String key = r.getAs(BronzeColumns.SOURCE) + "/" + r.getAs(BronzeColumns.RECORD_KEY);
      Row seen = latest.get(key);
      if (seen == null || ((java.sql.Timestamp) r.getAs(BronzeColumns.EVENT_TIME))
          .after(seen.getAs(BronzeColumns.EVENT_TIME))) {
        latest.put(key, r);
      }
    }
    Map<String, Long> orders = new HashMap<>();
    Map<String, BigDecimal> revenue = new HashMap<>();
    Map<String, Set<String>> customersOfPerson = new HashMap<>();
    for (var e : latest.entrySet()) {
      String person = personOf.get(e.getKey());
      assertThat(person).as("truth of " + e.getKey()).isNotNull();
      customersOfPerson.computeIfAbsent(person, k -> new HashSet<>())
          .add(customerOf.get(e.getKey()));
      Map<String, String> attributes = e.getValue().getJavaMap(e.getValue()
          .fieldIndex(BronzeColumns.ATTRIBUTES));
      if ("cancelled".equalsIgnoreCase(attributes.get("order_status"))) {
        continue;
      }
      orders.merge(person, 1L, Long::sum);
      revenue.merge(person, new BigDecimal(attributes.get("amount")), BigDecimal::add);
    }
    Map<String, Row> profile = new HashMap<>();
    lake.read(CdpTable.GOLD_CUSTOMER_PROFILE).collectAsList()
        .forEach(r -> profile.put(r.getAs(ProfileColumns.CUSTOMER_ID), r));
    assertThat(profile.keySet()).isEqualTo(new HashSet<>(customerOf.values()));

    int exact = 0;
    for (var e : orders.entrySet()) {
      String person = e.getKey();
      Set<String> customers = customersOfPerson.get(person);
      if (customers.size() != 1) {
        continue;
      }
      String customer = customers.iterator().next();
      if (!personsOfCustomer.get(customer).equals(Set.of(person))) {
        continue;
      }
      exact++;
      Row p = profile.get(customer);
      assertThat((long) p.getAs(ProfileColumns.ORDER_COUNT)).as(person).isEqualTo(e.getValue());
      assertThat((BigDecimal) p.getAs(ProfileColumns.REVENUE)).as(person)
          .isEqualByComparingTo(revenue.get(person));
    }
    // most buyers resolve exactly; the check must not pass on an empty set
    assertThat(exact).isGreaterThan(orders.size() / 2);
  }
}
