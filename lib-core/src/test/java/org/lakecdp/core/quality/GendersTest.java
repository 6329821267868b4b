package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class GendersTest {

  @ParameterizedTest
  @CsvSource({
    "f, female", "F, female", "female, female", "Female, female", "FEMALE, female",
    "' female ', female", "woman, female", "w, female", "W, female", "Frau, female",
    "mrs, female", "Mrs., female", "MS, female", "Miss, female", "fem, female",
    "m, male", "M, male", "male, male", "Male, male", "MALE, male", "man, male", "mr, male",
    "Mr., male", "Herr, male", "männlich, male",
    "x, other", "X, other", "non-binary, other", "Non-Binary, other", "nonbinary, other",
    "non binary, other", "NB, other", "other, other", "Other, other", "diverse, other",
    "divers, other", "d, other",
  })
  void standardize(String raw, String expected) {
    assertThat(Genders.standardize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "  ", "u", "U", "unknown", "Unknown", "prefer not to say", "Prefer not to say", "n/a", "N/A",
    "na", "-", "?", "0", "1", "2", "9", "none", "null", "fm", "mf", "male/female", "garbage",
    "\u0000"
  })
  void standardizeUnknownIsNull(String raw) {
    assertThat(Genders.standardize(raw)).isNull();
  }
}
