package org.lakecdp.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest on a real multi-JVM Spark cluster ({@code local-cluster[2,1,1024]}: a master, two
 * workers and two executors, each a JVM of its own), so nothing in the code works only when
 * driver and executors share one JVM.
 */
class ClusterIngestTest {
  @TempDir
  Path dir;

  @Test
  void ingestsOnAMultiJvmCluster() throws Exception {
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Files.createFile(sparkHome.resolve("RELEASE"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    List<String> folders = new ArrayList<>();
    int i = 0;
    for (String entry : CdpProcess.classpath()) {
      Path p = Path.of(entry).toAbsolutePath();
      if (entry.endsWith(".jar")) {
        Files.createSymbolicLink(jars.resolve((i++) + "-" + p.getFileName()), p);
      } else if (Files.isDirectory(p)) {
        folders.add(p.toString());
      }
    }
    // interpreted expressions: each executor JVM would otherwise compile every generated
    // class cold, which made this the slowest test; CliEndToEndTest keeps code generation on
    Path conf = SampleLanding.conf(dir, 10, """
        cdp.spark.master = "local-cluster[2,1,1024]"
        cdp.spark.conf { "spark.executor.extraClassPath" = "%s",
                         "spark.driver.host" = "127.0.0.1",
                         "spark.sql.codegen.wholeStage" = "false",
                         "spark.sql.codegen.factoryMode" = "NO_CODEGEN" }
        """.formatted(String.join(File.pathSeparator, folders)));
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(),
        "SPARK_SCALA_VERSION", "2.13");

    CdpProcess.Result gen = CdpProcess.run(dir, env, "generate", "--conf", conf.toString());
    assertThat(gen.exit()).as(gen.toString()).isZero();
    CdpProcess.Result ingest = CdpProcess.run(dir, env, "run", "ingest", "--conf",
        conf.toString());
    assertThat(ingest.exit()).as(ingest.toString()).isZero();
    assertThat(ingest.err()).contains("starting Spark (local-cluster[2,1,1024])");

    try (Stream<Path> executors = Files.walk(sparkHome.resolve("work"), 2)) {
      assertThat(executors.filter(p -> p.getNameCount()
          == sparkHome.resolve("work").getNameCount() + 2)
          .filter(p -> Files.exists(p.resolve("stderr")))).as("executor folders").hasSize(2);
    }

    CdpProcess.Result all = CdpProcess.run(dir, env, "sql", SampleLanding.ALL_RECORDS_BY_SOURCE,
        "--format", "csv", "--conf", conf.toString());
    assertThat(all.exit()).as(all.toString()).isZero();
    assertThat(SampleLanding.parseCounts(all.out()))
        .isEqualTo(SampleLanding.recordsPerSource(dir.resolve("sample")));

    // identity runs its UDFs, comparators and clustering in the executors' JVMs
    CdpProcess.Result identity = CdpProcess.run(dir, env, "run", "identity", "--conf",
        conf.toString());
    assertThat(identity.exit()).as(identity.toString()).isZero();
    assertThat(identity.out()).containsPattern("[0-9,]+ record\\(s\\) into [0-9,]+"
        + " customer\\(s\\)");
    CdpProcess.Result members = CdpProcess.run(dir, env, "sql",
        "SELECT count(*) AS n FROM cdp_silver.customer_membership WHERE customer_id LIKE 'cus_%'",
        "--format", "csv", "--conf", conf.toString());
    assertThat(Long.parseLong(members.out().lines().toList().get(1))).isPositive();
  }
}
