package org.lakecdp.core.quality;

import static com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Phone numbers to E.164 ({@code +447911123456}) with libphonenumber.
 *
 * <p>Accepts spaces, dashes, dots, parentheses, a {@code (0)} trunk prefix after the country
 * code ({@code +44 (0)7911 123456}), {@code tel:} URIs, extensions (dropped) and both the
 * {@code +} and the {@code 00} international prefix. A number without a country prefix is read
 * in {@code defaultRegion}. Null-safe and thread-safe (one shared {@link PhoneNumberUtil});
 * never throws.
 */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** Longer input is not a phone number; libphonenumber itself stops at 250 characters. */
  private static final int MAX_LENGTH = 100;
  private static final String UNKNOWN_REGION = "ZZ";

  private Phones() {}

  /**
   * The E.164 form of a phone number that libphonenumber considers valid ({@link
   * PhoneNumberUtil#isValidNumber}: right length and an allocated range of its country).
   *
   * <p>Note that valid means allocated: Ofcom's reserved drama numbers ({@code 07700 900xxx})
   * and unallocated ranges such as most of UK {@code 076} are not valid, see {@link
   * #toE164Lenient}.
   *
   * @param raw the number as typed
   * @param defaultRegion ISO 3166-1 alpha-2 region ({@code GB}, {@code AU}, {@code US}; any case,
   *     common aliases such as {@code UK} accepted) for numbers without a country prefix; null
   *     when unknown, then only international numbers parse
   * @return the E.164 number, or null when blank, unparsable or not valid
   */
  public static String toE164(String raw, String defaultRegion) {
    PhoneNumber number = parse(raw, defaultRegion, false);
    return number == null ? null : UTIL.format(number, PhoneNumberFormat.E164);
  }

  /**
   * Like {@link #toE164}, but also accepts a number that is not valid yet has a possible length
   * for a fixed line or mobile of its country ({@link
   * PhoneNumberUtil#isPossibleNumberForTypeWithReason} is {@code IS_POSSIBLE}, so no
   * local-only short numbers), does not start with 0 after the trunk prefix and is not one
   * digit repeated. That keeps
   * reserved and unallocated but well-formed numbers ({@code 07700 900123}, {@code 07612
   * 345678}) and still rejects junk such as {@code 0000000000} and {@code 123}.
   *
   * @return the E.164 number, or null when blank, unparsable or not well-formed
   */
  public static String toE164Lenient(String raw, String defaultRegion) {
    PhoneNumber number = parse(raw, defaultRegion, true);
    return number == null ? null : UTIL.format(number, PhoneNumberFormat.E164);
  }

  private static PhoneNumber parse(String raw, String defaultRegion, boolean lenient) {
    if (raw == null || raw.isBlank() || raw.length() > MAX_LENGTH) {
      return null;
    }
    String region = region(defaultRegion);
    String s = raw.strip();
    PhoneNumber number = accepted(tryParse(s, region), lenient);
    if (number == null) {
      int firstDigit = 0;
      while (firstDigit < s.length() && !Character.isDigit(s.charAt(firstDigit))
          && s.charAt(firstDigit) != '+') {
        firstDigit++;
      }
      if (s.startsWith("00", firstDigit)) {
        number = accepted(tryParse("+" + s.substring(firstDigit + 2), region), lenient);
      }
    }
    return number;
  }

  private static PhoneNumber tryParse(String s, String region) {
    try {
      return UTIL.parse(s, region);
    } catch (NumberParseException | RuntimeException e) {
      return null;
    }
  }

  private static PhoneNumber accepted(PhoneNumber number, boolean lenient) {
    if (number == null) {
      return null;
    }
    if (UTIL.isValidNumber(number)) {
      return number;
    }
    if (!lenient || UTIL.isPossibleNumberForTypeWithReason(number, FIXED_LINE_OR_MOBILE)
        != ValidationResult.IS_POSSIBLE) {
      return null;
    }
    String national = UTIL.getNationalSignificantNumber(number);
    return national.isEmpty() || national.charAt(0) == '0' || oneDigit(national) ? null : number;
  }

  private static boolean oneDigit(String digits) {
    for (int i = 1; i < digits.length(); i++) {
      if (digits.charAt(i) != digits.charAt(0)) {
        return false;
      }
    }
    return true;
  }

  private static String region(String defaultRegion) {
    if (defaultRegion == null || defaultRegion.isBlank()) {
      return UNKNOWN_REGION;
    }
    String iso2 = Countries.toIso2(defaultRegion);
    return iso2 == null ? UNKNOWN_REGION : iso2;
  }
}
