package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "john.smith@gmail.com|john.smith@gmail.com",
    "John.Smith@Gmail.COM|john.smith@gmail.com",
    "  john.smith@gmail.com  |john.smith@gmail.com",
    "JOHN.SMITH@GMAIL.COM|john.smith@gmail.com",
    "<john.smith@gmail.com>|john.smith@gmail.com",
    "\"john.smith@gmail.com\"|john.smith@gmail.com",
    "'john.smith@gmail.com'|john.smith@gmail.com",
    "mailto:john.smith@gmail.com|john.smith@gmail.com",
    "MAILTO:John.Smith@gmail.com|john.smith@gmail.com",
    "<mailto:john.smith@gmail.com>|john.smith@gmail.com",
    "\"John Smith\" <john.smith@gmail.com>|john.smith@gmail.com",
    "John Smith <John.Smith@Gmail.com>|john.smith@gmail.com",
    "john .smith@ gmail.com|john.smith@gmail.com",
    "ｊｏｈｎ＠ｇｍａｉｌ．ｃｏｍ|john@gmail.com",
    "j.o.h.n.smith+shop@googlemail.com|j.o.h.n.smith+shop@googlemail.com",
    "john.smith@gmial.com|john.smith@gmial.com",
    "not an email|notanemail",
    "Zoë@example.com|zoë@example.com",
  })
  void standardizeChangesOnlyTheWriting(String raw, String expected) {
    assertThat(Emails.standardize(raw)).isEqualTo(expected);
  }

  @Test
  void everyKindOfWhitespaceGoes() {
    assertThat(Emails.standardize("john\t.smith@gmail.com\n")).isEqualTo("john.smith@gmail.com");
    assertThat(Emails.standardize("john.smith\u00A0@gmail.com")).isEqualTo("john.smith@gmail.com");
    assertThat(Emails.standardize("john.smith\u200B@gmail.com")).isEqualTo("john.smith@gmail.com");
    assertThat(Emails.standardize("\uFEFFjohn.smith@gmail.com\r\n"))
        .isEqualTo("john.smith@gmail.com");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t\n", "<>", "\"\"", "mailto:", "\u00A0\u200B"})
  void standardizeGivesNullForNothing(String raw) {
    assertThat(Emails.standardize(raw)).isNull();
  }

  @Test
  void standardizeIsIdempotent() {
    String once = Emails.standardize(" \"John Smith\" <MAILTO:John.Smith@Gmail.com> ");
    assertThat(once).isEqualTo("john.smith@gmail.com");
    assertThat(Emails.standardize(once)).isEqualTo(once);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "john.smith@gmail.com", "j.smith84@yahoo.co.uk", "john_smith@hotmail.com",
    "smith.john@acme-logistics.co.uk", "a@b.co", "o'brien@example.ie", "john+tag@gmail.com",
    "x@sub.domain.example.museum", "user@xn--bcher-kva.xn--p1ai", "JOHN@GMAIL.COM",
    "1234@123.example.com"
  })
  void validAddresses(String email) {
    assertThat(Emails.isValid(email)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "john.smith", "john.smith@", "@gmail.com", "john@@gmail.com", "john@smith@gmail.com",
    "john@gmail", "john@gmail.c", "john@gmail.c0m", "john@gmail.123", "john..smith@gmail.com",
    ".john@gmail.com", "john.@gmail.com", "john@gmail..com", "john@.gmail.com",
    "john@gmail.com.", "john smith@gmail.com", "john@-gmail.com", "john@gmail-.com",
    "john(at)gmail.com", "zoë@example.com", "john@gm_ail.com", "notanemail"
  })
  void invalidAddresses(String email) {
    assertThat(Emails.isValid(email)).isFalse();
  }

  @Test
  void lengthLimits() {
    String local64 = "a".repeat(64);
    assertThat(Emails.isValid(local64 + "@gmail.com")).isTrue();
    assertThat(Emails.isValid(local64 + "a@gmail.com")).isFalse();
    String longDomain = ("a".repeat(60) + ".").repeat(5) + "com";
    assertThat(Emails.isValid("john@" + longDomain)).isFalse();
    assertThat(Emails.isValid("john@" + "a".repeat(64) + ".com")).isFalse();
  }

  @Test
  void standardizedGarbageIsNeverValid() {
    assertThat(Emails.isValid(Emails.standardize("call me on 07700 900123"))).isFalse();
    assertThat(Emails.isValid(Emails.standardize("n/a"))).isFalse();
    assertThat(Emails.isValid(Emails.standardize("   "))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "test@test.com, true",
    "noemail@none.com, true",
    "none@none.com, true",
    "jane@example.com, true",
    "noreply@acme.co.uk, true",
    "john.smith@gmail.com, false",
    "test.user@gmail.com, false",
    "notanemail, false",
  })
  void placeholders(String email, boolean placeholder) {
    assertThat(Emails.isPlaceholder(email)).isEqualTo(placeholder);
  }

  @Test
  void placeholderOfNullIsFalse() {
    assertThat(Emails.isPlaceholder(null)).isFalse();
  }
}
