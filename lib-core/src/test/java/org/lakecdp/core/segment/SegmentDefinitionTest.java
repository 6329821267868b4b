package org.lakecdp.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SegmentSettings;
import org.lakecdp.core.segment.export.Hashing;
import org.lakecdp.core.testing.TestConfig;

/** Segment and destination configuration, the condition language, hashing; no Spark. */
class SegmentDefinitionTest {
  private static final Path ROOT = Path.of("/tmp/unused-lake");

  private static SegmentSettings settings(String hocon) {
    CdpSettings s = TestConfig.fromHocon(ROOT, hocon);
    return s.segments();
  }

  private static SegmentCatalog catalog(String hocon) {
    return SegmentCatalog.validate(settings(hocon));
  }

  @Test
  void parsesSegmentsAndDestinationsIntoRecordsInDependencyOrder() {
    SegmentCatalog c = catalog("""
        cdp.segments {
          vip { where = "revenue >= 500 AND segments.active", holdout-percent = 10,
                owner = crm, description = "Best customers" }
          active { where = "last_activity_at >= run_date - INTERVAL 30 DAYS" }
          like_vip { lookalike { seed = vip, size = 100 } }
        }
        cdp.destinations.ads { purpose = Advertising, segments = [vip, like_vip],
          columns = [customer_id, email_sha256], format = parquet, mode = delta,
          location = "out/ads" }
        """);
    assertThat(c.ordered()).extracting(SegmentSettings.Segment::name)
        .containsExactly("active", "vip", "like_vip");
    assertThat(c.dependencies("vip")).containsExactly("active");
    assertThat(c.dependencies("like_vip")).containsExactly("vip");
    SegmentSettings s = settings("""
        cdp.segments.vip { where = "revenue >= 500", holdout-percent = 10 }
        cdp.destinations.ads { purpose = Advertising, segments = vip, columns = [customer_id],
          location = "out/ads" }
        """);
    SegmentSettings.Destination ads = s.destinations().get("ads");
    assertThat(ads.purpose()).isEqualTo("advertising");
    assertThat(ads.format()).isEqualTo(SegmentSettings.Format.CSV);
    assertThat(ads.mode()).isEqualTo(SegmentSettings.Mode.FULL);
    assertThat(ads.location()).startsWith("/").endsWith("/out/ads");
    assertThat(s.segments().get("vip").holdoutPercent()).isEqualTo(10.0);
  }

  @Test
  void theExampleSegmentsOfTheLocalDefaultAreValid() {
    CdpSettings settings = org.lakecdp.core.config.CdpConfigLoader.load(
        Path.of("../conf/application.conf"), java.util.Map.of());
    SegmentCatalog c = SegmentCatalog.validate(settings.segments());
    assertThat(c.ordered()).extracting(SegmentSettings.Segment::name).contains(
        "high_value_at_risk", "lapsed_buyers", "likely_shoe_buyers",
        "new_subscribers_no_purchase", "top_customers", "lookalikes_of_top_customers");
    assertThat(settings.segments().enabledDestinations())
        .extracting(SegmentSettings.Destination::name)
        .containsExactly("ad_audiences", "email_tool");
  }

  @Test
  void configurationErrorsNameTheKeyAndValue() {
    assertThatThrownBy(() -> settings("cdp.segments.vip { where = \"revenue > 1\", colour = red }"))
        .isInstanceOf(CdpException.class)
        .hasMessage("unknown configuration key cdp.segments.vip.colour");
    assertThatThrownBy(() -> settings("cdp.segments.vip { wher = \"revenue > 1\" }"))
        .hasMessage("unknown configuration key cdp.segments.vip.wher (did you mean"
            + " cdp.segments.vip.where?)");
    assertThatThrownBy(() -> settings("cdp.segments.vip { where = \"x\", holdout-percent = 120 }"))
        .hasMessage("cdp.segments.vip.holdout-percent must be in [0,100]: 120.0");
    assertThatThrownBy(() -> settings("cdp.segments.Vip { where = \"revenue > 1\" }"))
        .hasMessageStartingWith("cdp.segments.Vip must be named with lower-case letters");
    assertThatThrownBy(() -> settings("cdp.segments.vip { owner = me }"))
        .hasMessage("segment 'vip': set cdp.segments.vip.where or cdp.segments.vip.lookalike");
    assertThatThrownBy(() -> settings("""
        cdp.segments.vip { where = "revenue > 1" }
        cdp.destinations.ads { purpose = ads, segments = [vpi], columns = [customer_id],
          location = x }
        """)).hasMessage("cdp.destinations.ads.segments must be one of [vip]: 'vpi'");
    assertThatThrownBy(() -> settings("""
        cdp.segments.vip { where = "revenue > 1" }
        cdp.destinations.ads { purpose = ads, segments = [vip], columns = [customer_id],
          location = x, format = xml }
        """)).hasMessage("cdp.destinations.ads.format must be one of [csv, jsonl, parquet]:"
            + " 'xml'");
    assertThatThrownBy(() -> catalog("""
        cdp.segments.vip { where = "revenue > 1" }
        cdp.destinations.ads { purpose = ads, segments = [vip], columns = [customer_id,
          email_sha265], location = x }
        """)).hasMessageStartingWith("destination 'ads': unknown column 'email_sha265' (did"
            + " you mean 'email_sha256'?); columns are [");
    assertThatThrownBy(() -> catalog("""
        cdp.segments.vip { where = "revenue > 1" }
        cdp.destinations.ads { purpose = ads, segments = [vip], columns = [customer_id,
          emails], location = x }
        """)).hasMessage("destination 'ads': column 'emails' is a array<string>, which CSV"
            + " cannot hold; use format jsonl or parquet");
  }

