package org.lakecdp.core.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Person names: a comparison form, a display form and a first/last split.
 *
 * <p>Null-safe and thread-safe; never throws. Nicknames ({@code Bob} for {@code Robert}) and
 * typos are not resolved here: that is the matcher's job.
 */
public final class Names {
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2007\\u202F]+");
  private static final Pattern NAME_SEPARATORS = Pattern.compile("[\\s\\u00A0\\u2007\\u202F,;]+");

  /** Titles dropped at the start of a full name (compared on letters only: {@code Dr.}). */
  private static final Set<String> TITLES = Set.of(
      "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord",
      "rev", "revd", "fr");
  /** Suffixes dropped at the end of a full name ({@code Ph.D.} compares as {@code phd}). */
  private static final Set<String> SUFFIXES = Set.of(
      "jr", "jnr", "sr", "snr", "ii", "iii", "iv", "phd", "md", "esq");
  /** Surname particles kept with the surname: {@code Vincent van Gogh -> van gogh}. */
  private static final Set<String> PARTICLES = Set.of(
      "van", "von", "de", "da", "del", "della", "der", "den", "di", "du", "dos", "das", "le",
      "la", "ter", "ten", "bin", "al", "el");

  private Names() {}

  /**
   * The comparison form of a name: NFKD with combining marks removed ({@code Zoë -> zoe},
   * {@code Müller -> muller}), lower case, {@code ß->ss, æ->ae, ø->o, ł->l} and similar,
   * apostrophes removed ({@code O'Brien -> obrien}), every other run of non-letters (spaces,
   * hyphens, dots, digits) as one space, trimmed. Non-Latin letters are kept as letters.
   *
   * @return the standardised name, or null for null, blank or a value without letters
   */
  public static String standardize(String raw) {
    return Fold.words(raw, false);
  }

  /**
   * The display form of a name as typed: trimmed, whitespace collapsed, each word part in
   * title case with diacritics kept. Parts start after a space, hyphen or dot, and after an
   * apostrophe that follows a single letter ({@code o'brien-smith -> O'Brien-Smith}, {@code
   * d'arcy -> D'Arcy}); {@code Mc} prefixes capitalise the next letter ({@code mcdonald ->
   * McDonald}). Digits and punctuation are kept.
   *
   * @return the display name, or null for null or blank
   */
  public static String display(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = WHITESPACE.matcher(raw.strip()).replaceAll(" ");
    StringBuilder out = new StringBuilder(s.length());
    boolean upperNext = true;
    int partLength = 0;
    int partStart = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        int mapped;
        if (upperNext) {
          mapped = Character.toTitleCase(cp);
        } else if (partLength == 2 && isMc(out, partStart)) {
          mapped = Character.toUpperCase(cp);
        } else {
          mapped = Character.toLowerCase(cp);
        }
        if (partLength == 0) {
          partStart = out.length();
        }
        out.appendCodePoint(mapped);
        partLength++;
        upperNext = false;
      } else {
        out.appendCodePoint(cp);
        if (Fold.isApostrophe(cp)) {
          upperNext = partLength == 1;
        } else {
          upperNext = cp == ' ' || cp == '-' || cp == '.';
        }
        partLength = 0;
      }
    }
    return out.toString();
  }

  private static boolean isMc(StringBuilder out, int start) {
    return out.charAt(start) == 'M' && out.charAt(start + 1) == 'c';
  }

  /**
   * Splits a full name into its standardised first and last name.
   *
   * <ul>
   *   <li>{@code "John Smith" -> {john, smith}}; middle names and initials are dropped: {@code
   *       "John A. Smith" -> {john, smith}}.
   *   <li>{@code "Smith, John" -> {john, smith}}; {@code "SMITH, J" -> {j, smith}}.
   *   <li>Leading titles (mr, mrs, ms, miss, mx, dr, prof, sir, dame, lady, lord, rev, fr) and
   *       trailing suffixes (jr, jnr, sr, snr, ii, iii, iv, phd, md, esq) are dropped, with or
   *       without dots: {@code "Dr. John A. Smith Jr" -> {john, smith}}.
   *   <li>A surname particle before the last word stays with the surname: {@code "Vincent van
   *       Gogh" -> {vincent, van gogh}}; a hyphenated surname is standardised as a whole:
   *       {@code "Mary O'Brien-Smith" -> {mary, obrien smith}}.
   *   <li>One word: {@code {word, null}} (so a bare surname lands in the first slot).
   *   <li>null, blank or nothing left: {@code {null, null}}.
   * </ul>
   *
   * @return always a new 2-element array {first, last}
   */
  public static String[] splitFullName(String raw) {
    String[] result = new String[2];
    if (raw == null || raw.isBlank()) {
      return result;
    }
    String s = raw.strip();
    int comma = s.indexOf(',');
    if (comma >= 0) {
      List<String> lastPart = words(s.substring(0, comma));
      List<String> firstPart = words(s.substring(comma + 1));
      dropTitlesAndSuffixes(firstPart);
      if (!firstPart.isEmpty()) {
        dropTitlesAndSuffixes(lastPart);
        result[0] = standardize(firstPart.get(0));
        result[1] = lastPart.isEmpty() ? null : standardize(String.join(" ", lastPart));
        if (result[0] == null) {
          result[0] = result[1];
          result[1] = null;
        }
        return result;
      }
      s = s.substring(0, comma);
    }
    List<String> tokens = words(s);
    dropTitlesAndSuffixes(tokens);
    if (tokens.isEmpty()) {
      return result;
    }
    result[0] = standardize(tokens.get(0));
    if (tokens.size() > 1) {
      int from = tokens.size() - 1;
      while (from > 1 && PARTICLES.contains(key(tokens.get(from - 1)))) {
        from--;
      }
      result[1] = standardize(String.join(" ", tokens.subList(from, tokens.size())));
    }
    return result;
  }

  /** The words of a name with letters in them, split on whitespace, commas and semicolons. */
  private static List<String> words(String s) {
    List<String> out = new ArrayList<>(4);
    for (String w : NAME_SEPARATORS.split(s)) {
      if (standardize(w) != null) {
        out.add(w);
      }
    }
    return out;
  }

  private static void dropTitlesAndSuffixes(List<String> tokens) {
    while (tokens.size() > 0 && TITLES.contains(key(tokens.get(0)))) {
      tokens.remove(0);
    }
    while (tokens.size() > 0 && SUFFIXES.contains(key(tokens.get(tokens.size() - 1)))) {
      tokens.remove(tokens.size() - 1);
    }
  }

  /** Letters only, folded: {@code Ph.D. -> phd}. */
  private static String key(String token) {
    String w = standardize(token);
    return w == null ? "" : w.replace(" ", "");
  }
}
