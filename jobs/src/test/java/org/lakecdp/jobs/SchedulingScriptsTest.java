package org.lakecdp.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduling examples and {@code scripts/cdp-submit} agree with the command line: the
 * Airflow DAG runs the pipeline's jobs in its order, and cdp-submit hands spark-submit the
 * jar, the build's hadoop-aws version and a configuration file the driver can open. No Spark
 * here: spark-submit is a stand-in that writes down what it was given.
 */
class SchedulingScriptsTest {
  @TempDir
  Path dir;

  @Test
  void theAirflowDagRunsEveryJobOfTheNightlyInOrder() throws IOException {
    String dag = Files.readString(SampleLanding.repo().resolve(
        "scripts/schedule/airflow_cdp_nightly.py"));
    Matcher jobs = Pattern.compile("(?m)^JOBS = \\[([^\\]]*)\\]").matcher(dag);
    assertThat(jobs.find()).as("a JOBS list in the DAG").isTrue();
    List<String> listed = Arrays.stream(jobs.group(1).split(","))
        .map(s -> s.strip().replace("\"", "")).toList();
    assertThat(listed).containsExactlyElementsOf(
        CdpMain.PIPELINE.stream().map(Job::name).toList());
  }

  /** A copy of cdp-submit in a tree of its own, with a built jar and classpath beside it. */
  private Path submitTree(String classpath) throws IOException {
    Path home = dir.resolve("cdp");
    Files.createDirectories(home.resolve("scripts"));
    Files.createDirectories(home.resolve("jobs/target"));
    Path script = Files.copy(SampleLanding.repo().resolve("scripts/cdp-submit"),
        home.resolve("scripts/cdp-submit"));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(home.resolve("jobs/target/cdp-jobs-9.9-spark.jar"), "");
    Files.writeString(home.resolve("jobs/target/classpath.txt"), classpath);
    Path submit = dir.resolve("spark/bin/spark-submit");
    Files.createDirectories(submit.getParent());
    Files.writeString(submit, "#!/bin/sh\nprintf '%s\\n' \"CDP_CONF=$CDP_CONF\" \"$@\""
        + " > \"$SPARK_HOME/given.txt\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private Process run(Path script, String confFile, String... args) throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
        .redirectErrorStream(true);
    pb.environment().put("SPARK_HOME", dir.resolve("spark").toString());
    pb.environment().remove("CDP_CONF");
    pb.environment().remove("SPARK_SUBMIT_OPTS_CDP");
    if (confFile != null) {
      pb.environment().put("CDP_CONF_FILE", confFile);
    }
    return pb.start();
  }

  private static String finish(Process p) throws Exception {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void cdpSubmitPassesTheJarTheHadoopAwsVersionAndAConfigurationTheDriverCanOpen()
      throws Exception {
    Path script = submitTree("/m2/org/apache/spark/spark-sql_2.13-4.1.0.jar:"
        + "/m2/org/apache/hadoop/hadoop-aws/3.4.2/hadoop-aws-3.4.2.jar:/m2/x/y-1.0.jar\n");
    Path conf = Files.createDirectories(dir.resolve("work/conf")).resolve("production.conf");
    Files.writeString(conf, "cdp {}\n");
    Process p = run(script, "conf/production.conf", "run", "ingest", "--date", "2024-05-01");
    String output = finish(p);
    assertThat(p.exitValue()).as(output).isZero();
    List<String> given = Files.readAllLines(dir.resolve("spark/given.txt"));
    String absolute = conf.toRealPath().toString();
    assertThat(given.get(0)).isEqualTo("CDP_CONF=" + absolute);
    assertThat(given).containsSubsequence("--class", "org.lakecdp.jobs.CdpMain")
        .containsSubsequence("--packages", "org.apache.hadoop:hadoop-aws:3.4.2")
        .containsSubsequence("--files", absolute)
        .containsSubsequence("--conf", "spark.yarn.appMasterEnv.CDP_CONF=production.conf");
    assertThat(given.subList(given.size() - 5, given.size())).containsExactly(
        dir.resolve("cdp/jobs/target/cdp-jobs-9.9-spark.jar").toString(), "run", "ingest",
        "--date", "2024-05-01");
  }

  @Test
  void cdpSubmitRefusesAMissingConfigurationOrABuildWithoutHadoopAws() throws Exception {
    Path script = submitTree("/m2/x/y-1.0.jar\n");
    Process missing = run(script, "conf/nowhere.conf", "nightly");
    String out = finish(missing);
    assertThat(missing.exitValue()).isEqualTo(2);
    assertThat(out).contains("cdp-submit: no hadoop-aws jar in jobs/target/classpath.txt");

    Files.writeString(dir.resolve("cdp/jobs/target/classpath.txt"),
        "/m2/hadoop-aws-3.4.2.jar\n");
    Process noConf = run(script, "conf/nowhere.conf", "nightly");
    assertThat(finish(noConf)).contains(
        "cdp-submit: CDP_CONF_FILE 'conf/nowhere.conf' is not a file");
    assertThat(noConf.exitValue()).isEqualTo(2);
    assertThat(dir.resolve("spark/given.txt")).doesNotExist();
  }
}