  @Test
  void conditionsAreCheckedAgainstTheGoldSchemaWithOneLineErrors() {
    Set<String> columns = SegmentCatalog.conditionColumns();
    List<String> segments = List.of("vip", "lapsed");
    // accepted forms: comparisons, ranges, IN lists, relative dates, map access, deciles
    SegmentExpression.References r = SegmentExpression.validate("ok",
        "(revenue BETWEEN 100 AND 500 OR order_count IN (1, 2, 3)) AND NOT segments.lapsed"
            + " AND last_purchase_at >= run_date - INTERVAL 30 DAYS"
            + " AND consent_status['email_marketing'] = 'granted'"
            + " AND array_contains(top_categories, 'shoes') AND churn_score_decile = 10"
            + " AND datediff(run_date, first_seen_at) <= 90 AND email IS NOT NULL"
            + " AND country LIKE 'G%'", columns, segments);
    assertThat(r.segments()).containsExactly("lapsed");
    assertThat(r.columns()).contains("revenue", "run_date", "churn_score_decile",
        "consent_status", "top_categories").doesNotContain("segments");

    String known = new java.util.TreeSet<>(columns).toString();
    assertThatThrownBy(() -> SegmentExpression.validate("vip", "revnue > 100", columns,
        segments)).isInstanceOf(CdpException.class)
        .hasMessage("segment 'vip': unknown column 'revnue' (did you mean 'revenue'?); known"
            + " columns are " + known);
    assertThatThrownBy(() -> SegmentExpression.validate("vip", "rand() > 0.5", columns,
        segments)).hasMessageStartingWith("segment 'vip': function 'rand' is not allowed"
            + " (did you mean 'round'?); allowed functions are [abs, ");
    assertThatThrownBy(() -> SegmentExpression.validate("vip",
        "customer_id IN (SELECT customer_id FROM cdp_gold.customer_profile)", columns,
        segments)).hasMessageStartingWith("segment 'vip': subqueries are not allowed");
    assertThatThrownBy(() -> SegmentExpression.validate("vip",
        "EXISTS (SELECT 1)", columns, segments))
        .hasMessageStartingWith("segment 'vip': subqueries are not allowed");
    assertThatThrownBy(() -> SegmentExpression.validate("vip", "segments.vipp", columns,
        segments)).hasMessage("segment 'vip': unknown segment 'vipp' (did you mean 'vip'?);"
            + " segments are [lapsed, vip]");
    assertThatThrownBy(() -> SegmentExpression.validate("vip", "revenue >", columns,
        segments)).hasMessageStartingWith("segment 'vip': cannot parse where 'revenue >': ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> SegmentExpression.validate("vip",
        "exists(top_categories, c -> c = 'shoes')", columns, segments))
        .hasMessageStartingWith("segment 'vip': function 'exists' is not allowed");
  }

  @Test
  void segmentCyclesAndBadLookalikesFailBeforeAnyRun() {
    assertThatThrownBy(() -> catalog("""
        cdp.segments {
          a { where = "segments.b" }
          b { where = "segments.c AND revenue > 0" }
          c { where = "segments.a" }
        }
        """)).hasMessage("segment 'a': segments refer to each other in a cycle:"
            + " a -> b -> c -> a");
    assertThatThrownBy(() -> catalog("""
        cdp.segments {
          a { where = "revenue > 0", enabled = false }
          b { lookalike { seed = a, size = 10 } }
        }
        """)).hasMessage("segment 'b': lookalike seed 'a' is not an enabled segment;"
            + " segments are [b]");
    assertThatThrownBy(() -> catalog("""
        cdp.segments {
          a { where = "revenue > 0" }
          b { lookalike { seed = a, size = 10, features = [revenue, city] } }
        }
        """)).hasMessageStartingWith("segment 'b': lookalike feature 'city' is not a numeric"
            + " profile column; numeric columns are [");
  }

  @Test
  void hashedIdentifiersAreSha256OfTheStandardisedValueInLowerCaseHex() {
    // printf 'ann.smith@example.com' | sha256sum
    assertThat(Hashing.emailSha256("  Ann.Smith@Example.COM "))
        .isEqualTo("f37d883a83178ebc6bedcfb87dd7948377c202068641e2ceaebbfce8d4ffa51f");
    // printf '+447700900123' | sha256sum
    assertThat(Hashing.sha256Hex("+447700900123"))
        .isEqualTo("a8acc3a90a7b4e4dc65e93db9240ed26523050ef754d63b75b5161de76781436");
    assertThat(Hashing.emailSha256(" ")).isNull();
  }

  @Test
  void holdoutBucketsAreStableAndSpreadEvenly() {
    int held = 0;
    for (int i = 0; i < 20_000; i++) {
      int b = SegmentEvaluation.bucket("vip", "cust-" + i);
      assertThat(b).isBetween(0, SegmentEvaluation.BUCKETS - 1)
          .isEqualTo(SegmentEvaluation.bucket("vip", "cust-" + i));
      if (b < 1000) {
        held++;
      }
    }
    // 10% of 20,000 with a binomial standard deviation of about 42
    assertThat(held).isBetween(1800, 2200);
    assertThat(SegmentEvaluation.bucket("vip", "cust-1"))
        .isNotEqualTo(SegmentEvaluation.bucket("lapsed", "cust-1"));
  }
}
