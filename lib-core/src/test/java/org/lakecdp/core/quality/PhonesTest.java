package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhonesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "07911 123456|GB|+447911123456",
    "07911123456|GB|+447911123456",
    "07911-123-456|GB|+447911123456",
    "07911.123.456|GB|+447911123456",
    "(07911) 123456|GB|+447911123456",
    "(0)7911-123456|GB|+447911123456",
    "+44 7911 123456|GB|+447911123456",
    "+447911123456|GB|+447911123456",
    "+44 (0)7911 123456|GB|+447911123456",
    "+44(0)7911-123-456|GB|+447911123456",
    "0044 7911 123456|GB|+447911123456",
    "00447911123456|GB|+447911123456",
    "0044 7911 123456|US|+447911123456",
    "0044 7911 123456|AU|+447911123456",
    "  07911 123456  |gb|+447911123456",
    "07911 123456|UK|+447911123456",
    "07911 123456|United Kingdom|+447911123456",
    "+44 7911 123456|US|+447911123456",
    "+44 7911 123456||+447911123456",
    "tel:+44-7911-123456|GB|+447911123456",
    "07911 123456 ext. 12|GB|+447911123456",
    "020 7946 0018|GB|+442079460018",
    "0412 345 678|AU|+61412345678",
    "(02) 9876 5432|AU|+61298765432",
    "+61 2 9876 5432|GB|+61298765432",
    "0011 44 7911 123456|AU|+447911123456",
    "(650) 253-0000|US|+16502530000",
    "650.253.0000|US|+16502530000",
    "1-650-253-0000|US|+16502530000",
    "+1 650 253 0000|GB|+16502530000",
    "030 1234567|DE|+49301234567",
  })
  void validNumbersToE164(String raw, String region, String e164) {
    assertThat(Phones.toE164(raw, region)).isEqualTo(e164);
    assertThat(Phones.toE164Lenient(raw, region)).isEqualTo(e164);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "  ", "0000000000", "00000000000", "123", "1234567", "abc", "n/a", "none", "07911",
    "07911 123456 789 012 345", "+44", "+", "9999999999", "+999 123 456 789", "\u0000\u0001",
    "+44 0000 000000", "+44 2222 222222", "- -", "()"
  })
  void garbageIsNull(String raw) {
    assertThat(Phones.toE164(raw, "GB")).isNull();
    assertThat(Phones.toE164Lenient(raw, "GB")).isNull();
  }

  @Test
  void strictRejectsWhatOnlyHasAPossibleLength() {
    assertThat(Phones.toE164("07911 12345x", "GB")).isNull();
    assertThat(Phones.toE164("01234 56789", "GB")).isNull();
    assertThat(Phones.toE164Lenient("01234 56789", "GB")).isEqualTo("+44123456789");
  }

  @Test
  void nationalNumbersNeedARegion() {
    assertThat(Phones.toE164("07911 123456", null)).isNull();
    assertThat(Phones.toE164("07911 123456", "")).isNull();
    assertThat(Phones.toE164("07911 123456", "XX")).isNull();
    assertThat(Phones.toE164("07911 123456", "Narnia")).isNull();
  }

  @Test
  void theRegionDecidesHowANationalNumberReads() {
    assertThat(Phones.toE164("0412 345 678", "AU")).isEqualTo("+61412345678");
    assertThat(Phones.toE164("0412 345 678", "GB")).isNull();
  }

  @Test
  void veryLongInputIsNull() {
    assertThat(Phones.toE164("0".repeat(10_000), "GB")).isNull();
    assertThat(Phones.toE164("07911 123456" + " ".repeat(200), "GB")).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "07700 900123|+447700900123",
    "+44 7700 900123|+447700900123",
    "(0)7700-900123|+447700900123",
    "07612 345678|+447612345678",
  })
  void reservedAndUnallocatedRangesAreOnlyLenient(String raw, String e164) {
    assertThat(Phones.toE164(raw, "GB")).isNull();
    assertThat(Phones.toE164Lenient(raw, "GB")).isEqualTo(e164);
  }

  @Test
  void lenientStillNeedsAPossibleLength() {
    assertThat(Phones.toE164Lenient("07700 9001", "GB")).isNull();
    assertThat(Phones.toE164Lenient("07700 900123 4567", "GB")).isNull();
    assertThat(Phones.toE164Lenient("+44 2222 222222", "GB")).isNull();
    assertThat(Phones.toE164Lenient("1234567", "GB")).isNull();
  }
}
