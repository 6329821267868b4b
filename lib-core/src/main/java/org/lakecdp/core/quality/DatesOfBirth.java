package org.lakecdp.core.quality;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates of birth written in any common format, to {@link LocalDate}.
 *
 * <p>Accepted forms (case-insensitive, surrounding whitespace ignored):
 *
 * <ul>
 *   <li>year first: {@code 1985-03-07}, {@code 1985/3/7}, {@code 1985.03.07}, each also with a
 *       time part ({@code 1985-03-07T00:00:00Z}, {@code 1985-03-07 00:00:00.0}); {@code
 *       19850307};
 *   <li>numeric with the year last: {@code 07/03/1985}, {@code 7-3-1985}, {@code 07.03.1985},
 *       also with a time part. Day first unless {@code monthFirst}; when the preferred order
 *       gives no valid date (a month above 12, 31 February) the other order is tried;
 *   <li>month names (English, full or abbreviated, {@code Sept} too): {@code 7 Mar 1985},
 *       {@code 07-MAR-1985}, {@code 7th March 1985}, {@code Mar 7, 1985}, {@code March 7 1985};
 *   <li>8 digits that are not a valid {@code yyyyMMdd} are read as {@code ddMMyyyy} (or {@code
 *       MMddyyyy} when {@code monthFirst}).
 * </ul>
 *
 * <p>Two-digit years ({@code 07/03/85}) are accepted only when unambiguous: exactly one of
 * {@code 19yy} and {@code 20yy} gives a date in the accepted range. {@code 07/03/85} is
 * therefore 1985-03-07, but {@code 07/03/15} (1915 or 2015) is null.
 *
 * <p>Accepted range: after 1900-01-01 up to today (UTC). 1900-01-01 itself is a placeholder
 * and rejected, as are impossible dates ({@code 0000-00-00}, {@code 1985-02-30}) and dates in
 * the future. Null-safe and thread-safe; never throws.
 */
public final class DatesOfBirth {
  private static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
  private static final String TIME = "(?:[t ]\\d{1,2}:\\d{2}.*)?";
  private static final String SEP = "[-/. ]";
  private static final Pattern YEAR_FIRST =
      Pattern.compile("(\\d{4})" + SEP + "(\\d{1,2})" + SEP + "(\\d{1,2})" + TIME);
  private static final Pattern EIGHT_DIGITS = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
  private static final Pattern YEAR_LAST = Pattern.compile(
      "(\\d{1,2})" + SEP + "(\\d{1,2})" + SEP + "(\\d{4}|\\d{2})" + TIME);
  private static final Pattern DAY_MONTH_NAME = Pattern.compile(
      "(\\d{1,2})(?:st|nd|rd|th)?[-/. ]*(?:of )?([a-z]{3,9})\\.?,?[-/. ]*(\\d{4}|\\d{2})");
  private static final Pattern MONTH_NAME_DAY = Pattern.compile(
      "([a-z]{3,9})\\.?[-/. ]*(\\d{1,2})(?:st|nd|rd|th)?,?[-/. ]*(\\d{4}|\\d{2})");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final String[] MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"
  };

  private DatesOfBirth() {}

  /**
   * The date of birth written in {@code raw}, read against today's date in UTC.
   *
   * @param raw the date as written
   * @param monthFirst whether numeric dates with the year last are month first (US style)
   * @return the date, or null for null, blank, unparsable, ambiguous, placeholder or
   *     out-of-range values
   */
  public static LocalDate parse(String raw, boolean monthFirst) {
    return parse(raw, monthFirst, LocalDate.now(ZoneOffset.UTC));
  }

  /** {@link #parse(String, boolean)} against a given today, for reproducible runs and tests. */
  public static LocalDate parse(String raw, boolean monthFirst, LocalDate today) {
    if (raw == null || raw.isBlank() || raw.length() > 64 || today == null) {
      return null;
    }
    String s = SPACES.matcher(raw.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
    Matcher m = YEAR_FIRST.matcher(s);
    if (m.matches()) {
      return date(number(m.group(1)), number(m.group(2)), number(m.group(3)), today);
    }
    m = EIGHT_DIGITS.matcher(s);
    if (m.matches()) {
      if (exists(m.group(1), number(m.group(2)), number(m.group(3)))) {
        return date(number(m.group(1)), number(m.group(2)), number(m.group(3)), today);
      }
      int a = number(s.substring(0, 2));
      int b = number(s.substring(2, 4));
      String year = s.substring(4);
      return monthFirst ? ordered(year, a, b, today) : ordered(year, b, a, today);
    }
    m = YEAR_LAST.matcher(s);
    if (m.matches()) {
      int a = number(m.group(1));
      int b = number(m.group(2));
      return monthFirst ? ordered(m.group(3), a, b, today) : ordered(m.group(3), b, a, today);
    }
    m = DAY_MONTH_NAME.matcher(s);
    if (m.matches()) {
      return named(m.group(3), m.group(2), number(m.group(1)), today);
    }
    m = MONTH_NAME_DAY.matcher(s);
    if (m.matches()) {
      return named(m.group(3), m.group(1), number(m.group(2)), today);
    }
    return null;
  }

  /**
   * The date in the preferred (month, day) order, or in the swapped order when the preferred
   * one is no calendar date at all (a month above 12, 31 February). A preferred date that exists
   * but lies out of range is not swapped.
   */
  private static LocalDate ordered(String year, int month, int day, LocalDate today) {
    return exists(year, month, day) ? withYear(year, month, day, today)
        : withYear(year, day, month, today);
  }

  private static boolean exists(String year, int month, int day) {
    int y = number(year);
    return year.length() == 2 ? exists(1900 + y, month, day) || exists(2000 + y, month, day)
        : exists(y, month, day);
  }

  private static boolean exists(int year, int month, int day) {
    return month >= 1 && month <= 12 && day >= 1
        && day <= YearMonth.of(year, month).lengthOfMonth();
  }

  private static LocalDate named(String year, String monthName, int day, LocalDate today) {
    int month = month(monthName);
    return month == 0 ? null : withYear(year, month, day, today);
  }

  /** A four-digit year as is; a two-digit year only when exactly one century fits. */
  private static LocalDate withYear(String year, int month, int day, LocalDate today) {
    int y = number(year);
    if (year.length() == 4) {
      return date(y, month, day, today);
    }
    LocalDate nineteen = date(1900 + y, month, day, today);
    LocalDate twenty = date(2000 + y, month, day, today);
    return nineteen == null ? twenty : twenty == null ? nineteen : null;
  }

  /** 1..12 for an English month name or a prefix of at least three letters of it; else 0. */
  private static int month(String name) {
    String n = name.equals("sept") ? "sep" : name;
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].startsWith(n)) {
        return i + 1;
      }
    }
    return 0;
  }

  /** The date when it exists and lies in (1900-01-01, today]; else null. */
  private static LocalDate date(int year, int month, int day, LocalDate today) {
    if (!exists(year, month, day)) {
      return null;
    }
    LocalDate d = LocalDate.of(year, month, day);
    return d.isAfter(EARLIEST) && !d.isAfter(today) ? d : null;
  }

  private static int number(String digits) {
    return Integer.parseInt(digits);
  }
}
