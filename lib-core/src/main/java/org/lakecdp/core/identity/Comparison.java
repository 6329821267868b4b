package org.lakecdp.core.identity;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.lakecdp.core.CdpException;

/**
 * One configured comparison of one field: turns the standardised values of two records into an
 * agreement level. Immutable, thread-safe and serialisable (it is shipped to Spark executors).
 *
 * <p>Values are compared as they are given: the quality stage has already lower-cased, trimmed
 * and standardised them, so {@code "Smith"} and {@code "smith"} are different here. A null or
 * blank value on either side gives level {@code -1} (missing: no evidence, weight 0). Level
 * {@code 0} is disagreement and the highest level, {@link #exactLevel()}, is exact equality.
 * Levels in between, from strongest to weakest; the first that holds wins:
 *
 * <ul>
 *   <li>{@link ComparatorKind#EXACT}: none (levels: 0 else, 1 exact).
 *   <li>{@link ComparatorKind#NAME}: the same tokens in another order ({@code "mary ann"} /
 *       {@code "ann mary"}) counts as the strongest Jaro-Winkler level; then Jaro-Winkler
 *       similarity {@code >=} each of {@code thresholds} (strictly descending in (0,1),
 *       default {@code [0.92, 0.80]}); then a phonetic level: a Double Metaphone code (primary
 *       or alternate) of one equals one of the other's ({@code "geoff"} / {@code "jeff"}), or
 *       one side is a single letter that is the other's initial ({@code "j"} / {@code "john"}).
 *       Between the Jaro-Winkler and phonetic levels, a nickname level: common variants of
 *       one given name ({@code "bob"} / {@code "robert"}, see {@code Nicknames}). With the
 *       default thresholds: 5 exact, 4 JW&ge;0.92, 3 JW&ge;0.80, 2 nickname, 1 metaphone or
 *       initial, 0 else.
 *   <li>{@link ComparatorKind#STRING}: Levenshtein distance {@code <=} each of
 *       {@code thresholds} (whole numbers, strictly ascending in [1,10], default {@code [1,2]}),
 *       then Jaro-Winkler {@code >=} {@value #STRING_JARO_WINKLER}. Default: 4 exact,
 *       3 distance&le;1, 2 distance&le;2, 1 JW&ge;0.88, 0 else.
 *   <li>{@link ComparatorKind#EMAIL}: 2 = Levenshtein distance&le;1 over the whole address (a
 *       typo; not when the two differ only in digits, which are numbered accounts); 1 = same local part (before the last {@code @}) at a different domain, weaker,
 *       since namesakes often share one; 3 exact.
 *   <li>{@link ComparatorKind#PHONE}: 1 = the last 9 digits are equal (a number standardised
 *       with and without its country code), or one digit inserted, deleted, substituted or two
 *       adjacent digits transposed; 2 exact.
 *   <li>{@link ComparatorKind#DATE} ({@code yyyy-MM-dd}): day and month swapped in the same year;
 *       then a one-character typo (Levenshtein&le;1 over the ISO string); then, only when
 *       {@code dateToleranceDays > 0}, at most that many days apart. Without tolerance:
 *       3 exact, 2 swapped, 1 typo, 0 else; with tolerance 4 exact, 3 swapped, 2 typo,
 *       1 within tolerance, 0 else. Values that are not ISO dates can still be exact or typos.
 *   <li>{@link ComparatorKind#NUMERIC_STRING}: Levenshtein distance {@code <=} each of
 *       {@code thresholds} (as for STRING, default {@code [1]}): 2 exact, 1 distance&le;1,
 *       0 else.
 * </ul>
 *
 * <p>With {@code swapWith}, a field whose values are often entered in the other's place (first
 * and last name, two address lines), a "swapped" level is added as level 1 and the levels
 * above move up by one: the values disagree, but each agrees at level 2 or above (level 1 for
 * EXACT) with the other record's {@code swapWith} value ({@code "ann" "lee"} /
 * {@code "lee" "ann"}). It needs both sides' {@code swapWith} values, see
 * {@link #level(String, String, String, String)}.
 *
 * @param name field name, used in labels and error messages; not blank
 * @param kind how to compare; not null
 * @param thresholds Jaro-Winkler thresholds for NAME, maximal edit distances for STRING and
 *     NUMERIC_STRING; null means the kind's default, and the record holds the effective list.
 *     Must be null or empty for the other kinds.
 * @param dateToleranceDays for DATE, the largest distance in days of the "within" level, 0 for
 *     none; must be 0 for the other kinds
 * @param swapWith the field whose value may stand in this one's place, or null for none; not
 *     the field itself
 */
