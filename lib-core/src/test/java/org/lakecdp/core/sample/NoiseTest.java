package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class NoiseTest {

  @Test
  void typoSwapsDropsOrDoublesOneLetter() {
    assertThat(Noise.typo("Robert", 0, 0)).isEqualTo("Rboert");
    assertThat(Noise.typo("Robert", 1, 0)).isEqualTo("Rbert");
    assertThat(Noise.typo("Robert", 2, 0)).isEqualTo("Roobert");
    assertThat(Noise.typo("Robert", 0, 1)).isEqualTo("Roebrt");
    assertThat(Noise.typo("Al", 0, 0)).isEqualTo("Al");
  }

  @Test
  void typoNeverTouchesTheFirstLetterAndStaysWithinTheWord() {
    for (int position = -3; position < 20; position++) {
      for (int kind = 0; kind < 3; kind++) {
        String t = Noise.typo("Smith", kind, position);
        assertThat(t).startsWith("S").hasSizeBetween(4, 6).isNotEqualTo("Smith");
      }
    }
  }

  @Test
  void nicknamesComeFromTheTableAndOtherNamesStay() {
    assertThat(Noise.nickname("Robert")).isEqualTo("Bob");
    assertThat(Noise.nickname("Elizabeth")).isEqualTo("Liz");
    assertThat(Noise.nickname("Katherine")).isEqualTo("Kate");
    assertThat(Noise.nickname("Zoe")).isEqualTo("Zoe");
    assertThat(Vocabulary.NICKNAMES).hasSizeGreaterThanOrEqualTo(30);
  }

  @Test
  void everyNicknamedNameIsAFirstNameOfTheTables() {
    java.util.Set<String> names = new java.util.HashSet<>();
    names.addAll(java.util.List.of(Vocabulary.MALE_NAMES));
    names.addAll(java.util.List.of(Vocabulary.FEMALE_NAMES));
    assertThat(names).containsAll(Vocabulary.NICKNAMES.keySet()).hasSizeGreaterThan(140);
  }

  @Test
  void phonesInNationalAndInternationalForms() {
    assertThat(Noise.phone("07700900123", 0)).isEqualTo("07700 900123");
    assertThat(Noise.phone("07700900123", 1)).isEqualTo("+44 7700 900123");
    assertThat(Noise.phone("07700900123", 2)).isEqualTo("+447700900123");
    assertThat(Noise.phone("07700900123", 3)).isEqualTo("(0)7700-900123");
    assertThat(Noise.phone("07700900123", 4)).isEqualTo("07700900123");
  }

  @Test
  void datesOfBirthInThreeFormats() {
    LocalDate dob = LocalDate.of(1985, 3, 7);
    assertThat(Noise.dateOfBirth(dob, 0)).isEqualTo("1985-03-07");
    assertThat(Noise.dateOfBirth(dob, 1)).isEqualTo("07/03/1985");
    assertThat(Noise.dateOfBirth(dob, 2)).isEqualTo("7 Mar 1985");
  }

  @Test
  void addressesInVariedFormats() {
    Address house = new Address(0, 12, 0, 0, "Leeds", "LS6 2AB");
    Address flat = new Address(3, 12, 0, 0, "Leeds", "LS6 2AB");
    assertThat(Noise.street(house, 0)).isEqualTo("12 Main Street");
    assertThat(Noise.street(house, 1)).isEqualTo("12 Main St.");
    assertThat(Noise.street(house, 2)).isEqualTo("12 main street");
    assertThat(Noise.street(flat, 0)).isEqualTo("Flat 3, 12 Main Street");
    assertThat(Noise.street(flat, 3)).isEqualTo("FLAT 3, 12 MAIN ST.");
    assertThat(Noise.postcode("LS6 2AB", 1)).isEqualTo("ls6 2ab");
    assertThat(Noise.postcode("LS6 2AB", 2)).isEqualTo("LS62AB");
    assertThat(Noise.postcode("LS6 2AB", 3)).isEqualTo("ls62ab");
  }

  @Test
  void emailsWithCaseSpacesAndTypos() {
    assertThat(Noise.email("john.smith@gmail.com", 1)).isEqualTo("John.Smith@Gmail.Com");
    assertThat(Noise.email("john.smith@gmail.com", 2)).isEqualTo("JOHN.SMITH@GMAIL.COM");
    assertThat(Noise.email("john.smith@gmail.com", 3)).isEqualTo(" john.smith@gmail.com ");
    assertThat(Noise.emailTypo("john.smith@gmail.com", 0, 0)).isEqualTo("john.smith@gmial.com");
    assertThat(Noise.emailTypo("ann@hotmail.co.uk", 0, 0)).isEqualTo("ann@hotmial.co.uk");
    assertThat(Noise.emailTypo("john.smith@gmail.com", 1, 2)).isEqualTo("joh.smith@gmail.com");
  }

  @Test
  void emailLocalPartsStripPunctuationFromNames() {
    assertThat(Noise.emailLocal("Wendy", "O'Connor", 0, 0)).isEqualTo("wendy.oconnor");
    assertThat(Noise.emailLocal("John", "Smith", 2, 0)).isEqualTo("j.smith");
    assertThat(Noise.emailLocal("John", "Smith", 7, 84)).isEqualTo("jsmith84");
  }

  @Test
  void tillNamesArePartialAndNoisy() {
    assertThat(Noise.posName("John", "Smith", 0)).isEqualTo("J. Smith");
    assertThat(Noise.posName("John", "Smith", 1)).isEqualTo("JOHN SMITH");
    assertThat(Noise.posName("John", "Smith", 2)).isEqualTo("Smith");
    assertThat(Noise.posName("John", "Smith", 3)).isEmpty();
    assertThat(Noise.posName("John", "Smith", 5)).isEqualTo("SMITH, J");
  }

  @Test
  void genderInFourSpellings() {
    assertThat(Noise.gender(true, 0)).isEqualTo("F");
    assertThat(Noise.gender(false, 1)).isEqualTo("male");
    assertThat(Noise.gender(true, 2)).isEmpty();
  }
}
