package org.lakecdp.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.SampleSettings;
import org.lakecdp.core.sample.GenerationReport;
import org.lakecdp.core.sample.SampleDataGenerator;

/** {@code cdp generate}: writes the sample data set. */
final class SampleData {
  private SampleData() {}

  static void generate(CdpMain main, CommandLine cl) {
    if (!cl.positional().isEmpty()) {
      throw new UsageException("generate: unexpected argument '" + cl.positional().get(0) + "'");
    }
    CdpSettings settings = CdpSession.loadSettings(cl.path("conf"), sampleOverrides(cl));
    GenerationReport report = generate(main, settings.sample());
    main.out().println(describe(report));
  }

  /** The sample-size options of demo and generate as configuration overrides. */
  static Map<String, String> sampleOverrides(CommandLine cl) {
    Map<String, String> overrides = new LinkedHashMap<>(cl.overrides());
    putIfGiven(overrides, "cdp.sample.persons", cl.integer("persons"));
    putIfGiven(overrides, "cdp.sample.days", cl.integer("days"));
    putIfGiven(overrides, "cdp.sample.seed", cl.value("seed"));
    putIfGiven(overrides, "cdp.sample.end-date", cl.date("end-date"));
    putIfGiven(overrides, "cdp.sample.root", cl.value("out"));
    return overrides;
  }

  private static void putIfGiven(Map<String, String> overrides, String key, Object value) {
    if (value != null) {
      overrides.put(key, value.toString());
    }
  }

  static GenerationReport generate(CdpMain main, SampleSettings sample) {
    main.progress(String.format(Locale.ROOT, "generating sample data: %,d persons, %d days "
        + "ending %s, seed %d, into %s", sample.persons(), sample.days(), sample.endDate(),
        sample.seed(), sample.root()));
    return SampleDataGenerator.generate(sample, main::progress);
  }

  static boolean present(SampleSettings sample) {
    return Files.isDirectory(Path.of(sample.root(), "landing"));
  }

  static String describe(GenerationReport report) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "sample data: %,d persons, %,d records (%,d duplicates, %,d malformed lines) in %s%n",
        report.persons(), report.totalRecords(), report.duplicateRecords(),
        report.malformedLines(), report.root()));
    report.recordsPerSource().forEach((source, n) ->
        s.append(String.format(Locale.ROOT, "  %-10s %,12d%n", source, n)));
    s.append("  ground truth (never read by the pipeline): ").append(report.root().resolve("truth"));
    return s.toString();
  }
}
