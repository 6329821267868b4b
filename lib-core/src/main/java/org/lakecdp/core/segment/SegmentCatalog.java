package org.lakecdp.core.segment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SegmentSettings;
import org.lakecdp.core.config.SegmentSettings.Destination;
import org.lakecdp.core.config.SegmentSettings.Format;
import org.lakecdp.core.config.SegmentSettings.Segment;
import org.lakecdp.core.lake.ProfileColumns;

/**
 * The checked segment definitions, in evaluation order: every condition validated against the
 * gold profile schema ({@link SegmentExpression}), every reference to another segment and
 * every lookalike seed resolved to an enabled segment, cycles refused, lookalike features and
 * destination columns checked. Spark-free, so the command line runs it before any job.
 */
public final class SegmentCatalog {
  /** Logical date of the run, as a DATE column conditions may read. */
  public static final String RUN_DATE = "run_date";
  /** Suffix of the score rank columns: {@code churn_score_decile}, 1-10, 10 = highest. */
  public static final String DECILE = "_decile";
  /** Export columns computed from the profile. */
  public static final String EMAIL_SHA256 = "email_sha256";
  public static final String PHONE_SHA256 = "phone_sha256";
  public static final String SEGMENT = "segment";

  private final List<Segment> ordered;
  private final Map<String, Set<String>> dependencies;

  private SegmentCatalog(List<Segment> ordered, Map<String, Set<String>> dependencies) {
    this.ordered = List.copyOf(ordered);
    this.dependencies = dependencies;
  }

  /** The score columns ranked into deciles for conditions. */
  public static List<String> rankedScores() {
    return ProfileColumns.MODELS.stream()
        .map(m -> ProfileColumns.scoreColumn(m, ProfileColumns.SCORE)).toList();
  }

  /** Every column a condition may read: the profile's, run_date and the score deciles. */
  public static Set<String> conditionColumns() {
    Set<String> columns = new TreeSet<>(List.of(ProfileColumns.PROFILE.fieldNames()));
    columns.add(RUN_DATE);
    rankedScores().forEach(s -> columns.add(s + DECILE));
    return columns;
  }

  /** Validates the enabled segments and destinations of {@code settings}. */
  public static SegmentCatalog validate(SegmentSettings settings) {
    Map<String, Segment> enabled = new LinkedHashMap<>();
    settings.enabledSegments().forEach(s -> enabled.put(s.name(), s));
    Set<String> columns = conditionColumns();
    Map<String, Set<String>> deps = new LinkedHashMap<>();
    for (Segment s : enabled.values()) {
      Set<String> d = new LinkedHashSet<>();
      if (!s.where().isEmpty()) {
        d.addAll(SegmentExpression.validate(s.name(), s.where(), columns, enabled.keySet())
            .segments());
      }
      if (s.isLookalike()) {
        String seed = s.lookalike().seed();
        if (!enabled.containsKey(seed)) {
          throw new CdpException("segment '" + s.name() + "': lookalike seed '" + seed
              + "' is not an enabled segment; segments are " + new TreeSet<>(enabled.keySet()));
        }
        d.add(seed);
        for (String f : features(settings, s)) {
          StructField field = field(f);
          if (field == null || !(field.dataType() instanceof NumericType)) {
            throw new CdpException("segment '" + s.name() + "': lookalike feature '" + f
                + "' is not a numeric profile column; numeric columns are "
                + numericColumns());
          }
        }
      }
      deps.put(s.name(), d);
    }
    List<Segment> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (String name : enabled.keySet()) {
      visit(name, enabled, deps, done, new ArrayList<>(), ordered);
    }
    for (Destination d : settings.enabledDestinations()) {
      checkDestination(d, enabled.keySet());
    }
    return new SegmentCatalog(ordered, deps);
  }

  private static void visit(String name, Map<String, Segment> enabled,
      Map<String, Set<String>> deps, Set<String> done, List<String> path, List<Segment> out) {
    if (done.contains(name)) {
      return;
    }
    if (path.contains(name)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      throw new CdpException("segment '" + name + "': segments refer to each other in a cycle: "
          + String.join(" -> ", cycle));
    }
    path.add(name);
    for (String d : deps.get(name)) {
      visit(d, enabled, deps, done, path, out);
    }
    path.remove(path.size() - 1);
    done.add(name);
    out.add(enabled.get(name));
  }

  private static void checkDestination(Destination d, Set<String> enabled) {
    for (String s : d.segments()) {
      if (!enabled.contains(s)) {
        throw new CdpException("destination '" + d.name() + "': segment '" + s
            + "' is disabled; enable it or remove it from cdp.destinations." + d.name()
            + ".segments");
      }
    }
    Set<String> allowed = exportColumns();
    for (String c : d.columns()) {
      if (!allowed.contains(c)) {
        throw new CdpException("destination '" + d.name() + "': unknown column '" + c + "'"
            + hintOf(c, allowed) + "; columns are " + allowed);
      }
      StructField f = field(c);
      if (d.format() == Format.CSV && f != null && (f.dataType() instanceof ArrayType
          || f.dataType() instanceof MapType || f.dataType() instanceof StructType)) {
        throw new CdpException("destination '" + d.name() + "': column '" + c + "' is a "
            + f.dataType().simpleString() + ", which CSV cannot hold; use format jsonl or"
            + " parquet");
      }
    }
  }

  private static String hintOf(String name, Set<String> candidates) {
    String closest = org.lakecdp.core.config.Suggest.closest(name, candidates);
    return closest == null ? "" : " (did you mean '" + closest + "'?)";
  }

  /** Columns an export may list. */
  public static Set<String> exportColumns() {
    Set<String> columns = new TreeSet<>(List.of(ProfileColumns.PROFILE.fieldNames()));
    columns.addAll(List.of(EMAIL_SHA256, PHONE_SHA256, SEGMENT, RUN_DATE));
    return columns;
  }

  /** The lookalike features of {@code s}: its own list, else the default. */
  public static List<String> features(SegmentSettings settings, Segment s) {
    return s.lookalike().features().isEmpty() ? settings.lookalikeFeatures()
        : s.lookalike().features();
  }

  private static StructField field(String name) {
    for (StructField f : ProfileColumns.PROFILE.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static List<String> numericColumns() {
    List<String> out = new ArrayList<>();
    for (StructField f : ProfileColumns.PROFILE.fields()) {
      DataType t = f.dataType();
      if (t instanceof NumericType) {
        out.add(f.name());
      }
    }
    return out;
  }

  /** Enabled segments, each after the segments it reads. */
  public List<Segment> ordered() {
    return ordered;
  }

  /** Segments that {@code segment} reads (conditions and lookalike seed). */
  public Set<String> dependencies(String segment) {
    return dependencies.getOrDefault(segment, Set.of());
  }

  /** Short SHA-256 of everything that defines a segment's membership. */
  public static String definitionHash(SegmentSettings settings, Segment s) {
    String text = s.name() + "|" + s.where() + "|" + s.holdoutPercent() + "|"
        + (s.isLookalike() ? s.lookalike().seed() + "|" + s.lookalike().size() + "|"
            + features(settings, s) : "");
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
