package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.ingest.BronzeIngest;
import org.lakecdp.core.ingest.IngestRequest;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.IdentityColumns;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.testing.SparkTestSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code veto-on-disagreement} on the first name keeps a household apart: a second person at
 * the same address with the same surname, a different given name and no date of birth or
 * social security number outweighs the given name's disagreement in the model, and is merged
 * into the first person's customer unless the first name vetoes. Data: FEBRL 4 persons 0-299
 * of both files, plus that household record.
 */
@ExtendWith(SparkTestSession.class)
class HouseholdVetoTest {
  private static final Logger LOG = LoggerFactory.getLogger(HouseholdVetoTest.class);
  private static final LocalDate DAY = LocalDate.of(2024, 6, 1);
  private static final int PERSON = 10;
  private static final String HOUSEHOLD_KEY = "rec-6000-dup-0";

  @TempDir
  Path dir;

  private void landing() throws Exception {
    List<String> household = new ArrayList<>();
    for (String file : List.of("dataset4a.csv", "dataset4b.csv")) {
      List<String> lines = Files.readAllLines(Febrl4Test.febrl4Dir().resolve(file));
      List<String> out = new ArrayList<>(List.of(lines.get(0)));
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        int person = Integer.parseInt(line.substring(0, line.indexOf(',')).strip()
            .split("-")[1]);
        if (person < 300) {
          out.add(line);
        }
        if (line.startsWith("rec-" + PERSON + "-org")) {
          String[] f = line.split(",", -1);
          f[0] = HOUSEHOLD_KEY;
          // another given name: no typo, nickname, sound or initial in common
          f[1] = f[1].strip().startsWith("x") ? " wendy" : " xavier";
          f[9] = "";   // date of birth
          f[10] = "";  // social security number
          household.add(String.join(",", f));
        }
      }
      if (file.equals("dataset4b.csv")) {
        assertThat(household).hasSize(1);
        out.addAll(household);
      }
      Path target = dir.resolve("landing").resolve(file);
      Files.createDirectories(target.getParent());
      Files.write(target, out);
    }
  }

  private CdpSettings settings(String name, boolean veto) throws Exception {
    return settings(name, veto, Map.of());
  }

  private CdpSettings settings(String name, boolean veto, Map<String, String> extra)
      throws Exception {
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, """
        include file("%1$s")
        cdp.sources.febrl4a.path = "%2$s/dataset4a.csv"
        cdp.sources.febrl4b.path = "%2$s/dataset4b.csv"
        cdp.identity.probabilistic.comparisons = [
          { field = first_name, kind = name, swap-with = last_name, veto-on-disagreement = %3$s }
          { field = last_name, kind = name, swap-with = first_name }
          { field = date_of_birth, kind = date }
          { field = x_soc_sec_id, kind = numeric-string }
          { field = street_number, kind = numeric-string }
          { field = street, kind = string, swap-with = address_line2 }
          { field = address_line2, kind = string, swap-with = street }
          { field = city, kind = string }
          { field = postcode, kind = numeric-string }
          { field = state, kind = exact }
        ]
        """.formatted(Febrl4Test.exampleConf().toString().replace("\\", "/"),
        dir.resolve("landing").toString().replace("\\", "/"), veto));
    String db = name + Math.abs(dir.hashCode() % 100000);
    Map<String, String> overrides = new java.util.HashMap<>(Map.of(
        "cdp.lakehouse.root", dir.resolve(name).toString(),
        "cdp.lakehouse.databases.bronze", db + "_bronze",
        "cdp.lakehouse.databases.silver", db + "_silver",
        "cdp.lakehouse.databases.gold", db + "_gold",
        "cdp.lakehouse.databases.ops", db + "_ops",
        "cdp.identity.mode", "full"));
    overrides.putAll(extra);
    return CdpConfigLoader.load(conf, overrides);
  }

  private static String customerOf(Lakehouse lake, String source, String key) {
    return lake.read(CdpTable.SILVER_CUSTOMER_MEMBERSHIP)
        .where(col(IdentityColumns.SOURCE).equalTo(source)
            .and(col(IdentityColumns.RECORD_KEY).equalTo(key)))
        .select(col(IdentityColumns.CUSTOMER_ID)).first().getString(0);
  }

  private Lakehouse resolve(CdpSettings settings) {
    Lakehouse lake = SparkTestSession.lakehouse(settings);
    new BronzeIngest(lake, settings, LOG::info).run(new IngestRequest(DAY, true, false,
        List.of()));
    new IdentityResolution(lake, settings, LOG::info).run(DAY);
    return lake;
  }

  @Test
  void aDisagreeingFirstNameVetoesAHouseholdLink() throws Exception {
    landing();
    String person = "rec-" + PERSON + "-org";

    Lakehouse plain = resolve(settings("plain", false));
    assertThat(customerOf(plain, "febrl4b", HOUSEHOLD_KEY))
        .as("without the veto, surname and address outweigh the given name")
        .isEqualTo(customerOf(plain, "febrl4a", person));

    Lakehouse vetoed = resolve(settings("veto", true));
    assertThat(customerOf(vetoed, "febrl4b", HOUSEHOLD_KEY))
        .isNotEqualTo(customerOf(vetoed, "febrl4a", person));
    assertThat(customerOf(vetoed, "febrl4b", "rec-" + PERSON + "-dup-0"))
        .as("the person's own duplicate still links")
        .isEqualTo(customerOf(vetoed, "febrl4a", person));
    assertThat(vetoed.read(CdpTable.SILVER_IDENTITY_LINKS)
        .where(col("record_key_a").equalTo(HOUSEHOLD_KEY)
            .or(col("record_key_b").equalTo(HOUSEHOLD_KEY))).count()).isZero();
  }

  /**
   * Without the veto the household record, the person and the person's duplicate are one
   * cluster of three nodes held together by model links only (FEBRL 4 declares no rules).
   * With max-cluster-size 2 it keeps none of them: three customers, and one alert that names
   * the cluster's size with every link and all three, though each part is below the alert size.
   */
  @Test
  void aClusterOverTheMaximumSizeLosesItsModelLinksAndRaisesOneAlert() throws Exception {
    landing();
    Lakehouse capped = resolve(settings("capped", false, Map.of(
        "cdp.identity.guardrails.max-cluster-size", "2",
        "cdp.identity.guardrails.alert-cluster-size", "2")));
    List<String> three = List.of(customerOf(capped, "febrl4a", "rec-" + PERSON + "-org"),
        customerOf(capped, "febrl4b", "rec-" + PERSON + "-dup-0"),
        customerOf(capped, "febrl4b", HOUSEHOLD_KEY));
    assertThat(three).doesNotHaveDuplicates();
    assertThat(customerOf(capped, "febrl4b", "rec-11-dup-0"))
        .as("a pair of two nodes keeps its model link")
        .isEqualTo(customerOf(capped, "febrl4a", "rec-11-org"));

    List<org.apache.spark.sql.Row> alerts = capped.read(CdpTable.SILVER_IDENTITY_ALERTS)
        .select(IdentityColumns.KIND, IdentityColumns.SUBJECT, IdentityColumns.SIZE,
            IdentityColumns.DETAIL).collectAsList();
    assertThat(alerts).hasSize(1);
    org.apache.spark.sql.Row alert = alerts.get(0);
    List<String> sorted = three.stream().sorted().toList();
    assertThat(alert.getString(0)).isEqualTo("cluster_over_max_size");
    assertThat(alert.getString(1)).isEqualTo(sorted.get(0));
    assertThat(((Number) alert.get(2)).longValue()).isEqualTo(3L);
    assertThat(alert.getString(3)).isEqualTo("identity nodes: 3 with every link, over"
        + " max-cluster-size 2; without its model links it is 3 customer(s): "
        + String.join(", ", sorted));
  }
}
