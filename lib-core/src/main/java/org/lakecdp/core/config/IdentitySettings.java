package org.lakecdp.core.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.lakecdp.core.CdpException;

/**
 * Rules of the silver identity stage ({@code cdp.identity}).
 *
 * @param defaultRegion ISO 3166 alpha-2 region of phone numbers written without a country code
 * @param datesMonthFirst read ambiguous slash dates (03/04/1990) month first (US) when true
 * @param rules deterministic rules in priority order
 * @param guardrails what keeps bad identifiers from bridging people
 * @param probabilistic the Fellegi-Sunter model and its blocking
 * @param checkpointDir folder for Spark checkpoints of the clustering; empty means
 *     {@code <lakehouse root>/_checkpoints}
 * @param mode {@link Mode#INCREMENTAL}: re-resolve only the customers new records touch;
 *     {@link Mode#FULL}: re-resolve every record
 * @param refitModel whether a full rebuild estimates the match model afresh (else it reuses
 *     the stored model when there is one)
 */
public record IdentitySettings(String defaultRegion, boolean datesMonthFirst,
    List<Rule> rules, Guardrails guardrails, Probabilistic probabilistic,
    String checkpointDir, Mode mode, boolean refitModel) {

  /** How a run resolves ({@code cdp.identity.mode}). */
  public enum Mode { INCREMENTAL, FULL }

  /**
   * Fields a rule, blocking key or comparison may name: the standardised identity columns of
   * {@code cdp_silver.identity_records}, derived keys, and any custom {@code x_} attribute.
   */
  public static final List<String> FIELDS = List.of("customer_id", "email", "phone",
      "loyalty_id", "device_id", "cookie_id", "first_name", "last_name", "date_of_birth",
      "gender", "street", "street_number", "address_line2", "city", "postcode", "state",
      "country", "first_name_metaphone", "last_name_metaphone", "email_local", "birth_year");

  /** Identifier fields a deterministic rule may use. */
  public static final List<String> IDENTIFIER_FIELDS = List.of("customer_id", "email",
      "phone", "loyalty_id", "device_id", "cookie_id");

  public IdentitySettings {
    rules = List.copyOf(rules);
    if (!defaultRegion.matches("[A-Z]{2}")) {
      throw CdpException.badConfig("cdp.identity.default-region",
          "must be an upper-case ISO 3166 alpha-2 code such as GB or US", defaultRegion);
    }
    Set<String> ids = new HashSet<>();
    for (Rule rule : rules) {
      if (!ids.add(rule.id())) {
        throw CdpException.badConfig("cdp.identity.rules", "rule ids must be unique",
            rule.id());
      }
    }
  }

  /**
   * A fingerprint of every setting that changes what a resolution produces (not the mode,
   * the refit switch nor the checkpoint folder): stored with each run, so an incremental run
   * knows when the previous state was resolved under other rules and a full rebuild is due.
   */
  public String fingerprint() {
    String text = new IdentitySettings(defaultRegion, datesMonthFirst, rules, guardrails,
        probabilistic, "", Mode.FULL, true).toString();
    return Fingerprint.of(text);
  }

  /** True when {@code field} names a custom attribute rather than a standard column. */
  public static boolean isCustom(String field) {
    return field.startsWith(CanonicalField.CUSTOM_PREFIX);
  }

  static String field(String key, String value) {
    String f = value.strip().toLowerCase(Locale.ROOT);
    if (!FIELDS.contains(f) && !(isCustom(f) && f.length() > 2)) {
      throw CdpException.notOneOf(key, value, FIELDS);
    }
    return f;
  }

  /**
   * A deterministic rule: records whose values of every field are equal (and usable) are the
   * same person.
   *
   * @param id the rule's name in evidence rows, e.g. {@code same_email}
   * @param fields identifier fields that must all be equal
   */
  public record Rule(String id, List<String> fields) {
    public Rule {
      fields = List.copyOf(fields);
      if (!id.matches("[a-z][a-z0-9_]*")) {
        throw CdpException.badConfig("cdp.identity.rules.id",
            "must be lower case letters, digits and underscores", id);
      }
      if (fields.isEmpty()) {
        throw CdpException.badConfig("cdp.identity.rules." + id + ".fields",
            "must name at least one field", fields);
      }
    }
  }

  /**
   * Guardrails against over-merging.
   *
   * @param nullLikeValues standardised identifier values that never link (test@test.com)
   * @param nullLikePatterns regular expressions of such values (matched on the whole value)
   * @param anchors fields counted to detect an over-shared value
   * @param maxDistinctPerValue an identifier value seen with more distinct values than this
   *     of any other anchor field is over-shared and does not link
   * @param maxClusterSize a customer with more records' nodes than this keeps only its
   *     deterministic links; an alert row is written
   * @param alertClusterSize a customer with more nodes than this gets an alert row
   */
  public record Guardrails(List<String> nullLikeValues, List<String> nullLikePatterns,
      List<String> anchors, int maxDistinctPerValue, int maxClusterSize,
      int alertClusterSize) {
    public Guardrails {
      nullLikeValues = nullLikeValues.stream().map(v -> v.strip().toLowerCase(Locale.ROOT))
          .toList();
      nullLikePatterns = List.copyOf(nullLikePatterns);
      anchors = List.copyOf(anchors);
      for (String p : nullLikePatterns) {
        try {
          Pattern.compile(p);
        } catch (PatternSyntaxException e) {
          throw CdpException.badConfig("cdp.identity.guardrails.null-like-patterns",
              "must be regular expressions (" + e.getDescription() + ")", p);
        }
      }
      if (maxDistinctPerValue < 1) {
        throw CdpException.badConfig("cdp.identity.guardrails.max-distinct-per-value",
            "must be >= 1", maxDistinctPerValue);
      }
      if (maxClusterSize < 2) {
        throw CdpException.badConfig("cdp.identity.guardrails.max-cluster-size",
            "must be >= 2", maxClusterSize);
      }
      if (alertClusterSize < 2) {
        throw CdpException.badConfig("cdp.identity.guardrails.alert-cluster-size",
            "must be >= 2", alertClusterSize);
      }
    }
  }

  /**
   * The probabilistic (Fellegi-Sunter) matcher.
   *
   * @param enabled false links by the deterministic rules only
   * @param threshold match probability at or above which a scored pair links, in (0,1)
   * @param minAgreeingFields a scored pair links only when at least this many compared fields
   *     agree at some level: two names alone never make one person
   * @param blocking blocking rules: each is a list of fields that must all be equal for two
   *     records to be compared
   * @param maxBlockSize blocks with more records than this are skipped (and counted)
   * @param comparisons the compared fields and how
   * @param termFrequency fields whose exact agreement is weighted by how rare the value is
   * @param uFromRandomPairs estimate u from random record pairs and hold it fixed (the
   *     population view); false lets EM estimate u among the blocked pairs, which also learns
   *     that a shared address or surname is common between different persons in one block
   * @param randomPairs random record pairs drawn to estimate u, when {@code uFromRandomPairs}
   * @param mFromRuleLinks estimate m from the pairs the deterministic rules linked (each
   *     comparison from the links of rules on other fields) and hold it fixed while EM
   *     estimates u and the prior; false lets EM estimate m too
   * @param maxIterations EM iterations at most
   */
  public record Probabilistic(boolean enabled, double threshold, int minAgreeingFields,
      List<List<String>> blocking,
      int maxBlockSize, List<ComparisonSpec> comparisons, List<String> termFrequency,
      boolean uFromRandomPairs, int randomPairs, boolean mFromRuleLinks, int maxIterations) {
    public Probabilistic {
      blocking = blocking.stream().map(List::copyOf).toList();
      comparisons = List.copyOf(comparisons);
      termFrequency = List.copyOf(termFrequency);
      if (!(threshold > 0 && threshold < 1)) {
        throw CdpException.badConfig("cdp.identity.probabilistic.threshold",
            "must be in (0,1)", threshold);
      }
      if (minAgreeingFields < 1) {
        throw CdpException.badConfig("cdp.identity.probabilistic.min-agreeing-fields",
            "must be >= 1", minAgreeingFields);
      }
      if (maxBlockSize < 2) {
        throw CdpException.badConfig("cdp.identity.probabilistic.max-block-size",
            "must be >= 2", maxBlockSize);
      }
      if (enabled && comparisons.isEmpty()) {
        throw CdpException.badConfig("cdp.identity.probabilistic.comparisons",
            "must list at least one comparison when enabled", "[]");
      }
      if (enabled && blocking.isEmpty()) {
        throw CdpException.badConfig("cdp.identity.probabilistic.blocking",
            "must list at least one blocking rule when enabled", "[]");
      }
      if (randomPairs < 1000) {
        throw CdpException.badConfig("cdp.identity.probabilistic.random-pairs",
            "must be >= 1000", randomPairs);
      }
      for (String f : termFrequency) {
        if (comparisons.stream().noneMatch(c -> c.field().equals(f))) {
          throw CdpException.badConfig("cdp.identity.probabilistic.term-frequency",
              "must name compared fields", f);
        }
      }
    }
  }

  /**
   * One compared field.
   *
   * @param field the field
   * @param kind comparator: exact, name, string, email, phone, date, numeric-string
   * @param thresholds comparator thresholds (see the comparator), empty for its defaults
   * @param dateToleranceDays for dates: a level for dates this close (0 = none)
   * @param swapWith a field whose value may stand in this one's place (first and last name,
   *     two address lines): adds a "swapped" level; null for none
   * @param vetoOnDisagreement values that disagree outright (level "else") keep the pair
   *     apart whatever the other fields weigh: a household shares a surname and an address,
   *     not a given name
   */
  public record ComparisonSpec(String field, String kind, List<Double> thresholds,
      int dateToleranceDays, String swapWith, boolean vetoOnDisagreement) {
    /** Comparator kinds, as written in configuration. */
    public static final List<String> KINDS = List.of("exact", "name", "string", "email",
        "phone", "date", "numeric-string");

    public ComparisonSpec {
      thresholds = List.copyOf(thresholds);
      if (!KINDS.contains(kind)) {
        throw CdpException.notOneOf("cdp.identity.probabilistic.comparisons." + field
            + ".kind", kind, KINDS);
      }
      if (dateToleranceDays < 0) {
        throw CdpException.badConfig("cdp.identity.probabilistic.comparisons." + field
            + ".date-tolerance-days", "must be >= 0", dateToleranceDays);
      }
      if (swapWith != null && swapWith.equals(field)) {
        throw CdpException.badConfig("cdp.identity.probabilistic.comparisons." + field
            + ".swap-with", "must name another field", swapWith);
      }
    }
  }
}
