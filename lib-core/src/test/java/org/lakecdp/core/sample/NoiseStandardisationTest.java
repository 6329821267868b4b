package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.quality.Addresses;
import org.lakecdp.core.quality.Countries;
import org.lakecdp.core.quality.DatesOfBirth;
import org.lakecdp.core.quality.Emails;
import org.lakecdp.core.quality.Genders;
import org.lakecdp.core.quality.Names;
import org.lakecdp.core.quality.Phones;

/**
 * Every style of noise the sample generator writes standardises back to the clean value, as far
 * as standardisation can: typos and nicknames are left to matching, and are shown here to
 * survive on purpose.
 */
class NoiseStandardisationTest {

  @Test
  void everyDateOfBirthStyleParsesBackToTheSameDate() {
    for (LocalDate d = LocalDate.of(1940, 1, 1); !d.isAfter(LocalDate.of(2006, 12, 31));
        d = d.plusDays(1)) {
      for (int style = 0; style < Noise.DOB_STYLES; style++) {
        String written = Noise.dateOfBirth(d, style);
        assertThat(DatesOfBirth.parse(written, false)).as(written).isEqualTo(d);
      }
    }
  }

  @Test
  void everyPhoneStyleOfAValidMobileGivesOneE164() {
    for (String national : List.of("07911123456", "07400123456", "07123456789", "07831234567")) {
      String e164 = "+44" + national.substring(1);
      for (int style = 0; style < Noise.PHONE_STYLES; style++) {
        String written = Noise.phone(national, style);
        assertThat(Phones.toE164(written, "GB")).as(written).isEqualTo(e164);
        assertThat(Phones.toE164Lenient(written, "GB")).as(written).isEqualTo(e164);
      }
    }
  }

  @Test
  void everyPhoneStyleOfEveryGeneratedMobileGivesOneE164WhenLenient() {
    Ids ids = new Ids(42);
    int strictlyValid = 0;
    int persons = 2_000;
    for (int i = 0; i < persons; i++) {
      String national = ids.mobile(i);
      String e164 = "+44" + national.substring(1);
      String strict = Phones.toE164(national, "GB");
      if (strict != null) {
        strictlyValid++;
      }
      for (int style = 0; style < Noise.PHONE_STYLES; style++) {
        String written = Noise.phone(national, style);
        assertThat(Phones.toE164Lenient(written, "GB")).as(written).isEqualTo(e164);
        assertThat(Phones.toE164(written, "GB")).as(written).isEqualTo(strict);
      }
    }
    // The generator draws "07" + 9 random digits; libphonenumber knows most of 076 and a few
    // 077/079 blocks as unallocated, so the strict form loses about 7% of generated mobiles.
    assertThat(strictlyValid).isBetween(persons * 88 / 100, persons * 96 / 100);
  }

  @Test
  void theJunkPhoneIsNull() {
    assertThat(Phones.toE164(Vocabulary.JUNK_PHONE, "GB")).isNull();
    assertThat(Phones.toE164Lenient(Vocabulary.JUNK_PHONE, "GB")).isNull();
  }

  @Test
  void everyStreetStyleOfEveryAddressGivesOneStreet() {
    for (int flat : new int[] {0, 3, 24}) {
      for (int house : new int[] {1, 17, 180}) {
        for (int name = 0; name < Vocabulary.STREET_NAMES.length; name++) {
          for (int type = 0; type < Vocabulary.STREET_TYPES.length; type++) {
            Address a = new Address(flat, house, name, type, "London", "SW1A 1AA");
            String expected = (flat > 0 ? "flat " + flat + " " : "") + house + " "
                + (Vocabulary.STREET_NAMES[name] + " " + Vocabulary.STREET_TYPES[type])
                    .toLowerCase(Locale.ROOT);
            for (int style = 0; style < Noise.STREET_STYLES; style++) {
              String written = Noise.street(a, style);
              assertThat(Addresses.standardizeStreet(written)).as(written).isEqualTo(expected);
            }
          }
        }
      }
    }
  }

  @Test
  void everyPostcodeStyleGivesTheCanonicalPostcode() {
    for (String postcode : List.of("SW1A 1AA", "E1 6AN", "B33 8TH", "EC1 2AB", "M1 1AE",
        "NW20 9ZZ", "G3 0QN")) {
      for (int style = 0; style < Noise.POSTCODE_STYLES; style++) {
        String written = Noise.postcode(postcode, style);
        for (String country : List.of("GB", "UK", "United Kingdom")) {
          assertThat(Addresses.standardizePostcode(written, country)).as(written)
              .isEqualTo(postcode);
        }
      }
    }
  }

