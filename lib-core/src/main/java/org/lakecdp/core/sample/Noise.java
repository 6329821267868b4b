package org.lakecdp.core.sample;

import java.time.LocalDate;
import java.util.Locale;

/**
 * The ways people and systems mangle personal data, as pure functions.
 *
 * <p>Each function takes the clean value and an explicit style or position (the caller draws
 * those at random), so every variant is reproducible and unit-testable on its own. All output is
 * ASCII.
 */
final class Noise {
  static final int PHONE_STYLES = 5;
  static final int DOB_STYLES = 3;
  static final int GENDER_STYLES = 4;
  static final int STREET_STYLES = 4;
  static final int POSTCODE_STYLES = 4;
  static final int EMAIL_STYLES = 4;
  static final int POS_NAME_STYLES = 6;
  static final int EMAIL_PATTERNS = 8;

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private Noise() {}

  /**
   * A one-letter typo: kind 0 swaps two neighbouring letters, 1 drops a letter, 2 doubles a
   * letter. {@code position} is taken modulo the word; words under three letters stay intact.
   */
  static String typo(String word, int kind, int position) {
    if (word.length() < 3) {
      return word;
    }
    int p = 1 + Math.floorMod(position, word.length() - 2);
    return switch (Math.floorMod(kind, 3)) {
      case 0 -> word.substring(0, p) + word.charAt(p + 1) + word.charAt(p) + word.substring(p + 2);
      case 1 -> word.substring(0, p) + word.substring(p + 1);
      default -> word.substring(0, p + 1) + word.substring(p);
    };
  }

  /** The usual nickname of a formal first name, or the name itself when it has none. */
  static String nickname(String firstName) {
    return Vocabulary.NICKNAMES.getOrDefault(firstName, firstName);
  }

  /** Style 0 keeps the text, 1 upper-cases it, 2 lower-cases it. */
  static String caseNoise(String text, int style) {
    return switch (style) {
      case 1 -> text.toUpperCase(Locale.ROOT);
      case 2 -> text.toLowerCase(Locale.ROOT);
      default -> text;
    };
  }

  /** Street line: 0 {@code 12 Main Street}, 1 {@code 12 Main St.}, 2 lower case, 3 upper case
   *  abbreviated; a flat is written {@code Flat 3, } before the house. */
  static String street(Address address, int style) {
    boolean abbreviate = style == 1 || style == 3;
    String type = abbreviate
        ? Vocabulary.STREET_TYPE_ABBREVIATIONS[address.streetType()]
        : Vocabulary.STREET_TYPES[address.streetType()];
    String line = address.houseNumber() + " " + Vocabulary.STREET_NAMES[address.streetName()] + " "
        + type;
    if (address.flat() > 0) {
      line = (style == 1 ? "Flat " + address.flat() + " " : "Flat " + address.flat() + ", ") + line;
    }
    return switch (style) {
      case 2 -> line.toLowerCase(Locale.ROOT);
      case 3 -> line.toUpperCase(Locale.ROOT);
      default -> line;
    };
  }

  /** Postcode: 0 {@code SW1A 1AA}, 1 lower case, 2 without the space, 3 both. */
  static String postcode(String postcode, int style) {
    String p = style == 2 || style == 3 ? postcode.replace(" ", "") : postcode;
    return style == 1 || style == 3 ? p.toLowerCase(Locale.ROOT) : p;
  }

  /**
   * A UK mobile in national form {@code 07700900123}: 0 {@code 07700 900123}, 1
   * {@code +44 7700 900123}, 2 {@code +447700900123}, 3 {@code (0)7700-900123}, 4 unspaced.
   */
  static String phone(String national, int style) {
    String rest = national.substring(1);
    return switch (style) {
      case 0 -> national.substring(0, 5) + " " + national.substring(5);
      case 1 -> "+44 " + rest.substring(0, 4) + " " + rest.substring(4);
      case 2 -> "+44" + rest;
      case 3 -> "(0)" + rest.substring(0, 4) + "-" + rest.substring(4);
      default -> national;
    };
  }

  /** Date of birth: 0 {@code 1985-03-07}, 1 {@code 07/03/1985}, 2 {@code 7 Mar 1985}. */
  static String dateOfBirth(LocalDate dob, int style) {
    return switch (style) {
      case 1 -> two(dob.getDayOfMonth()) + "/" + two(dob.getMonthValue()) + "/" + dob.getYear();
      case 2 -> dob.getDayOfMonth() + " " + MONTHS[dob.getMonthValue() - 1] + " " + dob.getYear();
      default -> dob.toString();
    };
  }

  /** Gender: 0 {@code M/F}, 1 {@code male/female}, 2 empty, 3 {@code m/f}. */
  static String gender(boolean female, int style) {
    return switch (style) {
      case 1 -> female ? "female" : "male";
      case 2 -> "";
      case 3 -> female ? "f" : "m";
      default -> female ? "F" : "M";
    };
  }

  /** Email as typed: 0 as is, 1 capitalised words, 2 upper case, 3 with stray spaces. */
  static String email(String email, int style) {
    return switch (style) {
      case 1 -> capitaliseWords(email);
      case 2 -> email.toUpperCase(Locale.ROOT);
      case 3 -> " " + email + " ";
      default -> email;
    };
  }

  /**
   * A mistyped email: kind 0 garbles the domain ({@code gmial.com}), kind 1 drops a letter of
   * the local part at {@code position}.
   */
  static String emailTypo(String email, int kind, int position) {
    int at = email.indexOf('@');
    String local = email.substring(0, at);
    String domain = email.substring(at + 1);
    if (kind == 0) {
      String name = domain.substring(0, domain.indexOf('.'));
      String garbled = name.length() >= 4 ? typo(name, 0, name.length() - 4)
          : name + name.charAt(0);
      return local + "@" + garbled + domain.substring(name.length());
    }
    return (local.length() >= 3 ? typo(local, 1, position) : local) + "@" + domain;
  }

  /** The local part of an email for a name: {@code john.smith}, {@code jsmith84}, ... */
  static String emailLocal(String first, String last, int pattern, int number) {
    String f = letters(first);
    String l = letters(last);
    return switch (pattern) {
      case 0 -> f + "." + l;
      case 1 -> f + l;
      case 2 -> f.charAt(0) + "." + l;
      case 3 -> f + "_" + l;
      case 4 -> l + "." + f;
      case 5 -> f + "." + l + number;
      case 6 -> f + number;
      default -> f.charAt(0) + l + number;
    };
  }

  /** A till's idea of a name: 0 {@code J. Smith}, 1 {@code JOHN SMITH}, 2 {@code Smith}, 3
   *  empty, 4 {@code John Smith}, 5 {@code SMITH, J}. */
  static String posName(String first, String last, int style) {
    return switch (style) {
      case 0 -> first.charAt(0) + ". " + last;
      case 1 -> (first + " " + last).toUpperCase(Locale.ROOT);
      case 2 -> last;
      case 3 -> "";
      case 4 -> first + " " + last;
      default -> (last + ", " + first.charAt(0)).toUpperCase(Locale.ROOT);
    };
  }

  static String letters(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetter(c)) {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }

  private static String capitaliseWords(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    boolean start = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      sb.append(start ? Character.toUpperCase(c) : c);
      start = !Character.isLetterOrDigit(c);
    }
    return sb.toString();
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }
}
