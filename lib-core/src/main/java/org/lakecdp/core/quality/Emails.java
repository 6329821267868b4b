package org.lakecdp.core.quality;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Email addresses: a standard written form and a syntactic validity check.
 *
 * <p>Standardisation only changes how an address is written, never which mailbox it names: no
 * provider rules (gmail dots, {@code +tags}), no typo fixing ({@code gmial.com} stays). Null-safe
 * and thread-safe; never throws.
 */
public final class Emails {
  /** Whitespace of any kind, including no-break and zero-width spaces. */
  private static final Pattern ANY_SPACE =
      Pattern.compile("[\\s\\u00A0\\u2007\\u202F\\u200B\\u200C\\u200D\\u2060\\uFEFF]+");
  private static final String ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern VALID = Pattern.compile(
      ATOM + "(?:\\." + ATOM + ")*@(?:" + LABEL + "\\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})",
      Pattern.CASE_INSENSITIVE);
  private static final String MAILTO = "mailto:";

  /** Local parts people type when they do not want to give an address. */
  private static final Set<String> PLACEHOLDER_LOCALS = Set.of(
      "test", "none", "noemail", "no-email", "no.email", "nomail", "noreply", "no-reply", "na",
      "n.a", "null", "unknown", "dummy", "fake", "asdf", "donotreply", "do-not-reply", "nobody",
      "noone");
  /** Domains that never hold a customer's mailbox. */
  private static final Set<String> PLACEHOLDER_DOMAINS = Set.of(
      "test.com", "none.com", "example.com", "example.org", "example.net", "noemail.com",
      "nomail.com", "domain.com");

  private Emails() {}

  /**
   * The standard written form of an email address: compatibility-normalised (NFKC, so
   * full-width {@code ＠} becomes {@code @}), every whitespace character removed, lower case
   * ({@link Locale#ROOT}), a display name dropped ({@code "John" <john@x.com> -> john@x.com}),
   * and surrounding {@code <>}, quotes and a {@code mailto:} prefix stripped. The result may
   * still be invalid: check it with {@link #isValid}.
   *
   * @return the standardised address, or null for null, blank or nothing left after cleaning
   */
  public static String standardize(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = Fold.isAscii(raw) ? raw : Normalizer.normalize(raw, Normalizer.Form.NFKC);
    s = ANY_SPACE.matcher(s).replaceAll("").toLowerCase(Locale.ROOT);
    int open = s.lastIndexOf('<');
    int close = s.lastIndexOf('>');
    if (open >= 0 && close > open && s.indexOf('@', open) > open && s.indexOf('@', open) < close) {
      s = s.substring(open + 1, close);
    }
    String before;
    do {
      before = s;
      if (s.startsWith(MAILTO)) {
        s = s.substring(MAILTO.length());
      }
      if (s.length() >= 2 && isWrapped(s.charAt(0), s.charAt(s.length() - 1))) {
        s = s.substring(1, s.length() - 1);
      } else if (!s.isEmpty() && isQuoteOrAngle(s.charAt(0)) && s.indexOf('@') > 0) {
        s = s.substring(1);
      } else if (!s.isEmpty() && isQuoteOrAngle(s.charAt(s.length() - 1))) {
        s = s.substring(0, s.length() - 1);
      }
    } while (!s.equals(before));
    return s.isEmpty() ? null : s;
  }

  private static boolean isWrapped(char first, char last) {
    return (first == '<' && last == '>') || (first == '"' && last == '"')
        || (first == '\'' && last == '\'') || (first == '`' && last == '`')
        || (first == '\u201C' && last == '\u201D') || (first == '\u2018' && last == '\u2019');
  }

  private static boolean isQuoteOrAngle(char c) {
    return c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == '\u201C'
        || c == '\u201D' || c == '\u2018' || c == '\u2019';
  }

  /**
   * Whether an address is syntactically valid: exactly one {@code @}; a local part of at most 64
   * ASCII characters from the RFC 5322 atom set, dots only between atoms (none leading,
   * trailing or doubled); a domain of at least two dot-separated labels (letters, digits,
   * inner hyphens, at most 63 characters each) ending in a top-level domain of at least two
   * letters (or a {@code xn--} IDN); at most 254 characters in all. Case-insensitive; quoted
   * local parts and IP-literal domains are rejected. Meant for the output of
   * {@link #standardize}.
   *
   * @return false for null
   */
  public static boolean isValid(String standardized) {
    if (standardized == null || standardized.length() > 254) {
      return false;
    }
    int at = standardized.indexOf('@');
    return at > 0 && at <= 64 && VALID.matcher(standardized).matches();
  }

  /**
   * Whether a standardised address is a well-known stand-in rather than someone's mailbox
   * ({@code test@test.com}, {@code none@none.com}, anything at {@code example.com}): such
   * values are shared by unrelated persons and must not link them.
   *
   * @return false for null
   */
  public static boolean isPlaceholder(String standardized) {
    if (standardized == null) {
      return false;
    }
    int at = standardized.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    return PLACEHOLDER_DOMAINS.contains(standardized.substring(at + 1))
        || PLACEHOLDER_LOCALS.contains(standardized.substring(0, at));
  }
}
