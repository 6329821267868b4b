package org.lakecdp.core.privacy;

import java.util.List;
import java.util.Locale;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.quality.Emails;
import org.lakecdp.core.quality.Phones;

/**
 * How a privacy request names a person: an email, a phone, a customer id (the CDP's
 * persistent id or a source's own customer id) or one source record ({@code SOURCE:KEY}).
 *
 * @param kind what the value is
 * @param value the value as given
 */
public record Identifier(Kind kind, String value) {

  /** Identifier kinds, as written in requests and on the command line. */
  public enum Kind {
    EMAIL, PHONE, CUSTOMER_ID, SOURCE_KEY;

    /** Name as written, e.g. {@code customer_id}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Kinds, as written. */
  public static final List<String> KINDS = List.of("email", "phone", "customer_id",
      "source_key");

  public Identifier {
    if (value == null || value.isBlank()) {
      throw new CdpException("privacy request: the " + kind.label() + " is empty");
    }
    value = value.trim();
    if (kind == Kind.SOURCE_KEY && value.indexOf(':') <= 0) {
      throw new CdpException("privacy request: source_key must be SOURCE:KEY, got '" + value
          + "'");
    }
  }

  /** Parses a kind as written ({@code email}, {@code customer-id}, ...) and a value. */
  public static Identifier of(String kind, String value) {
    String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (!KINDS.contains(k)) {
      throw CdpException.notOneOf("privacy request identifier", kind, KINDS);
    }
    return new Identifier(Kind.valueOf(k.toUpperCase(Locale.ROOT)), value);
  }

  /**
   * The value as identity records hold it: standardised email, E.164 phone (with
   * {@code defaultRegion} for numbers without a country code), trimmed otherwise. Fails when
   * an email or phone cannot be standardised, naming it.
   */
  public String standardised(String defaultRegion) {
    String s = switch (kind) {
      case EMAIL -> Emails.standardize(value);
      case PHONE -> Phones.toE164Lenient(value, defaultRegion);
      default -> value;
    };
    if (s == null) {
      throw new CdpException("privacy request: " + kind.label() + " '" + value
          + "' is not a valid " + kind.label());
    }
    return s;
  }

  /** The source of a {@link Kind#SOURCE_KEY}. */
  public String source() {
    return value.substring(0, value.indexOf(':'));
  }

  /** The record key of a {@link Kind#SOURCE_KEY}. */
  public String recordKey() {
    return value.substring(value.indexOf(':') + 1);
  }
}
