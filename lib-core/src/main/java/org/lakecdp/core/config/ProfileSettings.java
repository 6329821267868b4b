package org.lakecdp.core.config;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.lakecdp.core.CdpException;

/**
 * Rules of the gold 360 profile ({@code cdp.profile}).
 *
 * @param survivorship how each golden-record attribute picks its value, by attribute name, in
 *     the order of {@link #ATTRIBUTES}
 * @param excludedOrderStatuses order statuses (lower case) that do not count as orders nor
 *     revenue, e.g. cancelled
 * @param offlineChannels purchase channels (lower case) counted as store (offline) purchases;
 *     a purchase with a store id is offline too
 * @param rfmWindowDays days before the logical date whose purchases make the RFM frequency
 *     and monetary values
 * @param engagementWindowDays days before the logical date whose events the engagement counts
 *     cover
 * @param preferencesWindowDays days before the logical date whose events the preferences
 *     (categories, products, store, time of day) are read from
 * @param sessionGapMinutes inactivity that ends a web or app session without a session id
 * @param topN how many categories and products the profile lists
 * @param timezone zone of the preferred time of day and day of week
 * @param mode {@link Mode#INCREMENTAL}: recompute only the customers touched since the last
 *     run; {@link Mode#FULL}: recompute every customer
 */
public record ProfileSettings(Map<String, Survivorship> survivorship,
    List<String> excludedOrderStatuses, List<String> offlineChannels, int rfmWindowDays,
    int engagementWindowDays, int preferencesWindowDays, int sessionGapMinutes, int topN,
    ZoneId timezone, Mode mode) {

  /** How a run builds the profiles ({@code cdp.profile.mode}). */
  public enum Mode { INCREMENTAL, FULL }

  /** Golden-record attributes, as named in {@code cdp_silver.identity_records}. */
  public static final List<String> ATTRIBUTES = List.of("first_name", "last_name", "email",
      "phone", "date_of_birth", "gender", "street", "street_number", "address_line2", "city",
      "postcode", "state", "country");

  /** How one attribute's value survives among the customer's records. */
  public enum Rule {
    /** The value of the record whose source comes first in the list; then the most recent. */
    SOURCE_PRIORITY,
    /** The value of the most recent record; then source priority. */
    MOST_RECENT,
    /** The value carried by most records; then the most recent. */
    MOST_FREQUENT,
    /** The longest (most complete) value; then the most frequent, then the most recent. */
    LONGEST;

    /** Name as written in configuration, e.g. {@code source-priority}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The survivorship of one attribute.
   *
   * @param rule how the value is chosen
   * @param sources source priority, highest first; unlisted sources come after, by name. Used
   *     by {@code source-priority} and as a tie-break by {@code most-recent}
   */
  public record Survivorship(Rule rule, List<String> sources) {
    public Survivorship {
      sources = List.copyOf(sources);
    }
  }

  public ProfileSettings {
    survivorship = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(survivorship));
    if (!survivorship.keySet().equals(Set.copyOf(ATTRIBUTES))) {
      throw CdpException.badConfig("cdp.profile.survivorship", "must name exactly the"
          + " attributes " + ATTRIBUTES, survivorship.keySet());
    }
    excludedOrderStatuses = lower(excludedOrderStatuses);
    offlineChannels = lower(offlineChannels);
    positive("cdp.profile.transactions.rfm-window-days", rfmWindowDays);
    positive("cdp.profile.engagement.window-days", engagementWindowDays);
    positive("cdp.profile.preferences.window-days", preferencesWindowDays);
    positive("cdp.profile.engagement.session-gap-minutes", sessionGapMinutes);
    if (topN < 1 || topN > 50) {
      throw CdpException.badConfig("cdp.profile.preferences.top-n", "must be in [1,50]", topN);
    }
  }

  /** Parses {@code cdp.profile}; source names must be among {@code declaredSources}. */
  static ProfileSettings parse(Conf p, Collection<String> declaredSources) {
    Conf s = p.child("survivorship");
    List<String> defaultPriority = s.strings("source-priority");
    checkSources(s.key("source-priority"), defaultPriority, declaredSources);
    Map<String, Survivorship> rules = new LinkedHashMap<>();
    for (String attribute : ATTRIBUTES) {
      Conf a = s.child(attribute);
      Rule rule = a.enumValue("rule", Rule.class);
      List<String> sources = a.strings("sources");
      checkSources(a.key("sources"), sources, declaredSources);
      if (rule == Rule.SOURCE_PRIORITY && sources.isEmpty() && defaultPriority.isEmpty()) {
        throw CdpException.badConfig(a.key("sources"), "must list sources for rule"
            + " source-priority (or set cdp.profile.survivorship.source-priority)", sources);
      }
      rules.put(attribute, new Survivorship(rule, sources.isEmpty() ? defaultPriority
          : sources));
    }
    Conf t = p.child("transactions");
    Conf e = p.child("engagement");
    Conf pr = p.child("preferences");
    return new ProfileSettings(rules, t.strings("excluded-order-statuses"),
        t.strings("offline-channels"), t.integer("rfm-window-days"), e.integer("window-days"),
        pr.integer("window-days"), e.integer("session-gap-minutes"), pr.integer("top-n"),
        IngestSettings.zone(pr.key("timezone"), pr.string("timezone")),
        p.enumValue("mode", Mode.class));
  }

  /**
   * A fingerprint of every setting that changes what a profile holds (not the mode): a run
   * whose fingerprint differs from the last run's rebuilds every profile.
   */
  public String fingerprint() {
    return Fingerprint.of(new ProfileSettings(survivorship, excludedOrderStatuses,
        offlineChannels, rfmWindowDays, engagementWindowDays, preferencesWindowDays,
        sessionGapMinutes, topN, timezone, Mode.FULL).toString());
  }

  private static void checkSources(String key, List<String> sources,
      Collection<String> declared) {
    Set<String> seen = new java.util.HashSet<>();
    for (String source : sources) {
      if (!declared.contains(source)) {
        throw CdpException.notOneOf(key, source, declared);
      }
      if (!seen.add(source)) {
        throw CdpException.badConfig(key, "names a source twice", source);
      }
    }
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw CdpException.badConfig(key, "must be >= 1", value);
    }
  }

  private static List<String> lower(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(v.strip().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }
}
