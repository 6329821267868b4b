package org.lakecdp.core.sample;

/**
 * A UK postal address in clean form.
 *
 * @param flat flat number, 0 for a house
 * @param houseNumber house number on the street
 * @param streetName index into {@link Vocabulary#STREET_NAMES}
 * @param streetType index into {@link Vocabulary#STREET_TYPES}
 * @param city city name
 * @param postcode postcode in canonical form, {@code SW1A 1AA}
 */
record Address(int flat, int houseNumber, int streetName, int streetType, String city,
    String postcode) {

  /** The canonical street line, as the ground truth records it. */
  String streetLine() {
    return Noise.street(this, 0);
  }
}
