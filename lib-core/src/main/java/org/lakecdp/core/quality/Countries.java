package org.lakecdp.core.quality;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * Country names and codes to ISO 3166-1 alpha-2.
 *
 * <p>The lookup is built once from {@link Locale#getISOCountries()} (alpha-2, alpha-3 and the
 * English display name of each) plus an alias table for what people write instead: {@code UK},
 * {@code Great Britain}, {@code England}, {@code USA}, {@code Holland}, native names such as
 * {@code Deutschland}. Keys compare folded: case, diacritics, punctuation ({@code U.S.A.}), a
 * leading {@code the}, {@code &} for {@code and} and {@code St.} for {@code Saint} do not
 * matter. Null-safe and thread-safe; never throws.
 */
public final class Countries {
  private static final Map<String, String> LOOKUP = build();

  private Countries() {}

  /**
   * The ISO 3166-1 alpha-2 code (upper case) of a country written as alpha-2, alpha-3 or a
   * name: {@code gb, GBR, United Kingdom, Great Britain, UK, England, Scotland -> GB}; {@code
   * USA, U.S.A., United States of America -> US}; {@code Deutschland -> DE}.
   *
   * @return the alpha-2 code, or null for null, blank or an unknown country
   */
  public static String toIso2(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = raw.strip();
    if (s.length() == 2 && isAsciiLetter(s.charAt(0)) && isAsciiLetter(s.charAt(1))) {
      return LOOKUP.get(s.toLowerCase(Locale.ROOT));
    }
    String key = key(s);
    return key == null ? null : LOOKUP.get(key);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Folded words without dots between letters, {@code the} dropped, {@code st -> saint}. */
  static String key(String s) {
    String words = Fold.words(s.replace("&", " and ").replace(".", ""), true);
    if (words == null) {
      return null;
    }
    if (words.startsWith("the ")) {
      words = words.substring(4);
    }
    if (words.startsWith("st ")) {
      words = "saint " + words.substring(3);
    }
    return words;
  }

  private static Map<String, String> build() {
    Map<String, String> map = new HashMap<>(2048);
    for (String iso2 : Locale.getISOCountries()) {
      Locale locale = new Locale("", iso2);
      map.put(iso2.toLowerCase(Locale.ROOT), iso2);
      try {
        String iso3 = locale.getISO3Country();
        if (!iso3.isEmpty()) {
          map.put(iso3.toLowerCase(Locale.ROOT), iso2);
        }
      } catch (MissingResourceException e) {
        // a code without an alpha-3 counterpart: alpha-2 and the name still map
      }
      String name = locale.getDisplayCountry(Locale.ENGLISH);
      putName(map, name, iso2);
      int paren = name.indexOf('(');
      if (paren > 0) {
        putName(map, name.substring(0, paren), iso2);
        putName(map, name.substring(paren + 1).replace(")", ""), iso2);
      }
      int dash = name.indexOf(" - ");
      if (dash > 0) {
        putName(map, name.substring(0, dash) + " " + name.substring(dash + 3), iso2);
      }
    }
    String[][] aliases = {
      {"GB", "uk", "u k", "united kingdom", "great britain", "britain", "england", "scotland",
          "wales", "northern ireland", "united kingdom of great britain and northern ireland",
          "gbr", "cymru", "alba"},
      {"US", "usa", "us", "u s a", "u s", "united states", "united states of america", "america"},
      {"DE", "deutschland", "germany", "federal republic of germany", "brd"},
      {"NL", "holland", "netherlands", "nederland"},
      {"IE", "ireland", "republic of ireland", "eire", "ie"},
      {"AE", "uae", "emirates"},
      {"KR", "south korea", "korea", "republic of korea"},
      {"KP", "north korea"},
      {"RU", "russia", "russian federation"},
      {"CZ", "czech republic", "czechia"},
      {"CI", "ivory coast", "cote d ivoire", "cote divoire"},
      {"VN", "vietnam", "viet nam"},
      {"TR", "turkey", "turkiye"},
      {"MK", "macedonia", "north macedonia"},
      {"CD", "democratic republic of the congo", "dr congo", "drc"},
      {"CG", "republic of the congo"},
      {"VA", "vatican", "holy see"},
      {"PS", "palestine"},
      {"TW", "taiwan"},
      {"HK", "hong kong"},
      {"MO", "macau", "macao"},
      {"ES", "espana"},
      {"IT", "italia"},
      {"FR", "republique francaise"},
      {"AT", "osterreich", "oesterreich"},
      {"CH", "schweiz", "suisse", "svizzera"},
      {"BR", "brasil"},
      {"MX", "mexico"},
      {"PL", "polska"},
      {"SE", "sverige"},
      {"NO", "norge"},
      {"DK", "danmark"},
      {"FI", "suomi"},
      {"BE", "belgie", "belgique"},
      {"GR", "hellas", "ellada"},
      {"NZ", "aotearoa"},
      {"AU", "oz", "aussie"},
    };
    for (String[] alias : aliases) {
      for (int i = 1; i < alias.length; i++) {
        putName(map, alias[i], alias[0]);
      }
    }
    return Map.copyOf(map);
  }

  private static void putName(Map<String, String> map, String name, String iso2) {
    String key = key(name);
    if (key != null) {
      map.put(key, iso2);
    }
  }
}
