package org.lakecdp.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The canonical vocabulary a source mapping translates its own field names into.
 *
 * <p>Identifiers become top-level bronze columns (they drive identity resolution); every
 * other canonical field lands in the bronze {@code attributes} map under its canonical name.
 * Names starting with {@code x_} are accepted as custom attributes, so a source can carry a
 * field the vocabulary does not know yet without a code change.
 */
public enum CanonicalField {
  CUSTOMER_ID(true), EMAIL(true), PHONE(true), DEVICE_ID(true), COOKIE_ID(true),
  LOYALTY_ID(true),

  FIRST_NAME(false), LAST_NAME(false), FULL_NAME(false), DATE_OF_BIRTH(false), GENDER(false),
  STREET(false), STREET_NUMBER(false), ADDRESS_LINE2(false), CITY(false), POSTCODE(false),
  STATE(false), COUNTRY(false),
  ORDER_ID(false), AMOUNT(false), CURRENCY(false), QUANTITY(false), PRODUCT_ID(false),
  CATEGORY(false), STORE_ID(false), CHANNEL(false), CAMPAIGN_ID(false), PAGE_URL(false),
  SESSION_ID(false), TICKET_ID(false), CONSENT_PURPOSE(false), CONSENT_STATUS(false),
  ORDER_STATUS(false);

  /** Prefix of custom attribute names outside the vocabulary. */
  public static final String CUSTOM_PREFIX = "x_";

  private final boolean identifier;

  CanonicalField(boolean identifier) {
    this.identifier = identifier;
  }

  /** True for the identifiers that get a bronze column of their own. */
  public boolean identifier() {
    return identifier;
  }

  /** The canonical name as written in configuration and in bronze: lower snake case. */
  public String canonicalName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The field with this canonical name, if it is part of the vocabulary. */
  public static Optional<CanonicalField> byName(String name) {
    return Arrays.stream(values()).filter(f -> f.canonicalName().equals(name)).findFirst();
  }

  /** Canonical names of the identifier fields, in bronze column order. */
  public static List<String> identifierNames() {
    return Arrays.stream(values()).filter(CanonicalField::identifier)
        .map(CanonicalField::canonicalName).toList();
  }

  /** Every canonical name, for error messages. */
  public static List<String> allNames() {
    return Arrays.stream(values()).map(CanonicalField::canonicalName).toList();
  }
}