  @Test
  void everyCountryTheCrmWritesIsGb() {
    assertThat(List.of("GB", "UK", "United Kingdom")).allSatisfy(
        c -> assertThat(Countries.toIso2(c)).isEqualTo("GB"));
  }

  @Test
  void everyGenderStyleGivesTheGenderOrNullWhenEmpty() {
    for (int style = 0; style < Noise.GENDER_STYLES; style++) {
      String female = Noise.gender(true, style);
      String male = Noise.gender(false, style);
      if (female.isEmpty()) {
        assertThat(Genders.standardize(female)).isNull();
        assertThat(Genders.standardize(male)).isNull();
      } else {
        assertThat(Genders.standardize(female)).as(female).isEqualTo(Genders.FEMALE);
        assertThat(Genders.standardize(male)).as(male).isEqualTo(Genders.MALE);
      }
    }
  }

  @Test
  void everyEmailStyleOfEveryPatternGivesTheCleanEmail() {
    List<String> domains = new ArrayList<>(List.of(Vocabulary.PERSONAL_DOMAINS));
    domains.addAll(List.of(Vocabulary.COMPANY_DOMAINS));
    for (String last : List.of("Smith", "O'Brien", "McDonald")) {
      for (int pattern = 0; pattern < Noise.EMAIL_PATTERNS; pattern++) {
        for (String domain : domains) {
          String email = Noise.emailLocal("Charlotte", last, pattern, 84) + "@" + domain;
          assertThat(Emails.isValid(email)).as(email).isTrue();
          assertThat(Emails.isPlaceholder(email)).as(email).isFalse();
          for (int style = 0; style < Noise.EMAIL_STYLES; style++) {
            String written = Noise.email(email, style);
            assertThat(Emails.standardize(written)).as(written).isEqualTo(email);
          }
        }
      }
    }
  }

  @Test
  void emailTyposStayValidAndUncorrected() {
    String email = "john.smith@gmail.com";
    String domainTypo = Noise.emailTypo(email, 0, 0);
    String localTypo = Noise.emailTypo(email, 1, 3);
    assertThat(Emails.standardize(domainTypo)).isEqualTo(domainTypo).isNotEqualTo(email);
    assertThat(Emails.standardize(localTypo)).isEqualTo(localTypo).isNotEqualTo(email);
    assertThat(Emails.isValid(domainTypo)).isTrue();
    assertThat(Emails.isValid(localTypo)).isTrue();
  }

  @Test
  void junkEmailsAreValidButPlaceholders() {
    for (String junk : Vocabulary.JUNK_EMAILS) {
      assertThat(Emails.isValid(Emails.standardize(junk))).as(junk).isTrue();
      assertThat(Emails.isPlaceholder(Emails.standardize(junk))).as(junk).isTrue();
    }
  }

  @Test
  void everyCaseStyleOfEveryNameGivesOneStandardAndOneDisplayForm() {
    Set<String> names = new HashSet<>(List.of(Vocabulary.MALE_NAMES));
    names.addAll(List.of(Vocabulary.FEMALE_NAMES));
    names.addAll(List.of(Vocabulary.SURNAMES));
    names.addAll(Vocabulary.NICKNAMES.values());
    for (String name : names) {
      String standard = Noise.letters(name);
      for (int style = 0; style < 3; style++) {
        String written = Noise.caseNoise(name, style);
        assertThat(Names.standardize(written)).as(written).isEqualTo(standard);
        assertThat(Names.display(written)).as(written).isEqualTo(name);
      }
    }
  }

  @Test
  void everyTillNameStyleSplitsIntoFirstAndLast() {
    for (String last : List.of("Smith", "O'Brien", "McDonald")) {
      String l = Names.standardize(last);
      String[][] expected = {
        {"j", l}, {"john", l}, {l, null}, {null, null}, {"john", l}, {"j", l}
      };
      for (int style = 0; style < Noise.POS_NAME_STYLES; style++) {
        String written = Noise.posName("John", last, style);
        assertThat(Names.splitFullName(written)).as(written).containsExactly(expected[style]);
      }
    }
  }

  @Test
  void typosAndNicknamesSurviveStandardisation() {
    assertThat(Names.standardize(Noise.typo("Robert", 0, 0))).isEqualTo("rboert");
    assertThat(Names.standardize(Noise.nickname("Robert"))).isEqualTo("bob");
  }
}
