package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "John|john",
    "JOHN|john",
    "  jOhN  |john",
    "Zoë|zoe",
    "Zoe\u0308|zoe",
    "Müller|muller",
    "MÜLLER|muller",
    "François|francois",
    "Đorđević|dordevic",
    "Straße|strasse",
    "STRASSE|strasse",
    "Ærø|aero",
    "Søren|soren",
    "Łukasz Wałęsa|lukasz walesa",
    "Þór|thor",
    "Œuvre|oeuvre",
    "İlkay|ilkay",
    "O'Brien|obrien",
    "O’Brien|obrien",
    "O´Brien|obrien",
    "O`Brien|obrien",
    "o'brien-smith|obrien smith",
    "Smith-Jones|smith jones",
    "Smith - Jones|smith jones",
    "Mary   Ann|mary ann",
    "J.|j",
    "J. R. R.|j r r",
    "John2|john",
    "R2D2|r d",
    "ＪＯＨＮ|john",
    "ﬁona|fiona",
    "Иван|иван",
  })
  void standardize(String raw, String expected) {
    assertThat(Names.standardize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "\t", "123", "-", "'", "...", "--- ,", "\u00A0", "🙂"})
  void standardizeIsNullWithoutLetters(String raw) {
    assertThat(Names.standardize(raw)).isNull();
  }

  @Test
  void standardizeIsIdempotent() {
    for (String raw : new String[] {"Zoë O'Brien-Smith", "STRAßE", "Łukasz", "J. R. R."}) {
      String once = Names.standardize(raw);
      assertThat(Names.standardize(once)).isEqualTo(once);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "  jOHN   o'brien-smith |John O'Brien-Smith",
    "john smith|John Smith",
    "JOHN SMITH|John Smith",
    "zoë müller|Zoë Müller",
    "ÉLODIE|Élodie",
    "mcdonald|McDonald",
    "MCCARTHY|McCarthy",
    "McDonald|McDonald",
    "d'arcy|D'Arcy",
    "o’connor|O’Connor",
    "j. smith|J. Smith",
    "j.r.r. tolkien|J.R.R. Tolkien",
    "mary-jane watson|Mary-Jane Watson",
    "SMITH, J|Smith, J",
    "ĳsbrand|Ĳsbrand",
    "john\tsmith|John Smith",
  })
  void display(String raw, String expected) {
    assertThat(Names.display(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "\t\n"})
  void displayIsNullForBlank(String raw) {
    assertThat(Names.display(raw)).isNull();
  }

  @Test
  void displayKeepsWhatIsNotALetter() {
    assertThat(Names.display("john 3rd")).isEqualTo("John 3rd");
    assertThat(Names.display("🙂")).isEqualTo("🙂");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
    "John Smith|john|smith",
    "Smith, John|john|smith",
    "SMITH, J|j|smith",
    "Smith,John|john|smith",
    "Dr. John A. Smith Jr|john|smith",
    "Dr John Smith|john|smith",
    "Mr. John Smith|john|smith",
    "Mrs Jane Smith|jane|smith",
    "Ms. Jane Smith|jane|smith",
    "Miss Jane Smith|jane|smith",
    "Prof. Jane Smith PhD|jane|smith",
    "Jane Smith Ph.D.|jane|smith",
    "Sir John Smith|john|smith",
    "John Smith Sr.|john|smith",
    "John Smith III|john|smith",
    "John Smith II|john|smith",
    "John Smith IV|john|smith",
    "John Smith, Jr.|john|smith",
    "Smith, Dr. John|john|smith",
    "J. Smith|j|smith",
    "John Andrew Smith|john|smith",
    "  jOHN   o'brien-smith |john|obrien smith",
    "Mary O'Brien-Smith|mary|obrien smith",
    "O'Brien-Smith, Mary|mary|obrien smith",
    "Vincent van Gogh|vincent|van gogh",
    "Ludwig van der Rohe|ludwig|van der rohe",
    "van Gogh, Vincent|vincent|van gogh",
    "Zoë Müller|zoe|muller",
    "JOHN SMITH|john|smith",
    "Smith|smith|NULL",
    "John|john|NULL",
    "Dr. Smith|smith|NULL",
    "Dr.|NULL|NULL",
    "Mr Mrs|NULL|NULL",
    "123 456|NULL|NULL",
    "Smith,|smith|NULL",
    ", John|john|NULL",
  })
  void splitFullName(String raw, String first, String last) {
    assertThat(Names.splitFullName(raw)).containsExactly(first, last);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", ",", " , ", "..."})
  void splitFullNameOfNothingIsTwoNulls(String raw) {
    assertThat(Names.splitFullName(raw)).hasSize(2).containsOnlyNulls();
  }
}
