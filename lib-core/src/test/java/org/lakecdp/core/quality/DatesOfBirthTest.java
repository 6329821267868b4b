package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DatesOfBirthTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "1985-03-07|1985-03-07",
    "1985-3-7|1985-03-07",
    "  1985-03-07  |1985-03-07",
    "1985-03-07T00:00:00Z|1985-03-07",
    "1985-03-07T10:15:30.123+01:00|1985-03-07",
    "1985-03-07 00:00:00|1985-03-07",
    "1985-03-07 00:00:00.0|1985-03-07",
    "1985/03/07|1985-03-07",
    "1985.03.07|1985-03-07",
    "19850307|1985-03-07",
    "07/03/1985|1985-03-07",
    "7/3/1985|1985-03-07",
    "07-03-1985|1985-03-07",
    "07.03.1985|1985-03-07",
    "07 03 1985|1985-03-07",
    "07/03/1985 00:00|1985-03-07",
    "25/12/1985|1985-12-25",
    "12/25/1985|1985-12-25",
    "7 Mar 1985|1985-03-07",
    "7 mar 1985|1985-03-07",
    "07 MAR 1985|1985-03-07",
    "07-Mar-1985|1985-03-07",
    "7-mar-85|1985-03-07",
    "7 March 1985|1985-03-07",
    "7th March 1985|1985-03-07",
    "7th of March, 1985|1985-03-07",
    "1st Sept 1985|1985-09-01",
    "22nd Sep. 1985|1985-09-22",
    "Mar 7, 1985|1985-03-07",
    "Mar. 7, 1985|1985-03-07",
    "March 7 1985|1985-03-07",
    "MARCH 7TH, 1985|1985-03-07",
    "December 31, 1999|1999-12-31",
    "29/02/2000|2000-02-29",
    "07/03/85|1985-03-07",
    "07/03/27|1927-03-07",
    "2026-06-15|2026-06-15",
    "1900-01-02|1900-01-02",
    "07031985|1985-03-07",
  })
  void parseDayFirst(String raw, String expected) {
    assertThat(DatesOfBirth.parse(raw, false, TODAY)).isEqualTo(LocalDate.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "07/03/1985|1985-07-03",
    "3/7/1985|1985-03-07",
    "25/12/1985|1985-12-25",
    "12/25/1985|1985-12-25",
    "1985-03-07|1985-03-07",
    "7 Mar 1985|1985-03-07",
    "Mar 7, 1985|1985-03-07",
    "03071985|1985-03-07",
    "19850307|1985-03-07",
  })
  void parseMonthFirst(String raw, String expected) {
    assertThat(DatesOfBirth.parse(raw, true, TODAY)).isEqualTo(LocalDate.parse(expected));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "  ", "0000-00-00", "00/00/0000", "1900-01-01", "01/01/1900", "1899-12-31", "1800-05-05",
    "2026-06-16", "2030-01-01", "9999-12-31", "1985-02-30", "30/02/1985", "1985-13-45",
    "31/13/1985", "13/13/1985", "1985-00-10", "19450493", "00000000", "not a date", "1985",
    "03/1985", "07/03", "7 Foo 1985", "Ma 7 1985", "07/03/15", "1/2/00", "32/01/1985",
    "1985-03-07-01", "1985-03-07T", "2024-13-45T25:61:00Z", "31/13/2024 25:61", "-1985-03-07",
    "１９８５-03-07", "1985‐03‐07x"
  })
  void parseRejects(String raw) {
    assertThat(DatesOfBirth.parse(raw, false, TODAY)).isNull();
    assertThat(DatesOfBirth.parse(raw, true, TODAY)).isNull();
  }

  @Test
  void aDateThatExistsInThePreferredOrderIsNotSwappedWhenOutOfRange() {
    assertThat(DatesOfBirth.parse("05/12/2026", false, TODAY)).isNull();
    assertThat(DatesOfBirth.parse("12/05/2026", false, TODAY)).isEqualTo("2026-05-12");
  }

  @Test
  void twoDigitYearsOnlyWhenOneCenturyFits() {
    assertThat(DatesOfBirth.parse("01/01/26", false, TODAY)).isNull();
    assertThat(DatesOfBirth.parse("01/07/26", false, TODAY)).isEqualTo("1926-07-01");
    assertThat(DatesOfBirth.parse("01/01/27", false, TODAY)).isEqualTo("1927-01-01");
    assertThat(DatesOfBirth.parse("01/01/99", false, TODAY)).isEqualTo("1999-01-01");
    assertThat(DatesOfBirth.parse("01/02/00", false, TODAY)).isNull();
    assertThat(DatesOfBirth.parse("01/01/00", false, TODAY))
        .as("1900-01-01 is a rejected placeholder, so only 2000 fits").isEqualTo("2000-01-01");
  }

  @Test
  void defaultTodayIsUtc() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(DatesOfBirth.parse(today.minusDays(1).toString(), false))
        .isEqualTo(today.minusDays(1));
    assertThat(DatesOfBirth.parse(today.plusDays(2).toString(), false)).isNull();
    assertThat(DatesOfBirth.parse("1985-03-07", true)).isEqualTo("1985-03-07");
  }

  @Test
  void nullTodayIsNull() {
    assertThat(DatesOfBirth.parse("1985-03-07", false, null)).isNull();
  }

  @Test
  void longGarbageIsNull() {
    assertThat(DatesOfBirth.parse("1".repeat(10_000), false, TODAY)).isNull();
  }
}
