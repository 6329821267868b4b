package org.lakecdp.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.lakecdp.core.CdpException;

/**
 * Segments, activation destinations and the rules of exports ({@code cdp.segments},
 * {@code cdp.destinations}, {@code cdp.activation}). Only the shape of each entry is checked
 * here; the segment conditions are checked against the gold schema by the segment package
 * before any run.
 *
 * @param segments segment definitions by name, in name order
 * @param destinations export destinations by name, in name order
 * @param maxSizeChangePercent default safety gate: an export whose segment size changed by
 *     more than this percentage since the segment's last export to the destination fails
 * @param gateMinSize the gate applies only when the last export's segment size was at least
 *     this (tiny segments swing by large percentages)
 * @param grantedStatuses consent statuses (lower case) that count as consent for a purpose
 * @param suppressionPurposes consent purposes that act as a global opt-out
 * @param suppressionStatuses statuses of those purposes that suppress a customer everywhere
 * @param suppressionList optional text file (local or s3a://) of customer ids, emails or
 *     E.164 phones, one a line, never exported; empty for none
 * @param lookalikeFeatures default numeric profile columns of the lookalike similarity
 */
public record SegmentSettings(Map<String, Segment> segments, Map<String, Destination> destinations,
    double maxSizeChangePercent, long gateMinSize, List<String> grantedStatuses,
    List<String> suppressionPurposes, List<String> suppressionStatuses, String suppressionList,
    List<String> lookalikeFeatures) {

  /** Keys a segment may set. */
  static final Set<String> SEGMENT_KEYS = Set.of("description", "owner", "enabled", "where",
      "holdout-percent", "lookalike");
  /** Keys a lookalike block may set. */
  static final Set<String> LOOKALIKE_KEYS = Set.of("seed", "size", "features");
  /** Keys a destination may set. */
  static final Set<String> DESTINATION_KEYS = Set.of("description", "purpose", "segments",
      "format", "columns", "mode", "location", "enabled", "max-size-change-percent");

  private static final String NAME = "[a-z][a-z0-9_]{0,62}";

  public SegmentSettings {
    segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
    destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
    percent("cdp.activation.max-size-change-percent", maxSizeChangePercent, 1_000_000);
    if (gateMinSize < 0) {
      throw CdpException.badConfig("cdp.activation.gate-min-size", "must be >= 0", gateMinSize);
    }
    grantedStatuses = lower(grantedStatuses);
    if (grantedStatuses.isEmpty()) {
      throw CdpException.badConfig("cdp.activation.consent.granted-statuses",
          "must name at least one status", grantedStatuses);
    }
    suppressionPurposes = lower(suppressionPurposes);
    suppressionStatuses = lower(suppressionStatuses);
    suppressionList = suppressionList.strip();
    lookalikeFeatures = List.copyOf(lookalikeFeatures);
    for (Destination d : destinations.values()) {
      for (String s : d.segments()) {
        if (!segments.containsKey(s)) {
          throw CdpException.notOneOf("cdp.destinations." + d.name() + ".segments", s,
              new TreeSet<>(segments.keySet()));
        }
      }
    }
  }

  /** The enabled segments, in name order. */
  public List<Segment> enabledSegments() {
    return segments.values().stream().filter(Segment::enabled).toList();
  }

  /** The enabled destinations, in name order. */
  public List<Destination> enabledDestinations() {
    return destinations.values().stream().filter(Destination::enabled).toList();
  }

  /**
   * One audience definition.
   *
   * @param name lower-case name: letters, digits, underscore
   * @param description what the audience is, for marketers
   * @param owner who answers for it
   * @param enabled evaluated by segment runs
   * @param where restricted SQL condition over the profile (see README, Segments); for a
   *     lookalike, an optional filter on the candidates; empty for none
   * @param holdoutPercent share of members (0-100) held out as a control group, by a stable
   *     hash of customer id; never exported
   * @param lookalike null, or the lookalike definition
   */
  public record Segment(String name, String description, String owner, boolean enabled,
      String where, double holdoutPercent, Lookalike lookalike) {
    public Segment {
      String key = "cdp.segments." + name;
      if (!name.matches(NAME)) {
        throw CdpException.badConfig(key, "must be named with lower-case letters, digits and"
            + " underscores, starting with a letter", name);
      }
      where = where == null ? "" : where.strip();
      percent(key + ".holdout-percent", holdoutPercent, 100);
      if (where.isEmpty() && lookalike == null) {
        throw new CdpException("segment '" + name + "': set " + key + ".where or "
            + key + ".lookalike");
      }
      if (lookalike != null && lookalike.seed().equals(name)) {
        throw CdpException.badConfig(key + ".lookalike.seed", "must name another segment",
            lookalike.seed());
      }
    }

    /** True for a lookalike segment. */
    public boolean isLookalike() {
      return lookalike != null;
    }
  }

  /**
   * Customers most similar to a seed segment's members, not in it.
   *
   * @param seed the seed segment
   * @param size how many customers the lookalike holds (at most; ties at the boundary are in)
   * @param features numeric profile columns compared; empty for
   *     {@code cdp.activation.lookalike.features}
   */
  public record Lookalike(String seed, long size, List<String> features) {
    public Lookalike {
      features = List.copyOf(features);
    }
  }

  /** File formats of exports. */
  public enum Format {
    CSV("csv"), JSONL("jsonl"), PARQUET("parquet");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** File name extension. */
    public String extension() {
      return extension;
    }
  }

  /** What an export file holds. */
  public enum Mode {
    /** Every exportable member, each run. */
    FULL,
    /** Customers who entered or exited since the previous segment run, with a change column. */
    DELTA
  }

  /**
   * Where segments are sent.
   *
   * @param name lower-case name
   * @param description what the destination is
   * @param purpose consent purpose every exported customer must have granted
   * @param segments the segments it receives
   * @param format file format
   * @param columns columns of the files: profile columns and {@code email_sha256},
   *     {@code phone_sha256}, {@code segment}, {@code run_date}
   * @param mode full or delta files
   * @param location folder (local or s3a://) under which the files are published
   * @param enabled exported by export runs
   * @param maxSizeChangePercent this destination's safety gate; null for the default
   */
  public record Destination(String name, String description, String purpose,
      List<String> segments, Format format, List<String> columns, Mode mode, String location,
      boolean enabled, Double maxSizeChangePercent) {
    public Destination {
      String key = "cdp.destinations." + name;
      if (!name.matches(NAME)) {
        throw CdpException.badConfig(key, "must be named with lower-case letters, digits and"
            + " underscores, starting with a letter", name);
      }
      purpose = purpose.strip().toLowerCase(Locale.ROOT);
      if (purpose.isEmpty()) {
        throw CdpException.badConfig(key + ".purpose", "must name a consent purpose", purpose);
      }
      if (segments.isEmpty()) {
        throw CdpException.badConfig(key + ".segments", "must list at least one segment",
            segments);
      }
      if (columns.isEmpty()) {
        throw CdpException.badConfig(key + ".columns", "must list at least one column",
            columns);
      }
      if (Set.copyOf(columns).size() != columns.size()) {
        throw CdpException.badConfig(key + ".columns", "names a column twice", columns);
      }
      if (location.isBlank()) {
        throw CdpException.badConfig(key + ".location", "must be a folder", location);
      }
      if (maxSizeChangePercent != null) {
        percent(key + ".max-size-change-percent", maxSizeChangePercent, 1_000_000);
      }
      segments = List.copyOf(segments);
      columns = List.copyOf(columns);
    }
  }

  private static void percent(String key, double value, double max) {
    if (!(value >= 0 && value <= max)) {
      throw CdpException.badConfig(key, "must be in [0," + (long) max + "]", value);
    }
  }

  private static List<String> lower(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(v.strip().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  /** Parses the three blocks; locations are made absolute. */
  static SegmentSettings parse(Conf cdp, com.typesafe.config.Config root) {
    Map<String, Segment> segments = new LinkedHashMap<>();
    Conf all = cdp.child("segments");
    for (String name : new TreeSet<>(root.getConfig("cdp.segments").root().keySet())) {
      Conf s = object(all, name, "cdp.segments.");
      s.rejectUnknownKeys(SEGMENT_KEYS);
      Lookalike lookalike = null;
      if (s.has("lookalike")) {
        Conf l = s.child("lookalike");
        l.rejectUnknownKeys(LOOKALIKE_KEYS);
        long size = l.number("size");
        if (size < 1) {
          throw CdpException.badConfig(l.key("size"), "must be >= 1", size);
        }
        lookalike = new Lookalike(l.string("seed"), size,
            l.has("features") ? l.strings("features") : List.of());
      }
      segments.put(name, new Segment(name, s.string("description", ""),
          s.string("owner", ""), s.bool("enabled", true), s.string("where", ""),
          s.has("holdout-percent") ? s.decimal("holdout-percent") : 0, lookalike));
    }
    Map<String, Destination> destinations = new LinkedHashMap<>();
    Conf dests = cdp.child("destinations");
    for (String name : new TreeSet<>(root.getConfig("cdp.destinations").root().keySet())) {
      Conf d = object(dests, name, "cdp.destinations.");
      d.rejectUnknownKeys(DESTINATION_KEYS);
      destinations.put(name, new Destination(name, d.string("description", ""),
          d.string("purpose"), d.stringOrList("segments"),
          d.has("format") ? d.enumValue("format", Format.class) : Format.CSV,
          d.strings("columns"),
          d.has("mode") ? d.enumValue("mode", Mode.class) : Mode.FULL,
          CdpConfigLoader.absolute(d.string("location")), d.bool("enabled", true),
          d.has("max-size-change-percent") ? d.decimal("max-size-change-percent") : null));
    }
    Conf a = cdp.child("activation");
    Conf sup = a.child("suppression");
    String list = sup.string("list").strip();
    return new SegmentSettings(segments, destinations, a.decimal("max-size-change-percent"),
        a.number("gate-min-size"), a.strings("consent.granted-statuses"),
        sup.strings("purposes"), sup.strings("statuses"),
        list.isEmpty() ? "" : CdpConfigLoader.absolute(list), a.strings("lookalike.features"));
  }

  private static Conf object(Conf parent, String name, String prefix) {
    try {
      return parent.child(name);
    } catch (com.typesafe.config.ConfigException.WrongType e) {
      throw CdpException.badConfig(prefix + name, "must be an object", name);
    }
  }
}
