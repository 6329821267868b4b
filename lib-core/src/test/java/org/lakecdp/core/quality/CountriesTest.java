package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CountriesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "gb|GB", "GB|GB", " Gb |GB", "GBR|GB", "gbr|GB", "United Kingdom|GB", "UNITED KINGDOM|GB",
    "united  kingdom|GB", "The United Kingdom|GB", "Great Britain|GB", "Britain|GB", "UK|GB",
    "U.K.|GB", "uk|GB", "England|GB", "Scotland|GB", "Wales|GB", "Northern Ireland|GB",
    "United Kingdom of Great Britain and Northern Ireland|GB",
    "USA|US", "usa|US", "US|US", "U.S.A.|US", "U.S.|US", "United States|US",
    "United States of America|US", "the United States|US",
    "Deutschland|DE", "Germany|DE", "DEU|DE", "de|DE",
    "Australia|AU", "AUS|AU", "au|AU",
    "France|FR", "FRA|FR", "Ireland|IE", "Éire|IE", "Eire|IE", "Republic of Ireland|IE",
    "New Zealand|NZ", "Netherlands|NL", "The Netherlands|NL", "Holland|NL",
    "Côte d’Ivoire|CI", "Cote d'Ivoire|CI", "Ivory Coast|CI",
    "Bosnia & Herzegovina|BA", "Bosnia and Herzegovina|BA",
    "St. Lucia|LC", "Saint Lucia|LC", "St Lucia|LC",
    "Myanmar|MM", "Burma|MM", "Myanmar (Burma)|MM",
    "South Korea|KR", "Russia|RU", "Czech Republic|CZ", "Czechia|CZ", "Türkiye|TR",
    "Turkey|TR", "España|ES", "Spain|ES", "Österreich|AT", "Brasil|BR", "México|MX",
    "Viet Nam|VN", "Vietnam|VN", "UAE|AE", "United Arab Emirates|AE",
  })
  void toIso2(String raw, String iso2) {
    assertThat(Countries.toIso2(raw)).isEqualTo(iso2);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
    "  ", "XX", "ZZ", "EU", "Narnia", "United", "Kingdom", "nsw", "12", "G", "GBRR", "...",
    "\u0000", "Middle Earth"
  })
  void unknownIsNull(String raw) {
    assertThat(Countries.toIso2(raw)).isNull();
  }

  @Test
  void everyIsoCountryMapsToItselfByEveryForm() {
    for (String iso2 : Locale.getISOCountries()) {
      Locale locale = new Locale("", iso2);
      assertThat(Countries.toIso2(iso2)).isEqualTo(iso2);
      assertThat(Countries.toIso2(iso2.toLowerCase(Locale.ROOT))).isEqualTo(iso2);
      assertThat(Countries.toIso2(locale.getISO3Country())).as(iso2).isEqualTo(iso2);
      assertThat(Countries.toIso2(locale.getDisplayCountry(Locale.ENGLISH))).as(iso2)
          .isEqualTo(iso2);
    }
  }
}
