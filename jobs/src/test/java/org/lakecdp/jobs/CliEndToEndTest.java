package org.lakecdp.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as an operator uses it, each command in a JVM of its own: generate the
 * sample data, ingest it, query it, rerun, and fail cleanly.
 */
class CliEndToEndTest {
  @TempDir
  Path dir;

  /**
   * {@code cdp demo}, the README's first command: generates the sample data, runs the nightly
   * and prints where every table is with its rows; run again it reuses the data and ingests
   * nothing new.
   */
  @Test
  void demoGeneratesRunsTheNightlyAndSummarises() throws Exception {
    Path conf = SampleLanding.conf(dir, "");
    CdpProcess.Result demo = CdpProcess.run(dir, Map.of(), "demo", "--conf", conf.toString());
    assertThat(demo.exit()).as(demo.toString()).isZero();
    assertThat(demo.out()).startsWith("sample data: 150 persons, ")
        .contains("Lakehouse: " + dir.resolve("lake"))
        .containsPattern("cdp_silver\\.customer_membership +[1-9][0-9,]* rows")
        .containsPattern("cdp_gold\\.customer_profile +[1-9][0-9,]* rows")
        .contains("Bronze records per source:", "Try:");
    assertThat(demo.err()).contains("writing cdp_bronze.events");

    CdpProcess.Result again = CdpProcess.run(dir, Map.of(), "demo", "--conf",
        conf.toString());
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.err()).contains("sample data already in " + dir.resolve("sample"));
    assertThat(again.out()).doesNotContain("sample data: 150 persons")
        .contains(bronzeLine(demo.out()));
  }

  /** The summary's line of cdp_bronze.events (its row count and location). */
  private static String bronzeLine(String summary) {
    return summary.lines().filter(l -> l.strip().startsWith("cdp_bronze.events ")).findFirst()
        .orElseThrow();
  }

  @Test
  void generateIngestQueryRerun() throws Exception {
    // 45 days of data: trained only with the history counted from the first event (CRM
    // records from years before), so the nightly below trains propensity and clv and
    // fails churn's training; by default (from the first purchase) none would be trained
    Path conf = SampleLanding.conf(dir, """
        cdp.ml.training { history-start = first-event, min-history-days = 30 }
        cdp.ml.scale-partial-windows = false
        """);
    CdpProcess.Result gen = CdpProcess.run(dir, Map.of(), "generate", "--conf", conf.toString());
    assertThat(gen.exit()).as(gen.toString()).isZero();
    assertThat(gen.out()).startsWith("sample data: 150 persons, ");

    Map<String, Long> expected = SampleLanding.recordsPerSource(dir.resolve("sample"));
    assertThat(expected).containsOnlyKeys("app", "consent", "crm", "email", "orders", "pos",
        "support", "web");

    CdpProcess.Result ingest = CdpProcess.run(dir, Map.of(), "run", "ingest", "--conf",
        conf.toString());
    assertThat(ingest.exit()).as(ingest.toString()).isZero();
    assertThat(ingest.out()).containsPattern("ingest ingest-\\S+: [0-9,]+ record\\(s\\) from 8"
        + " source\\(s\\), [0-9,]+ file\\(s\\) into cdp_bronze.events");
    assertThat(ingest.err()).contains("source 'web':").contains("writing cdp_bronze.events");

    CdpProcess.Result all = CdpProcess.run(dir, Map.of(), "sql",
        SampleLanding.ALL_RECORDS_BY_SOURCE, "--format", "csv", "--conf", conf.toString());
    assertThat(all.exit()).as(all.toString()).isZero();
    assertThat(SampleLanding.parseCounts(all.out())).isEqualTo(expected);

    CdpProcess.Result bad = CdpProcess.run(dir, Map.of(), "sql",
        SampleLanding.QUARANTINE_BY_SOURCE, "--format", "csv", "--conf", conf.toString());
    assertThat(SampleLanding.parseCounts(bad.out()))
        .isEqualTo(SampleLanding.malformedPerSource(dir.resolve("sample")));

    CdpProcess.Result again = CdpProcess.run(dir, Map.of(), "nightly", "--conf",
        conf.toString());
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.out()).contains(": 0 record(s) from 0 source(s), 0 file(s)")
        .contains("churn: training failed (no champion yet): train churn: no training rows")
        .containsPattern("identity identity-\\S+ \\([^)]+\\): [0-9,]+ record\\(s\\) into [0-9,]+"
            + " customer\\(s\\) in cdp_silver.customer_membership")
        .containsPattern("profile profile-\\S+: [0-9,]+ customer\\(s\\) in"
            + " cdp_gold.customer_profile as of ");

    CdpProcess.Result runs = CdpProcess.run(dir, Map.of(), "sql",
        "SELECT job, status, coalesce(output_rows > 0, false) AS wrote FROM cdp_ops.runs"
            + " ORDER BY started_at",
        "--format", "json", "--conf", conf.toString());
    assertThat(runs.out().lines().toList()).containsExactly(
        "{\"job\":\"ingest\",\"status\":\"SUCCEEDED\",\"wrote\":true}",
        "{\"job\":\"ingest\",\"status\":\"SUCCEEDED\",\"wrote\":false}",
        "{\"job\":\"identity\",\"status\":\"SUCCEEDED\",\"wrote\":true}",
        "{\"job\":\"privacy\",\"status\":\"SUCCEEDED\",\"wrote\":false}",
        // the first scoring trains each model; 45 days of 150 persons cannot train churn,
        // which is noted and not scored while the nightly goes on
        "{\"job\":\"train\",\"status\":\"FAILED\",\"wrote\":false}",
        "{\"job\":\"train\",\"status\":\"SUCCEEDED\",\"wrote\":true}",
        "{\"job\":\"train\",\"status\":\"SUCCEEDED\",\"wrote\":true}",
        "{\"job\":\"score\",\"status\":\"SUCCEEDED\",\"wrote\":true}",
        "{\"job\":\"profile\",\"status\":\"SUCCEEDED\",\"wrote\":true}",
        "{\"job\":\"segment\",\"status\":\"SUCCEEDED\",\"wrote\":false}",
        "{\"job\":\"export\",\"status\":\"SUCCEEDED\",\"wrote\":false}");

    CdpProcess.Result members = CdpProcess.run(dir, Map.of(), "sql",
        "SELECT count(*) AS n FROM cdp_silver.customer_membership m"
            + " LEFT ANTI JOIN cdp_bronze.events e USING (source, record_key)",
        "--format", "csv", "--conf", conf.toString());
    assertThat(members.out().lines().toList()).as("every member is a bronze record")
        .containsExactly("n", "0");

    CdpProcess.Result anEmail = CdpProcess.run(dir, Map.of(), "sql",
        "SELECT min(email) AS e FROM cdp_silver.identity_records WHERE email_valid"
            + " AND size(unusable) = 0", "--format", "csv", "--conf", conf.toString());
    String email = anEmail.out().lines().toList().get(1);
    // erasure runs the same command path; PrivacyTest covers what it removes
    CdpProcess.Result access = CdpProcess.run(dir, Map.of(), "privacy", "access", "--email",
        email, "--set", "privacy.salt=cli-test-salt-0123456789", "--conf", conf.toString());
    assertThat(access.exit()).as(access.toString()).isZero();
    assertThat(access.out()).containsPattern("receipt access-\\S+ access by email: done,"
        + " [1-9]\\d* customer\\(s\\)");
    java.util.regex.Matcher written = java.util.regex.Pattern.compile("-> (\\S+\\.json)")
        .matcher(access.err() + access.out());
    assertThat(written.find()).as(access.toString()).isTrue();
    String file = written.group(1).replaceFirst("^file:", "");
    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(file)))
        .contains(email.toLowerCase(java.util.Locale.ROOT)).contains("\"profile\"");

    CdpProcess.Result missing = CdpProcess.run(dir, Map.of(), "sql", "SELECT * FROM nope",
        "--conf", conf.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).containsPattern("(?m)^cdp: error: .*TABLE_OR_VIEW_NOT_FOUND.*$");
  }
}
