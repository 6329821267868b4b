package org.lakecdp.core.identity;

import java.util.Arrays;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The string measures behind {@link Comparison}, as static methods over shared, stateless
 * instances, so a comparison allocates little and is safe from any number of threads.
 * Arguments are never null here; {@link Comparison#level} handles missing values.
 */
final class Similarity {
  /** Largest edit distance a comparison may use as a level. */
  static final int MAX_EDIT_DISTANCE = 10;

  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();
  private static final DoubleMetaphone METAPHONE = new DoubleMetaphone();
  private static final LevenshteinDistance[] LEVENSHTEIN =
      new LevenshteinDistance[MAX_EDIT_DISTANCE + 1];

  static {
    for (int d = 0; d <= MAX_EDIT_DISTANCE; d++) {
      LEVENSHTEIN[d] = new LevenshteinDistance(d);
    }
  }

  /**
   * Recently encoded names per thread. Within a Spark partition the same names come back over
   * and over (one record against the many in its block, and Zipf-distributed name
   * frequencies), so a small direct-mapped cache saves most Double Metaphone encodings.
   */
  private static final ThreadLocal<PhoneticCache> PHONETIC =
      ThreadLocal.withInitial(PhoneticCache::new);

  private Similarity() {}

  /** Jaro-Winkler similarity in [0,1] (prefix scale 0.1, up to 4 prefix characters). */
  static double jaroWinkler(String a, String b) {
    return JARO_WINKLER.apply(a, b);
  }

  /** Levenshtein distance between a and b if it is at most {@code max}, else -1. */
  static int levenshtein(String a, String b, int max) {
    if (Math.abs(a.length() - b.length()) > max) {
      return -1;
    }
    return max == 1 ? withinOneEdit(a, b) : LEVENSHTEIN[max].apply(a, b);
  }

  /**
   * Levenshtein distance if it is 0 or 1, else -1: one linear scan without allocation, for the
   * many comparisons whose only edit level is "one typo".
   */
  static int withinOneEdit(String a, String b) {
    String shorter = a.length() <= b.length() ? a : b;
    String longer = shorter == a ? b : a;
    int n = shorter.length();
    if (longer.length() - n > 1) {
      return -1;
    }
    int i = 0;
    while (i < n && shorter.charAt(i) == longer.charAt(i)) {
      i++;
    }
    if (i == n) {
      return longer.length() == n ? 0 : 1;
    }
    boolean rest = longer.length() == n
        ? shorter.regionMatches(i + 1, longer, i + 1, n - i - 1) // substitution
        : shorter.regionMatches(i, longer, i + 1, n - i); // insertion
    return rest ? 1 : -1;
  }

  /**
   * True when one Double Metaphone code (primary or alternate) of a equals one of b's. Names
   * without any encodable letter are never alike.
   */
  static boolean phoneticallyAlike(String a, String b) {
    PhoneticCache cache = PHONETIC.get();
    int i = cache.slot(a);
    String primaryA = cache.primary[i];
    String alternateA = cache.alternate[i];
    int j = cache.slot(b);
    String primaryB = cache.primary[j];
    String alternateB = cache.alternate[j];
    return sameCode(primaryA, primaryB) || sameCode(primaryA, alternateB)
        || sameCode(alternateA, primaryB) || sameCode(alternateA, alternateB);
  }

  private static boolean sameCode(String a, String b) {
    return !a.isEmpty() && a.equals(b);
  }

  /** True when one value is a single character and the other a longer word starting with it. */
  static boolean initialOf(String a, String b) {
    return a.length() == 1 && b.length() > 1 && a.charAt(0) == b.charAt(0)
        || b.length() == 1 && a.length() > 1 && a.charAt(0) == b.charAt(0);
  }

  /**
   * True when a and b are different orders of the same space-separated tokens
   * ({@code "mary ann"} / {@code "ann mary"}). Allocates only when both have a space and the
   * same length, which is rare.
   */
  static boolean sameTokensReordered(String a, String b) {
    if (a.length() != b.length() || a.indexOf(' ') < 0 || b.indexOf(' ') < 0) {
      return false;
    }
    String[] left = a.trim().split(" +");
    String[] right = b.trim().split(" +");
    if (left.length != right.length) {
      return false;
    }
    Arrays.sort(left);
    Arrays.sort(right);
    return Arrays.equals(left, right);
  }

  /**
   * True when a and b have the same length and differ only by two adjacent characters being
   * swapped ({@code "0412"} / {@code "0421"}).
   */
  static boolean adjacentTransposition(String a, String b) {
    int n = a.length();
    if (n != b.length()) {
      return false;
    }
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i + 1 < n && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
        && a.regionMatches(i + 2, b, i + 2, n - i - 2);
  }

  /**
   * True when both values contain at least {@code count} digits and their last {@code count}
   * digits are equal; other characters ({@code +}, spaces) are skipped.
   */
  static boolean lastDigitsEqual(String a, String b, int count) {
    int i = a.length() - 1;
    int j = b.length() - 1;
    for (int seen = 0; seen < count; seen++) {
      while (i >= 0 && !isDigit(a.charAt(i))) {
        i--;
      }
      while (j >= 0 && !isDigit(b.charAt(j))) {
        j--;
      }
      if (i < 0 || j < 0 || a.charAt(i) != b.charAt(j)) {
        return false;
      }
      i--;
      j--;
    }
    return true;
  }

  /** Index of the last {@code @} when both local part and domain are non-empty, else -1. */
  static int localPartEnd(String email) {
    int at = email.lastIndexOf('@');
    return at > 0 && at < email.length() - 1 ? at : -1;
  }

  /**
   * Days since 1970-01-01 of an ISO {@code yyyy-MM-dd} date, or {@link Long#MIN_VALUE} when the
   * value is not of that shape or has a month outside 1..12 or a day outside 1..31. Does not
   * allocate (Hinnant's days-from-civil).
   */
  static long epochDay(String iso) {
    int y = year(iso);
    int m = month(iso);
    int d = day(iso);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
      return Long.MIN_VALUE;
    }
    int yy = m <= 2 ? y - 1 : y;
    int era = Math.floorDiv(yy, 400);
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097L + doe - 719468;
  }

  /** True for an ISO date string of the shape {@code dddd-dd-dd}. */
  static boolean isIsoDate(String s) {
    if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (i != 4 && i != 7 && !isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static int year(String iso) {
    return isIsoDate(iso) ? digits(iso, 0, 4) : -1;
  }

  static int month(String iso) {
    return isIsoDate(iso) ? digits(iso, 5, 7) : -1;
  }

  static int day(String iso) {
    return isIsoDate(iso) ? digits(iso, 8, 10) : -1;
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A per-thread direct-mapped cache of Double Metaphone codes. */
  private static final class PhoneticCache {
    private static final int SIZE = 1024;
    private final String[] keys = new String[SIZE];
    private final String[] primary = new String[SIZE];
    private final String[] alternate = new String[SIZE];

    int slot(String s) {
      int h = s.hashCode();
      int i = (h ^ (h >>> 16)) & (SIZE - 1);
      if (!s.equals(keys[i])) {
        String p = METAPHONE.doubleMetaphone(s, false);
        String alt = METAPHONE.doubleMetaphone(s, true);
        primary[i] = p == null ? "" : p;
        alternate[i] = alt == null ? "" : alt;
        keys[i] = s;
      }
      return i;
    }
  }
}
