package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "12 Main Street|12 main street",
    "12 Main St|12 main street",
    "12 Main St.|12 main street",
    "12 MAIN ST.|12 main street",
    "12  main   street |12 main street",
    "12, Main Street.|12 main street",
    "Flat 3, 12 Main Street|flat 3 12 main street",
    "Flat 3 12 Main St.|flat 3 12 main street",
    "FLAT 3, 12 MAIN ST.|flat 3 12 main street",
    "Unit 4/56 High St|unit 4 56 high street",
    "Apt 5, 10 Park Ave|apartment 5 10 park avenue",
    "Apt. 5B, 10 Park Av.|apartment 5b 10 park avenue",
    "St Johns Road|saint johns road",
    "St. John's Rd|saint johns road",
    "12 St Johns Rd|12 saint johns road",
    "Flat 2, 12 St. Mary's Cl.|flat 2 12 saint marys close",
    "12 Mount St.|12 mount street",
    "12 Mt Pleasant Rd|12 mount pleasant road",
    "10 High St North|10 high street north",
    "10 High St N|10 high street north",
    "10 N Main St|10 north main street",
    "10 E 42nd St|10 east 42nd street",
    "Unit 5 Block E|unit 5 block e",
    "5 E St|5 e street",
    "10 N Main|10 north main",
    "12 North Rd|12 north road",
    "12 West St.|12 west street",
    "4 Church Ln|4 church lane",
    "7 Willow Dr.|7 willow drive",
    "7 Willow Dr|7 willow drive",
    "9 Mill Ct|9 mill court",
    "3 Queens Pl.|3 queens place",
    "3 Orchard Cres.|3 orchard crescent",
    "3 Orchard Cres|3 orchard crescent",
    "8 Manor Gdns|8 manor gardens",
    "8 Kings Way|8 kings way",
    "1 Market Sq|1 market square",
    "22 Pacific Hwy|22 pacific highway",
    "5 Beach Pde|5 beach parade",
    "5 Ocean Tce|5 ocean terrace",
    "12 Pinkerton Cct|12 pinkerton circuit",
    "1 Sunset Blvd|1 sunset boulevard",
    "Straße 5|strasse 5",
    "12 Rue de l’Église|12 rue de leglise",
    "1600 Amphitheatre Pkwy|1600 amphitheatre parkway",
    "PO Box 123|po box 123",
    "12-14 High St|12 14 high street",
    "st|street",
    "St|street",
  })
  void standardizeStreet(String raw, String expected) {
    assertThat(Addresses.standardizeStreet(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", ",", " - ", "...", "\u00A0", "🙂"})
  void standardizeStreetOfNothingIsNull(String raw) {
    assertThat(Addresses.standardizeStreet(raw)).isNull();
  }

  @Test
  void standardizeStreetIsIdempotent() {
    for (String raw : new String[] {"Flat 3, 12 St. John's Rd", "10 N Main St W", "8 Manor Gdns"}) {
      String once = Addresses.standardizeStreet(raw);
      assertThat(Addresses.standardizeStreet(once)).as(raw).isEqualTo(once);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
    "SW1A 1AA|GB|SW1A 1AA",
    "sw1a1aa|GB|SW1A 1AA",
    "sw1a 1aa|GB|SW1A 1AA",
    "SW1A1AA|GB|SW1A 1AA",
    " sw1a-1aa |GB|SW1A 1AA",
    "E1 6AN|GB|E1 6AN",
    "e16an|GB|E1 6AN",
    "M1 1AE|gb|M1 1AE",
    "m11ae|UK|M1 1AE",
    "m11ae|United Kingdom|M1 1AE",
    "B33 8TH|GBR|B33 8TH",
    "SW1|GB|SW1",
    "SW1A1AAXX|GB|SW1A1AAXX",
    "12345|US|12345",
    "12345-6789|US|12345",
    "123456789|USA|12345",
    "1234|US|1234",
    "4223|AU|4223",
    " 4223 |AU|4223",
    "10115|DE|10115",
    "H2X 1Y4|CA|H2X1Y4",
    "sw1a 1aa|NULL|SW1A1AA",
    "sw1a 1aa|Narnia|SW1A1AA",
    "2000|NULL|2000",
  })
  void standardizePostcode(String raw, String country, String expected) {
    assertThat(Addresses.standardizePostcode(raw, country)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "-", " / ", "\u00A0"})
  void standardizePostcodeOfNothingIsNull(String raw) {
    assertThat(Addresses.standardizePostcode(raw, "GB")).isNull();
    assertThat(Addresses.standardizePostcode(raw, null)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "London|london",
    "LONDON|london",
    "  new   york |new york",
    "Newcastle-upon-Tyne|newcastle upon tyne",
    "Newcastle upon Tyne|newcastle upon tyne",
    "St. Albans|st albans",
    "King's Lynn|kings lynn",
    "Zürich|zurich",
    "São Paulo|sao paulo",
    "Kraków|krakow",
    "NSW|nsw",
    "winston hills|winston hills",
    "Sec 301|sec 301",
  })
  void standardizeLocality(String raw, String expected) {
    assertThat(Addresses.standardizeLocality(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", ",", "..."})
  void standardizeLocalityOfNothingIsNull(String raw) {
    assertThat(Addresses.standardizeLocality(raw)).isNull();
  }
}
