package org.lakecdp.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest with the lakehouse on s3a:// against a real S3 API server, one source read from
 * s3a:// too, credentials from the environment only.
 */
class S3IngestTest {
  @TempDir
  Path dir;

  @Test
  void ingestsIntoALakehouseOnS3() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(dir, "cdp-lake", "cdp-landing")) {
      Path conf = SampleLanding.conf(dir, 10, """
          cdp.lakehouse.root = "s3a://cdp-lake/lakehouse"
          cdp.s3 { endpoint = "%s", region = "us-east-1", path-style-access = true,
                   access-key = ${?TEST_S3_ACCESS_KEY}, secret-key = ${?TEST_S3_SECRET_KEY} }
          cdp.sources.web.path = "s3a://cdp-landing/web/{date}/*.jsonl"
          """.formatted(s3.endpoint()));
      Map<String, String> env = Map.of("TEST_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY,
          "TEST_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
      assertThat(Files.readString(conf)).doesNotContain(S3ProxyServer.SECRET_KEY);

      CdpProcess.Result gen = CdpProcess.run(dir, env, "generate", "--conf", conf.toString());
      assertThat(gen.exit()).as(gen.toString()).isZero();
      Path sample = dir.resolve("sample");
      try (FileSystem fs = FileSystem.newInstance(URI.create("s3a://cdp-landing/"),
          s3.hadoopConf())) {
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(
            sample.resolve("landing/web").toUri()), new org.apache.hadoop.fs.Path(
            "s3a://cdp-landing/web"));
      }

      CdpProcess.Result ingest = CdpProcess.run(dir, env, "run", "ingest", "--conf",
          conf.toString());
      assertThat(ingest.exit()).as(ingest.toString()).isZero();
      assertThat(ingest.err()).contains("lakehouse at s3a://cdp-lake/lakehouse");

      CdpProcess.Result all = CdpProcess.run(dir, env, "sql",
          SampleLanding.ALL_RECORDS_BY_SOURCE, "--format", "csv", "--conf", conf.toString());
      assertThat(all.exit()).as(all.toString()).isZero();
      assertThat(SampleLanding.parseCounts(all.out()))
          .isEqualTo(SampleLanding.recordsPerSource(sample));
      CdpProcess.Result files = CdpProcess.run(dir, env, "sql", "SELECT count(*) AS n FROM"
          + " cdp_ops.ingested_files WHERE source_file LIKE 's3a://cdp-landing/web/%'",
          "--format", "csv", "--conf", conf.toString());
      assertThat(files.out().lines().skip(1).findFirst().map(Long::parseLong).orElse(0L))
          .isPositive();

      try (Stream<Path> log = Files.list(s3.bucketFolder("cdp-lake")
          .resolve("lakehouse/bronze/events/_delta_log"))) {
        assertThat(log.map(p -> p.getFileName().toString()))
            .contains("00000000000000000000.json", "00000000000000000001.json");
      }

      CdpProcess.Result again = CdpProcess.run(dir, env, "run", "ingest", "--conf",
          conf.toString());
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(again.out()).contains(": 0 record(s) from 0 source(s)");
    }
  }
}
