package org.lakecdp.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Command-line parsing and exit codes; none of these start Spark. */
class CdpMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int cdp(String... args) {
    return new CdpMain(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    assertThat(cdp("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: cdp <command>")
        .contains("run <job>            run one job: ingest");
    assertThat(cdp("run", "--help")).isZero();
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(cdp()).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: cdp");
  }

  @Test
  void usageErrorsExitTwoWithOneLineCause() {
    assertThat(cdp("nightyl")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: unknown command 'nightyl' (did you mean 'nightly'?)\n"
        + "Run 'cdp --help' for usage.");
    err.reset();
    assertThat(cdp("run")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: name one job: ingest, identity, privacy, score,"
        + " profile, segment, export, train\n");
    err.reset();
    assertThat(cdp("run", "ingst")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: unknown job 'ingst' (did you mean 'ingest'?);"
        + " jobs are ingest, identity, privacy, score, profile, segment, export, train\n");
    err.reset();
    assertThat(cdp("run", "score", "--model", "churn")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: --model applies to train only\n");
    err.reset();
    assertThat(cdp("privacy", "forget", "--email", "a@b.c")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: privacy: say erase or access, then one identifier\n");
    err.reset();
    assertThat(cdp("privacy", "erase", "--email", "a@b.c", "--phone", "0123")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: privacy: give exactly one of --email, --phone,"
        + " --customer-id, --source-key\n");
    err.reset();
    assertThat(cdp("run", "train", "--model", "churm")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: unknown model 'churm'; models are churn,"
        + " propensity, clv\n");
    err.reset();
    assertThat(cdp("run", "ingest", "--date", "2024-13-01")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: --date must be a date yyyy-MM-dd: '2024-13-01'\n");
    err.reset();
    assertThat(cdp("run", "ingest", "--dat", "2024-01-01")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: unknown option --dat (did you mean --date?)\n");
    err.reset();
    assertThat(cdp("run", "ingest", "--force")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: run: --force needs --date or --from/--to\n");
    err.reset();
    assertThat(cdp("nightly", "--from", "2024-05-02", "--to", "2024-05-01")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: nightly: --to 2024-05-01 is before --from 2024-05-02\n");
    err.reset();
    assertThat(cdp("sql", "SELECT 1", "--format", "xml")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: sql: --format must be one of table, csv, json: 'xml'\n");
    err.reset();
    assertThat(cdp("generate", "--persons", "lots")).isEqualTo(2);
    assertThat(err()).startsWith("cdp: generate: --persons must be a whole number: 'lots'\n");
  }

  @Test
  void badConfigurationFailsBeforeSparkStartsWithExitOne() {
    assertThat(cdp("run", "ingest", "--set", "lakehouse.rooot=x")).isEqualTo(1);
    assertThat(err()).isEqualTo("cdp: error: unknown configuration key cdp.lakehouse.rooot"
        + " (did you mean cdp.lakehouse.root?)\n");
    err.reset();
    assertThat(cdp("run", "ingest", "--conf", "/no/such.conf")).isEqualTo(1);
    assertThat(err()).isEqualTo("cdp: error: configuration file not found: /no/such.conf\n");
  }

  @Test
  void datesScheduleOneCatchUpRunOneDayOrABackfillRange() {
    CommandLine none = CommandLine.parse("run", List.of(), Set.of("date", "from", "to"),
        Set.of("force"));
    assertThat(CdpMain.schedule(none, "run")).singleElement()
        .satisfies(o -> assertThat(o.dateGiven()).isFalse());
    CommandLine range = CommandLine.parse("run", List.of("--from", "2024-02-28", "--to=2024-03-01",
        "--force"), Set.of("date", "from", "to"), Set.of("force"));
    assertThat(CdpMain.schedule(range, "run")).extracting(JobOptions::date, JobOptions::force)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple(LocalDate.of(2024, 2, 28), true),
            org.assertj.core.api.Assertions.tuple(LocalDate.of(2024, 2, 29), true),
            org.assertj.core.api.Assertions.tuple(LocalDate.of(2024, 3, 1), true));
  }

  @Test
  void csvCellsAreQuotedWhenNeeded() {
    assertThat(ResultPrinter.csvLine(new String[] {"a", "b,c", "say \"hi\""}))
        .isEqualTo("a,\"b,c\",\"say \"\"hi\"\"\"");
  }
}
