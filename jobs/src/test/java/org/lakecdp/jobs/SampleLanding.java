package org.lakecdp.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Facts about a generated sample landing folder, computed from the files themselves. */
final class SampleLanding {
  private SampleLanding() {}

  /** The repository root (tests run in the jobs module folder). */
  static Path repo() {
    return Path.of("..").toAbsolutePath().normalize();
  }

  /**
   * A configuration for a small sample lakehouse: the bundled sample sources, sample data and
   * lakehouse under {@code dir}, two local cores, plus {@code extra} HOCON.
   */
  static Path conf(Path dir, String extra) throws IOException {
    return conf(dir, 45, extra);
  }

  /** As {@link #conf(Path, String)}, with {@code days} days of sample data. */
  static Path conf(Path dir, int days, String extra) throws IOException {
    Path conf = dir.resolve("test.conf");
    Files.writeString(conf, """
        include file("%s")
        cdp.sample { root = "%s", persons = 150, days = %d }
        cdp.lakehouse.root = "%s"
        cdp.spark { master = "local[2]", shuffle-partitions = 2,
                    conf { "spark.ui.enabled" = "false",
                           "spark.databricks.delta.snapshotPartitions" = "2" } }
        %s
        """.formatted(repo().resolve("conf/sources/sample.conf"), dir.resolve("sample"), days,
        dir.resolve("lake"), extra));
    return conf;
  }

  /** Records per source in the landing files: non-blank JSON lines, CSV rows without header. */
  static Map<String, Long> recordsPerSource(Path sampleRoot) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sampleRoot.resolve("landing"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String source = sampleRoot.resolve("landing").relativize(f).getName(0).toString();
        List<String> lines = Files.readAllLines(f);
        long n = lines.stream().filter(l -> !l.isBlank()).count()
            - (f.toString().endsWith(".csv") ? 1 : 0);
        counts.merge(source, n, Long::sum);
      }
    }
    return counts;
  }

  /** Malformed lines the generator says it wrote, per source. */
  static Map<String, Long> malformedPerSource(Path sampleRoot) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    List<String> lines = Files.readAllLines(sampleRoot.resolve("truth/malformed.csv"));
    for (String line : lines.subList(1, lines.size())) {
      counts.merge(line.substring(0, line.indexOf(',')), 1L, Long::sum);
    }
    return counts;
  }

  /** Parses "source,n" CSV output of cdp sql (header first) into a map. */
  static Map<String, Long> parseCounts(String csv) {
    Map<String, Long> counts = new TreeMap<>();
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(",");
      counts.put(parts[0], Long.parseLong(parts[1]));
    }
    return counts;
  }

  /** Records per source in bronze plus quarantine, as cdp sql CSV. */
  static final String ALL_RECORDS_BY_SOURCE = "SELECT source, sum(n) AS n FROM ("
      + "SELECT source, count(*) AS n FROM cdp_bronze.events GROUP BY source UNION ALL "
      + "SELECT source, count(*) AS n FROM cdp_bronze.quarantine GROUP BY source) "
      + "GROUP BY source ORDER BY source";

  /** Quarantined records per source, as cdp sql CSV. */
  static final String QUARANTINE_BY_SOURCE = "SELECT source, count(*) AS n FROM "
      + "cdp_bronze.quarantine GROUP BY source ORDER BY source";
}