public record Comparison(String name, ComparatorKind kind, List<Double> thresholds,
    int dateToleranceDays, String swapWith) implements Serializable {

  /** Default Jaro-Winkler thresholds of a NAME comparison. */
  public static final List<Double> DEFAULT_NAME_THRESHOLDS = List.of(0.92, 0.80);
  /** Default edit distances of a STRING comparison. */
  public static final List<Double> DEFAULT_STRING_DISTANCES = List.of(1.0, 2.0);
  /** Default edit distances of a NUMERIC_STRING comparison. */
  public static final List<Double> DEFAULT_NUMERIC_DISTANCES = List.of(1.0);
  /** Jaro-Winkler threshold of the weakest non-zero STRING level. */
  public static final double STRING_JARO_WINKLER = 0.88;
  /** How many trailing digits two phone numbers must share for the near-exact level. */
  public static final int PHONE_TRAILING_DIGITS = 9;

  public Comparison {
    if (name == null || name.isBlank()) {
      throw new CdpException("comparison name must not be blank: " + name);
    }
    if (kind == null) {
      throw new CdpException("comparison '" + name + "': kind is required, one of "
          + List.of(ComparatorKind.values()));
    }
    thresholds = effectiveThresholds(name, kind, thresholds);
    if (dateToleranceDays < 0 || dateToleranceDays != 0 && kind != ComparatorKind.DATE) {
      throw new CdpException("comparison '" + name + "': dateToleranceDays must be 0, or >= 0"
          + " for kind DATE: " + dateToleranceDays + " for kind " + kind);
    }
    if (swapWith != null && (swapWith.isBlank() || swapWith.equals(name))) {
      throw new CdpException("comparison '" + name + "': swapWith must name another field, or"
          + " be null for none: '" + swapWith + "'");
    }
  }

  /** A comparison without a swapped level. */
  public Comparison(String name, ComparatorKind kind, List<Double> thresholds,
      int dateToleranceDays) {
    this(name, kind, thresholds, dateToleranceDays, null);
  }

  /** A comparison with the kind's default thresholds and no date tolerance. */
  public static Comparison of(String name, ComparatorKind kind) {
    return new Comparison(name, kind, null, 0);
  }

  /** A DATE comparison with a "within {@code toleranceDays} days" level (0 for none). */
  public static Comparison date(String name, int toleranceDays) {
    return new Comparison(name, ComparatorKind.DATE, null, toleranceDays);
  }

  /** Number of non-missing levels: valid levels are {@code 0..levels()-1}, plus -1. */
  public int levels() {
    return baseLevels() + (swapWith == null ? 0 : 1);
  }

  /** Number of non-missing levels without the swapped level. */
  private int baseLevels() {
    return switch (kind) {
      case EXACT -> 2;
      case NAME -> thresholds.size() + 4;
      case STRING -> thresholds.size() + 3;
      case NUMERIC_STRING -> thresholds.size() + 2;
      case EMAIL -> 4;
      case PHONE -> 3;
      case DATE -> dateToleranceDays > 0 ? 5 : 4;
    };
  }

  /** The highest level, exact equality: {@code levels() - 1}. */
  public int exactLevel() {
    return levels() - 1;
  }

  /**
   * The agreement level of two standardised values: -1 if either is null or blank, else
   * {@code 0..levels()-1} as described on the type. Symmetric in a and b. The swapped level,
   * if any, never holds: it needs the {@code swapWith} values.
   */
  public int level(String a, String b) {
    return level(a, b, null, null);
  }

  /**
   * The agreement level of two records: their values {@code a} and {@code b} of this field and
   * {@code aSwap}, {@code bSwap} of the {@code swapWith} field (ignored without one; null when
   * missing). Symmetric in the two records.
   */
  public int level(String a, String b, String aSwap, String bSwap) {
    if (missing(a) || missing(b)) {
      return -1;
    }
    int base = baseLevel(a, b);
    if (swapWith == null) {
      return base;
    }
    if (base > 0) {
      return base + 1;
    }
    if (missing(aSwap) || missing(bSwap)) {
      return 0;
    }
    int near = Math.min(2, baseLevels() - 1);
    return baseLevel(a, bSwap) >= near && baseLevel(aSwap, b) >= near ? 1 : 0;
  }

  private static boolean missing(String v) {
    return v == null || v.isBlank();
  }

  private int baseLevel(String a, String b) {
    int top = baseLevels() - 1;
    if (a.equals(b)) {
      return top;
    }
    return switch (kind) {
      case EXACT -> 0;
      case NAME -> nameLevel(a, b, top);
      case STRING -> stringLevel(a, b, top);
      case NUMERIC_STRING -> distanceLevel(a, b, top);
      case EMAIL -> emailLevel(a, b);
      case PHONE -> phoneLevel(a, b);
      case DATE -> dateLevel(a, b, top);
    };
  }

  /**
   * A short, stable description of a level for reports and model dumps: {@code "null"} for -1,
   * {@code "else"} for 0, {@code "exact"} for the top level, and for instance
   * {@code "jaro_winkler>=0.92"}, {@code "metaphone_or_initial"}, {@code "levenshtein<=1"},
   * {@code "within 30 days"} in between.
   *
   * @throws CdpException when the level is outside {@code -1..levels()-1}
   */
  public String levelLabel(int level) {
    checkLevel(level);
    if (level == -1) {
      return "null";
    }
    if (swapWith != null) {
      return level == 1 ? "swapped_with_" + swapWith : baseLabel(level <= 0 ? level : level - 1);
    }
    return baseLabel(level);
  }

  private String baseLabel(int level) {
    int top = baseLevels() - 1;
    if (level == 0) {
      return "else";
    }
    if (level == top) {
      return "exact";
    }
    return switch (kind) {
      case EXACT -> throw new IllegalStateException("EXACT has no middle level");
      case NAME -> level == 1 ? "metaphone_or_initial" : level == 2 ? "nickname"
          : "jaro_winkler>=" + plain(thresholds.get(top - 1 - level));
      case STRING -> level == 1 ? "jaro_winkler>=" + plain(STRING_JARO_WINKLER)
          : "levenshtein<=" + plain(thresholds.get(top - 1 - level));
      case NUMERIC_STRING -> "levenshtein<=" + plain(thresholds.get(top - 1 - level));
      case EMAIL -> level == 1 ? "same_local_part" : "levenshtein<=1";
      case PHONE -> "last_" + PHONE_TRAILING_DIGITS + "_digits_or_one_edit";
      case DATE -> switch (top - level) {
        case 1 -> "day_month_swapped";
        case 2 -> "levenshtein<=1";
        default -> "within " + dateToleranceDays + " days";
      };
    };
  }

  /** All labels from the top level down to -1, e.g. for column headers. */
  public List<String> levelLabels() {
    List<String> labels = new ArrayList<>();
    for (int level = exactLevel(); level >= -1; level--) {
      labels.add(levelLabel(level));
    }
    return labels;
  }

  /** Throws unless {@code level} is -1 or a level of this comparison. */
  void checkLevel(int level) {
    if (level < -1 || level >= levels()) {
      throw new CdpException("comparison '" + name + "' (" + kind + ") has levels -1.."
          + (levels() - 1) + ": " + level);
    }
  }

  private int nameLevel(String a, String b, int top) {
    if (Similarity.sameTokensReordered(a, b)) {
      return top - 1;
    }
    double jw = Similarity.jaroWinkler(a, b);
    List<Double> t = thresholds;
    for (int i = 0, n = t.size(); i < n; i++) {
      if (jw >= t.get(i)) {
        return top - 1 - i;
      }
    }
    if (Nicknames.alike(a, b)) {
      return 2;
    }
    return Similarity.initialOf(a, b) || Similarity.phoneticallyAlike(a, b) ? 1 : 0;
  }

  private int stringLevel(String a, String b, int top) {
    int level = distanceLevel(a, b, top);
    if (level > 0) {
      return level;
    }
    return Similarity.jaroWinkler(a, b) >= STRING_JARO_WINKLER ? 1 : 0;
  }

  /** The edit-distance levels shared by STRING and NUMERIC_STRING; 0 when none holds. */
  private int distanceLevel(String a, String b, int top) {
    List<Double> t = thresholds;
    int n = t.size();
    int distance = Similarity.levenshtein(a, b, t.get(n - 1).intValue());
    if (distance < 0) {
      return 0;
    }
    for (int i = 0; i < n; i++) {
      if (distance <= t.get(i)) {
        return top - 1 - i;
      }
    }
    return 0;
  }

  private static int emailLevel(String a, String b) {
    if (Similarity.levenshtein(a, b, 1) >= 0 && !differOnlyInDigits(a, b)) {
      return 2;
    }
    int at = Similarity.localPartEnd(a);
    return at > 0 && at == Similarity.localPartEnd(b) && a.regionMatches(0, b, 0, at) ? 1 : 0;
  }

  /**
   * True when two different addresses are equal once digits are removed: numbered accounts
   * of namesakes (john.smith1@ / john.smith2@), not a typo of one address.
   */
  private static boolean differOnlyInDigits(String a, String b) {
    int i = 0;
    int j = 0;
    boolean digit = false;
    while (i < a.length() || j < b.length()) {
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        i++;
        digit = true;
      } else if (j < b.length() && Character.isDigit(b.charAt(j))) {
        j++;
        digit = true;
      } else if (i < a.length() && j < b.length() && a.charAt(i) == b.charAt(j)) {
        i++;
        j++;
      } else {
        return false;
      }
    }
    return digit;
  }

  private static int phoneLevel(String a, String b) {
    return Similarity.lastDigitsEqual(a, b, PHONE_TRAILING_DIGITS)
        || Similarity.levenshtein(a, b, 1) >= 0
        || Similarity.adjacentTransposition(a, b) ? 1 : 0;
  }

  private int dateLevel(String a, String b, int top) {
    boolean iso = Similarity.isIsoDate(a) && Similarity.isIsoDate(b);
    if (iso && Similarity.year(a) == Similarity.year(b)
        && Similarity.month(a) == Similarity.day(b) && Similarity.day(a) == Similarity.month(b)) {
      return top - 1;
    }
    if (Similarity.levenshtein(a, b, 1) >= 0) {
      return top - 2;
    }
    if (iso && dateToleranceDays > 0) {
      long da = Similarity.epochDay(a);
      long db = Similarity.epochDay(b);
      if (da != Long.MIN_VALUE && db != Long.MIN_VALUE && Math.abs(da - db) <= dateToleranceDays) {
        return 1;
      }
    }
    return 0;
  }

  private static List<Double> effectiveThresholds(String name, ComparatorKind kind,
      List<Double> given) {
    String where = "comparison '" + name + "': thresholds ";
    switch (kind) {
      case NAME -> {
        if (given == null) {
          return DEFAULT_NAME_THRESHOLDS;
        }
        List<Double> t = copy(where, given);
        for (int i = 0; i < t.size(); i++) {
          double v = t.get(i);
          if (!(v > 0 && v < 1) || i > 0 && v >= t.get(i - 1)) {
            throw new CdpException(where + "of kind NAME must be Jaro-Winkler similarities in"
                + " (0,1), strictly descending: " + t);
          }
        }
        return t;
      }
      case STRING, NUMERIC_STRING -> {
        if (given == null) {
          return kind == ComparatorKind.STRING ? DEFAULT_STRING_DISTANCES
              : DEFAULT_NUMERIC_DISTANCES;
        }
        List<Double> t = copy(where, given);
        for (int i = 0; i < t.size(); i++) {
          double v = t.get(i);
          if (v != Math.rint(v) || v < 1 || v > Similarity.MAX_EDIT_DISTANCE
              || i > 0 && v <= t.get(i - 1)) {
            throw new CdpException(where + "of kind " + kind + " must be edit distances, whole"
                + " numbers in [1," + Similarity.MAX_EDIT_DISTANCE + "], strictly ascending: "
                + t);
          }
        }
        return t;
      }
      default -> {
        if (given != null && !given.isEmpty()) {
          throw new CdpException(where + "are not used by kind " + kind
              + "; leave them empty: " + given);
        }
        return List.of();
      }
    }
  }

  private static List<Double> copy(String where, List<Double> given) {
    if (given.isEmpty() || given.stream().anyMatch(v -> v == null)) {
      throw new CdpException(where + "must be a non-empty list of numbers, or null for the"
          + " default: " + given);
    }
    return List.copyOf(given);
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
