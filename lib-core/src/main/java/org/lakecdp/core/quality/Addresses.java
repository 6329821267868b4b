package org.lakecdp.core.quality;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Street lines, postcodes and localities in a standard comparison form.
 *
 * <p>Null-safe and thread-safe; never throws. Typos ({@code setreet}, {@code cerscent}) are not
 * corrected and nothing is looked up: the output is a spelling, not a verified address.
 */
public final class Addresses {
  /** Street-type and unit abbreviations to their full word. */
  private static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
      Map.entry("st", "street"), Map.entry("str", "street"), Map.entry("rd", "road"),
      Map.entry("ave", "avenue"), Map.entry("av", "avenue"), Map.entry("avn", "avenue"),
      Map.entry("ln", "lane"), Map.entry("dr", "drive"), Map.entry("drv", "drive"),
      Map.entry("dve", "drive"), Map.entry("ct", "court"), Map.entry("crt", "court"),
      Map.entry("pl", "place"), Map.entry("cres", "crescent"), Map.entry("cresc", "crescent"),
      Map.entry("crs", "crescent"), Map.entry("cl", "close"), Map.entry("sq", "square"),
      Map.entry("hwy", "highway"), Map.entry("pde", "parade"), Map.entry("tce", "terrace"),
      Map.entry("terr", "terrace"), Map.entry("cct", "circuit"), Map.entry("blvd", "boulevard"),
      Map.entry("bvd", "boulevard"), Map.entry("gdns", "gardens"), Map.entry("gdn", "gardens"),
      Map.entry("gr", "grove"), Map.entry("gro", "grove"), Map.entry("grn", "green"),
      Map.entry("pk", "park"), Map.entry("pkwy", "parkway"), Map.entry("fwy", "freeway"),
      Map.entry("esp", "esplanade"), Map.entry("cir", "circle"), Map.entry("hts", "heights"),
      Map.entry("mt", "mount"), Map.entry("cnr", "corner"), Map.entry("apt", "apartment"),
      Map.entry("bldg", "building"));
  /** Full street types, so a trailing direction after one of them is recognised. */
  private static final Set<String> STREET_TYPES = Set.of(
      "street", "road", "avenue", "lane", "drive", "court", "place", "crescent", "close",
      "square", "highway", "parade", "terrace", "circuit", "boulevard", "gardens", "grove",
      "green", "parkway", "freeway", "esplanade", "circle", "way", "walk", "row", "mews", "hill",
      "rise", "view", "park");
  private static final Map<String, String> DIRECTIONS = Map.of(
      "n", "north", "s", "south", "e", "east", "w", "west", "ne", "northeast", "nw", "northwest",
      "se", "southeast", "sw", "southwest");
  /** Words that introduce a unit number before the house: {@code Flat 3, 12 Main Street}. */
  private static final Set<String> UNIT_WORDS = Set.of(
      "flat", "unit", "apartment", "apt", "suite", "level", "floor", "lot", "shop", "po", "box");

  private Addresses() {}

  /**
   * The comparison form of a street line: lower case, diacritics folded, apostrophes removed,
   * other punctuation as spaces, whitespace collapsed, and abbreviations written in full.
   *
   * <ul>
   *   <li>Street types: {@code st->street, rd->road, ave/av->avenue, ln->lane, dr->drive,
   *       ct->court, pl->place, cres->crescent, cl->close, sq->square, hwy->highway,
   *       pde->parade, tce->terrace, cct->circuit, blvd->boulevard, gdns->gardens, gr->grove,
   *       mt->mount}, and {@code apt->apartment}; {@code flat} and {@code unit} stay.
   *   <li>{@code st} that starts the street name (after any house number and flat or unit
   *       number) is {@code saint}: {@code "12 St Johns Rd" -> "12 saint johns road"}; anywhere
   *       else it is {@code street}.
   *   <li>{@code n, s, e, w, ne, nw, se, sw} become {@code north, ...} when they start the street
   *       name and a name follows ({@code "12 N Main St"}, {@code "10 E 42nd St"}, but {@code
   *       "5 E St"} stays), or end the line after a street type ({@code "Main St W"}). Elsewhere
   *       they stay ({@code "Block E"}).
   * </ul>
   *
   * <p>Example: {@code "Flat 3, 12 Main St."} and {@code "FLAT 3 12 MAIN STREET"} both give
   * {@code "flat 3 12 main street"}.
   *
   * @return the standardised street, or null for null, blank or nothing but punctuation
   */
  public static String standardizeStreet(String raw) {
    String words = Fold.words(raw, true);
    if (words == null) {
      return null;
    }
    String[] tokens = words.split(" ");
    int nameStart = nameStart(tokens);
    StringBuilder sb = new StringBuilder(words.length() + 16);
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      String out;
      if (i == nameStart && t.equals("st") && i + 1 < tokens.length) {
        out = "saint";
      } else if (i == nameStart && DIRECTIONS.containsKey(t) && (i + 2 < tokens.length
          || i + 1 < tokens.length && !STREET_TYPES.contains(expand(tokens[i + 1])))) {
        out = DIRECTIONS.get(t);
      } else if (i == tokens.length - 1 && i > nameStart && DIRECTIONS.containsKey(t)
          && STREET_TYPES.contains(expand(tokens[i - 1]))) {
        out = DIRECTIONS.get(t);
      } else {
        out = expand(t);
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(out);
    }
    return sb.toString();
  }

  private static String expand(String token) {
    return ABBREVIATIONS.getOrDefault(token, token);
  }

  /** Index of the first word of the street name: after house numbers and unit designators. */
  private static int nameStart(String[] tokens) {
    int i = 0;
    while (i < tokens.length) {
      String t = tokens[i];
      if (hasDigit(t)) {
        i++;
      } else if (UNIT_WORDS.contains(t) && i + 1 < tokens.length) {
        i += 2;
      } else if (t.length() == 1 && i > 0 && hasDigit(tokens[i - 1]) && i + 1 < tokens.length
          && !DIRECTIONS.containsKey(t)) {
        i++;
      } else {
        break;
      }
    }
    return Math.min(i, tokens.length - 1);
  }

  private static boolean hasDigit(String token) {
    for (int i = 0; i < token.length(); i++) {
      if (Character.isDigit(token.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The standard form of a postcode: upper case, letters and digits only, then by country
   * (given as alpha-2, alpha-3 or name, see {@link Countries#toIso2}):
   *
   * <ul>
   *   <li>{@code GB}: the single space before the inward code (the last 3 characters), for 5 to
   *       7 characters: {@code sw1a1aa -> SW1A 1AA};
   *   <li>{@code US}: the 5-digit ZIP (ZIP+4 {@code 12345-6789 -> 12345});
   *   <li>others, or a null or unknown country: the letters and digits ({@code 4223}, {@code
   *       10115}).
   * </ul>
   *
   * @return the standardised postcode, or null for null, blank or no letters or digits
   */
  public static String standardizePostcode(String raw, String countryIso2) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(raw.length());
    String folded = Fold.isAscii(raw) ? raw : Fold.fold(raw);
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        sb.append(c);
      }
    }
    if (sb.length() == 0) {
      return null;
    }
    String p = sb.toString().toUpperCase(Locale.ROOT);
    String country = countryIso2 == null ? null : Countries.toIso2(countryIso2);
    if ("GB".equals(country) && p.length() >= 5 && p.length() <= 7) {
      return p.substring(0, p.length() - 3) + " " + p.substring(p.length() - 3);
    }
    if ("US".equals(country) && p.length() > 5 && isDigits(p)) {
      return p.substring(0, 5);
    }
    return p;
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The comparison form of a city, suburb, county, state or other locality: lower case,
   * diacritics folded, apostrophes removed, other punctuation as spaces, whitespace collapsed.
   * No abbreviation is expanded ({@code nsw} stays {@code nsw}).
   *
   * @return the standardised locality, or null for null, blank or nothing but punctuation
   */
  public static String standardizeLocality(String raw) {
    return Fold.words(raw, true);
  }
}
