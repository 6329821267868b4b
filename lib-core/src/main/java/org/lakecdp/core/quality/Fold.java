package org.lakecdp.core.quality;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Diacritic folding and word splitting shared by the standardisers. */
final class Fold {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  private Fold() {}

  /**
   * Lower case ({@link Locale#ROOT}), compatibility-decomposed (NFKD) with combining marks
   * removed, and the letters NFKD leaves whole spelled in ASCII: {@code ß->ss, æ->ae, œ->oe,
   * ø->o, ł->l, đ/ð->d, þ->th, ı->i, ħ->h}. Everything else is kept. Not null-safe.
   */
  static String fold(String s) {
    String t = isAscii(s) ? s
        : MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFKD)).replaceAll("");
    t = t.toLowerCase(Locale.ROOT);
    if (isAscii(t)) {
      return t;
    }
    StringBuilder sb = new StringBuilder(t.length() + 4);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case 'ß' -> sb.append("ss");
        case 'æ' -> sb.append("ae");
        case 'œ' -> sb.append("oe");
        case 'ø' -> sb.append('o');
        case 'ł', 'ŀ' -> sb.append('l');
        case 'đ', 'ð' -> sb.append('d');
        case 'þ' -> sb.append("th");
        case 'ı' -> sb.append('i');
        case 'ħ' -> sb.append('h');
        case 'ŧ' -> sb.append('t');
        case 'ĸ' -> sb.append('k');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Apostrophe look-alikes people type inside names: {@code ' ’ ‘ ʼ ` ´ ′}. */
  static boolean isApostrophe(int c) {
    return c == '\'' || c == '\u2019' || c == '\u2018' || c == '\u02BC' || c == '`'
        || c == '\u00B4' || c == '\u2032' || c == '\u02B9';
  }

  /**
   * The folded words of {@code s}: apostrophes dropped ({@code O'Brien -> obrien}), every run of
   * other characters that are neither letters nor (when {@code keepDigits}) digits turned into
   * one space, trimmed. Null when nothing is left; null-safe.
   */
  static String words(String s, boolean keepDigits) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String f = fold(withoutApostrophes(s));
    StringBuilder sb = new StringBuilder(f.length());
    boolean gap = false;
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (Character.isLetter(c) || (keepDigits && Character.isDigit(c))) {
        if (gap && sb.length() > 0) {
          sb.append(' ');
        }
        gap = false;
        sb.append(c);
      } else if (Character.isSurrogate(c) && Character.isLetter(f.codePointAt(i))) {
        if (gap && sb.length() > 0) {
          sb.append(' ');
        }
        gap = false;
        sb.append(c).append(f.charAt(++i));
      } else {
        gap = true;
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** {@code s} without its apostrophes (before folding: NFKD turns {@code ´} into a space). */
  static String withoutApostrophes(String s) {
    int i = 0;
    while (i < s.length() && !isApostrophe(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int j = 0; j < s.length(); j++) {
      char c = s.charAt(j);
      if (!isApostrophe(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
