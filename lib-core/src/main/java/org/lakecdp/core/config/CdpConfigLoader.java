package org.lakecdp.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SourceSettings.EventTimeSpec;
import org.lakecdp.core.config.SourceSettings.EventTypeSpec;
import org.lakecdp.core.config.SourceSettings.JdbcSettings;
import org.lakecdp.core.config.SourceSettings.SourceFormat;

/**
 * Loads and validates the CDP configuration.
 *
 * <p>Precedence, lowest to highest:
 * <ol>
 *   <li>{@code reference.conf} of lib-core: every default, documented inline;</li>
 *   <li>the configuration file given (conf/application.conf locally, conf/production.conf or
 *       your own on a cluster), which may use {@code ${?ENV_VAR}} to take values from the
 *       environment;</li>
 *   <li>JVM system properties ({@code -Dcdp.x=y});</li>
 *   <li>overrides from the command line ({@code --set cdp.x=y}).</li>
 * </ol>
 * The result is checked once: an unknown key anywhere under {@code cdp} (outside the free-form
 * {@code cdp.spark.conf}), a value of the wrong type or out of range fails with a
 * {@link CdpException} naming the key and the value. Relative local paths are made absolute
 * against the working directory.
 */
public final class CdpConfigLoader {
  private static final Set<String> SOURCE_KEYS = Set.of("format", "path", "options",
      "event-time", "event-type", "record-key", "mapping", "jdbc", "enabled", "description");
  private static final Set<String> EVENT_TIME_KEYS = Set.of("field", "formats", "timezone");
  private static final Set<String> EVENT_TYPE_KEYS = Set.of("field", "value", "map");
  private static final Set<String> JDBC_KEYS = Set.of("url", "table", "query", "user",
      "password", "watermark-column", "fetch-size");

  private CdpConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file the configuration file, or null for reference defaults only
   * @param overrides command-line overrides, full keys ({@code cdp.sample.persons}) to values
   */
  public static CdpSettings load(Path file, Map<String, String> overrides) {
    return settings(resolve(file, overrides));
  }

