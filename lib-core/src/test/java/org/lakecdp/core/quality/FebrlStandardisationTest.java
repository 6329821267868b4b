package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values from the FEBRL 4 benchmark (synthetic Australian persons, dataset4a and 4b). */
class FebrlStandardisationTest {

  @ParameterizedTest
  @CsvSource({
    "19151111, 1915-11-11",
    "19161214, 1916-12-14",
    "19480930, 1948-09-30",
    "19951119, 1995-11-19",
    "19000112, 1900-01-12",
    "19020227, 1902-02-27",
  })
  void compactDatesOfBirth(String raw, LocalDate expected) {
    assertThat(DatesOfBirth.parse(raw, false)).isEqualTo(expected);
    assertThat(DatesOfBirth.parse(raw, true)).isEqualTo(expected);
  }

  @Test
  void corruptedDatesOfBirthAreNull() {
    assertThat(DatesOfBirth.parse("19450493", false)).isNull();
    assertThat(DatesOfBirth.parse("19060229", false)).isNull();
    assertThat(DatesOfBirth.parse("19002103", false)).isNull();
    assertThat(DatesOfBirth.parse("", false)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "pinkerton circuit|pinkerton circuit",
    "stanley street|stanley street",
    "salkauskas crescent|salkauskas crescent",
    "macquoid place|macquoid place",
    "may maxwell crescent|may maxwell crescent",
    "a'beckett street|abeckett street",
    "o'connell street|oconnell street",
    "barr-smith avenue|barr smith avenue",
    "mt warning crescent|mount warning crescent",
    "st clair place|saint clair place",
    "canberra centre (next to medicare)|canberra centre next to medicare",
    "light setreet|light setreet",
    "durahm pl ace|durahm place ace",
  })
  void streets(String raw, String expected) {
    assertThat(Addresses.standardizeStreet(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "nsw, nsw", "vic, vic", "act, act", "winston hills, winston hills", "st albans, st albans",
    "south grafton, south grafton", "bega flats, bega flats",
  })
  void localitiesAndStates(String raw, String expected) {
    assertThat(Addresses.standardizeLocality(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"4223", "4560", "2135", "0800"})
  void australianPostcodesStayFourDigits(String raw) {
    assertThat(Addresses.standardizePostcode(raw, "AU")).isEqualTo(raw);
    assertThat(Addresses.standardizePostcode(" " + raw + " ", "Australia")).isEqualTo(raw);
  }

  @Test
  void namesAreAlreadyStandardAndSplitNamesStaySplit() {
    assertThat(Names.standardize("michaela")).isEqualTo("michaela");
    assertThat(Names.standardize("neumann")).isEqualTo("neumann");
    assertThat(Names.standardize("elk i")).isEqualTo("elk i");
    assertThat(Names.display("michaela")).isEqualTo("Michaela");
  }
}