  /** The merged and resolved Typesafe tree, before validation into records. */
  public static Config resolve(Path file, Map<String, String> overrides) {
    try {
      Config cli = ConfigFactory.parseMap(overrides, "command line");
      Config fromFile = ConfigFactory.empty();
      if (file != null) {
        if (!Files.isRegularFile(file)) {
          throw new CdpException("configuration file not found: " + file.toAbsolutePath());
        }
        fromFile = ConfigFactory.parseFile(file.toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false));
      }
      Config reference = ConfigFactory.parseResources(CdpConfigLoader.class.getClassLoader(),
          "reference.conf");
      return cli.withFallback(ConfigFactory.systemProperties())
          .withFallback(fromFile)
          .withFallback(reference)
          .resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException e) {
      throw new CdpException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /** Validates a resolved tree into records. */
  public static CdpSettings settings(Config root) {
    Config reference = ConfigFactory.parseResources(CdpConfigLoader.class.getClassLoader(),
        "reference.conf").resolve();
    rejectUnknownKeys(root, reference);
    Conf cdp = new Conf(root.getConfig("cdp"), "cdp");

    Conf lake = cdp.child("lakehouse");
    LakehouseSettings lakehouse = new LakehouseSettings(
        absolute(lake.string("root")),
        lake.enumValue("metastore", LakehouseSettings.Metastore.class),
        lake.string("metastore-uris"),
        lake.string("databases.bronze"), lake.string("databases.silver"),
        lake.string("databases.gold"), lake.string("databases.ops"));

    Conf sp = cdp.child("spark");
    SparkSettings spark = new SparkSettings(sp.string("master"), sp.string("app-name"),
        sp.integer("shuffle-partitions"), sp.string("log-level"), sp.stringMap("conf"));

    Conf s3c = cdp.child("s3");
    S3Settings s3 = new S3Settings(s3c.string("endpoint"), s3c.string("region"),
        s3c.bool("path-style-access", false), s3c.string("access-key"),
        s3c.string("secret-key"));

    Conf in = cdp.child("ingest");
    IngestSettings ingest = new IngestSettings(
        IngestSettings.zone("cdp.ingest.default-timezone", in.string("default-timezone")),
        in.decimal("max-quarantine-fraction"), in.integer("max-future-hours"),
        IngestSettings.date("cdp.ingest.min-event-date", in.string("min-event-date")),
        in.integer("quarantine-in-memory-rows"), in.integer("task-megabytes"));

    Map<String, SourceSettings> sources = new LinkedHashMap<>();
    Conf all = cdp.child("sources");
    for (String name : new TreeSet<>(root.getConfig("cdp.sources").root().keySet())) {
      sources.put(name, source(all, name, ingest));
    }

    IdentitySettings identity = identity(cdp.child("identity"));

    Conf sa = cdp.child("sample");
    SampleSettings sample = new SampleSettings(absolute(sa.string("root")),
        sa.integer("persons"), sa.integer("days"),
        IngestSettings.date("cdp.sample.end-date", sa.string("end-date")), sa.number("seed"));

    ProfileSettings profile = ProfileSettings.parse(cdp.child("profile"), sources.keySet());
    MlSettings ml = ml(cdp.child("ml"));

    SegmentSettings segments = SegmentSettings.parse(cdp, root);
    PrivacySettings privacy = PrivacySettings.parse(cdp.child("privacy"));

    return new CdpSettings(lakehouse, spark, s3, ingest, sources, identity, sample, ml,
        hash(root), profile, segments, privacy);
  }

  private static IdentitySettings identity(Conf id) {
    List<IdentitySettings.Rule> rules = new java.util.ArrayList<>();
    for (Conf r : id.objects("rules")) {
      r.rejectUnknownKeys(Set.of("id", "fields"));
      List<String> fields = r.stringOrList("fields").stream()
          .map(f -> IdentitySettings.field(r.key("fields"), f)).toList();
      for (String f : fields) {
        if (!IdentitySettings.IDENTIFIER_FIELDS.contains(f) && !IdentitySettings.isCustom(f)) {
          throw CdpException.notOneOf(r.key("fields"), f, IdentitySettings.IDENTIFIER_FIELDS);
        }
      }
      rules.add(new IdentitySettings.Rule(r.string("id"), fields));
    }
    Conf g = id.child("guardrails");
    IdentitySettings.Guardrails guardrails = new IdentitySettings.Guardrails(
        g.strings("null-like-values"), g.strings("null-like-patterns"),
        g.strings("anchors").stream().map(f -> IdentitySettings.field(g.key("anchors"), f))
            .toList(),
        g.integer("max-distinct-per-value"), g.integer("max-cluster-size"),
        g.integer("alert-cluster-size"));
    Conf p = id.child("probabilistic");
    List<List<String>> blocking = p.stringLists("blocking").stream()
        .map(rule -> rule.stream().map(f -> IdentitySettings.field(p.key("blocking"), f))
            .toList()).toList();
    List<IdentitySettings.ComparisonSpec> comparisons = new java.util.ArrayList<>();
    for (Conf c : p.objects("comparisons")) {
      c.rejectUnknownKeys(Set.of("field", "kind", "thresholds", "date-tolerance-days",
          "swap-with", "veto-on-disagreement"));
      comparisons.add(new IdentitySettings.ComparisonSpec(
          IdentitySettings.field(c.key("field"), c.string("field")),
          c.string("kind").toLowerCase(java.util.Locale.ROOT),
          c.has("thresholds") ? c.decimals("thresholds") : List.of(),
          c.has("date-tolerance-days") ? c.integer("date-tolerance-days") : 0,
          c.has("swap-with") ? IdentitySettings.field(c.key("swap-with"), c.string("swap-with"))
              : null,
          c.bool("veto-on-disagreement", false)));
    }
    IdentitySettings.Probabilistic probabilistic = new IdentitySettings.Probabilistic(
        p.bool("enabled", true), p.decimal("threshold"), p.integer("min-agreeing-fields"),
        blocking, p.integer("max-block-size"),
        comparisons, p.strings("term-frequency").stream()
            .map(f -> IdentitySettings.field(p.key("term-frequency"), f)).toList(),
        is(p, "u-estimation", "random-pairs", List.of("blocked-pairs", "random-pairs")),
        p.integer("random-pairs"), is(p, "m-estimation", "rule-links", List.of("rule-links", "em")),
        p.integer("max-iterations"));
    String checkpoint = id.string("checkpoint-dir").strip();
    return new IdentitySettings(id.string("default-region"), id.bool("dates-month-first", false),
        rules, guardrails, probabilistic, checkpoint.isEmpty() ? "" : absolute(checkpoint),
        mode(id), id.bool("refit-model", true));
  }

  private static IdentitySettings.Mode mode(Conf id) {
    String mode = id.string("mode").strip().toLowerCase(java.util.Locale.ROOT);
    return switch (mode) {
      case "incremental" -> IdentitySettings.Mode.INCREMENTAL;
      case "full" -> IdentitySettings.Mode.FULL;
      default -> throw CdpException.notOneOf(id.key("mode"), mode,
          List.of("incremental", "full"));
    };
  }

  private static MlSettings ml(Conf ml) {
    Conf t = ml.child("training");
    MlSettings.Training training = new MlSettings.Training(t.integer("cutoffs"),
        t.integer("cutoff-step-days"), t.integer("min-history-days"),
        t.enumValue("history-start", MlSettings.HistoryStart.class),
        t.decimal("tuning-train-ratio"), t.number("seed"), t.integer("retrain-every-days"),
        t.bool("train-if-no-champion", true), t.decimal("min-improvement"),
        t.enumValue("promotion-metric", MlSettings.PromotionMetric.class),
        t.enumValue("calibration", MlSettings.Calibration.class),
        t.number("max-training-rows"), t.bool("promote-when-incomparable", false));
    Conf all = ml.child("models");
    all.rejectUnknownKeys(Set.copyOf(MlSettings.MODEL_NAMES));
    Map<String, MlSettings.ModelSpec> models = new LinkedHashMap<>();
    for (String name : MlSettings.MODEL_NAMES) {
      Conf m = all.child(name);
      m.rejectUnknownKeys(Set.of("enabled", "horizon-days", "category", "algorithm", "grid"));
      MlSettings.Algorithm algorithm = m.enumValue("algorithm", MlSettings.Algorithm.class);
      Conf grids = m.child("grid");
      Conf g = grids.has(algorithm.configName()) ? grids.child(algorithm.configName()) : null;
      Map<String, List<Double>> grid = new LinkedHashMap<>();
      for (String key : new TreeSet<>(algorithm.gridKeys())) {
        if (g != null && g.has(key)) {
          grid.put(key, g.decimalsOrText(key));
        }
      }
      models.put(name, new MlSettings.ModelSpec(name, m.bool("enabled", true),
          m.integer("horizon-days"), m.string("category", "").strip(),
          algorithm, grid));
    }
    List<Integer> windows = new java.util.ArrayList<>();
    for (double w : ml.decimalsOrText("feature-windows-days")) {
      if (w != Math.rint(w)) {
        throw CdpException.badConfig(ml.key("feature-windows-days"), "must be whole days",
            ml.decimals("feature-windows-days"));
      }
      windows.add((int) w);
    }
    return new MlSettings(ml.strings("purchase-event-types"), ml.string("amount-attribute"),
        ml.strings("page-view-event-types"), ml.strings("email-open-event-types"),
        ml.strings("email-click-event-types"), ml.strings("support-event-types"), windows,
        ml.bool("scale-partial-windows", false), ml.bool("calendar-features", false), training,
        models);
  }

  /** Whether {@code key}, which must be one of {@code allowed}, is {@code yes}. */
  private static boolean is(Conf c, String key, String yes, List<String> allowed) {
    String value = c.string(key);
    if (!allowed.contains(value)) {
      throw CdpException.notOneOf(c.key(key), value, allowed);
    }
    return value.equals(yes);
  }

  private static SourceSettings source(Conf all, String name, IngestSettings ingest) {
    String where = "cdp.sources." + name;
    Conf src;
    try {
      src = all.child(name);
    } catch (ConfigException.WrongType e) {
      throw CdpException.badConfig(where, "must be an object", name);
    }
    src.rejectUnknownKeys(SOURCE_KEYS);
    SourceFormat format = src.enumValue("format", SourceFormat.class);
    try {
      if (!src.has("event-time")) {
        throw new CdpException("missing required configuration key " + where + ".event-time");
      }
      Conf et = src.child("event-time");
      et.rejectUnknownKeys(EVENT_TIME_KEYS);
      List<String> formats = et.has("formats") ? et.stringOrList("formats") : List.of("iso");
      EventTimeSpec eventTime = new EventTimeSpec(et.stringOrList("field"), formats,
          et.has("timezone") ? IngestSettings.zone(et.key("timezone"), et.string("timezone"))
              : ingest.defaultTimezone());

      EventTypeSpec eventType = new EventTypeSpec(List.of(), null, Map.of());
      if (src.has("event-type")) {
        Conf ety = src.child("event-type");
        ety.rejectUnknownKeys(EVENT_TYPE_KEYS);
        if (ety.has("field") == ety.has("value")) {
          throw new CdpException(where + ".event-type must set exactly one of field or value");
        }
        eventType = new EventTypeSpec(ety.stringOrList("field"), ety.string("value", null),
            ety.stringMap("map"));
      }

      JdbcSettings jdbc = null;
      if (src.has("jdbc")) {
        Conf j = src.child("jdbc");
        j.rejectUnknownKeys(JDBC_KEYS);
        jdbc = new JdbcSettings(j.string("url"), j.string("table", null),
            j.string("query", null), j.string("user", null), j.string("password", null),
            j.string("watermark-column", null), j.has("fetch-size") ? j.integer("fetch-size")
                : 10_000);
      }
      String path = src.string("path", null);
      return new SourceSettings(name, format, path == null ? null : absolute(path),
          src.stringMap("options"), eventTime, eventType, src.stringOrList("record-key"),
          src.stringListMap("mapping"), jdbc, src.bool("enabled", true));
    } catch (CdpException e) {
      String message = e.getMessage();
      throw message.startsWith("cdp.") || message.startsWith("missing")
          || message.startsWith("unknown") ? e : new CdpException(where + "." + message, e);
    }
  }

  private static void rejectUnknownKeys(Config root, Config reference) {
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      known.add(e.getKey());
    }
    if (!root.hasPath("cdp")) {
      return;
    }
    for (Map.Entry<String, ConfigValue> e : root.getConfig("cdp").entrySet()) {
      String key = "cdp." + e.getKey();
      if (key.startsWith("cdp.sources.") || key.startsWith("cdp.spark.conf.")
          || key.startsWith("cdp.segments.") || key.startsWith("cdp.destinations.")) {
        continue;
      }
      if (!known.contains(key)) {
        throw CdpException.unknownConfigKey(key, Suggest.closest(key, known));
      }
    }
  }

  /** Local relative paths become absolute; URIs (s3a://, file:/, hdfs://) stay as they are. */
  static String absolute(String location) {
    String trimmed = location.strip();
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
      return trimmed.endsWith("/") && trimmed.length() > 1
          ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
    return Path.of(trimmed).toAbsolutePath().normalize().toString();
  }

  private static String hash(Config root) {
    String rendered = root.getConfig("cdp").root()
        .render(ConfigRenderOptions.concise().setJson(true));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(rendered.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
