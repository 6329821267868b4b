package org.lakecdp.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.CdpException;

class ComparisonTest {

  private static final Comparison FIRST_NAME = Comparison.of("first_name", ComparatorKind.NAME);
  private static final Comparison STREET = Comparison.of("street", ComparatorKind.STRING);
  private static final Comparison EMAIL = Comparison.of("email", ComparatorKind.EMAIL);
  private static final Comparison PHONE = Comparison.of("phone", ComparatorKind.PHONE);
  private static final Comparison DOB = Comparison.of("dob", ComparatorKind.DATE);
  private static final Comparison POSTCODE =
      Comparison.of("postcode", ComparatorKind.NUMERIC_STRING);
  private static final Comparison COUNTRY = Comparison.of("country", ComparatorKind.EXACT);

  @Test
  void missingValuesGiveMinusOneForEveryKind() {
    for (ComparatorKind kind : ComparatorKind.values()) {
      Comparison c = Comparison.of("f", kind);
      assertThat(c.level(null, "x")).as("%s", kind).isEqualTo(-1);
      assertThat(c.level("x", null)).as("%s", kind).isEqualTo(-1);
      assertThat(c.level("  ", "x")).as("%s", kind).isEqualTo(-1);
      assertThat(c.level("", "")).as("%s", kind).isEqualTo(-1);
      assertThat(c.level("x", "x")).as("%s", kind).isEqualTo(c.exactLevel());
      assertThat(c.levelLabel(-1)).isEqualTo("null");
      assertThat(c.levelLabel(0)).isEqualTo("else");
      assertThat(c.levelLabel(c.exactLevel())).isEqualTo("exact");
    }
  }

  @Test
  void exactHasTwoLevels() {
    assertThat(COUNTRY.levels()).isEqualTo(2);
    assertThat(COUNTRY.level("au", "au")).isEqualTo(1);
    assertThat(COUNTRY.level("au", "nz")).isZero();
    assertThat(COUNTRY.level("au", "AU")).as("values are compared as standardised").isZero();
  }

  @Test
  void nameLevelsFromExactThroughJaroWinklerToPhonetic() {
    assertThat(FIRST_NAME.levels()).isEqualTo(6);
    assertThat(FIRST_NAME.levelLabels()).containsExactly("exact", "jaro_winkler>=0.92",
        "jaro_winkler>=0.8", "nickname", "metaphone_or_initial", "else", "null");
    assertThat(FIRST_NAME.level("john", "john")).isEqualTo(5);
    assertThat(FIRST_NAME.level("jon", "john")).isEqualTo(4); // JW 0.933
    assertThat(FIRST_NAME.level("catherine", "katherine")).isEqualTo(4); // JW 0.926
    assertThat(FIRST_NAME.level("smith", "smyth")).isEqualTo(3); // JW 0.893
    assertThat(FIRST_NAME.level("cathy", "kathy")).isEqualTo(3); // JW 0.867
    assertThat(FIRST_NAME.level("bob", "robert")).isEqualTo(2); // nickname, JW 0.0
    assertThat(FIRST_NAME.level("liz", "elizabeth")).isEqualTo(2);
    assertThat(FIRST_NAME.level("bob", "elizabeth")).isZero();
    assertThat(FIRST_NAME.level("geoff", "jeff")).isEqualTo(1); // JW 0.783, both JF
    assertThat(FIRST_NAME.level("jeff", "geoff")).isEqualTo(1);
    assertThat(FIRST_NAME.level("j", "john")).isEqualTo(1); // initial
    assertThat(FIRST_NAME.level("john", "j")).isEqualTo(1);
    assertThat(FIRST_NAME.level("k", "john")).isZero();
    assertThat(FIRST_NAME.level("smith", "jones")).isZero();
    assertThat(FIRST_NAME.level("mary ann", "ann mary")).isEqualTo(4);
    assertThat(FIRST_NAME.level("mary ann", "ann marx")).isLessThan(4);
    assertThat(FIRST_NAME.level("smith", null)).isEqualTo(-1);
  }

  @Test
  void nameThresholdsAreConfigurable() {
    Comparison strict = new Comparison("first_name", ComparatorKind.NAME, List.of(0.95), 0);
    assertThat(strict.levels()).isEqualTo(5);
    assertThat(strict.levelLabels()).containsExactly("exact", "jaro_winkler>=0.95", "nickname",
        "metaphone_or_initial", "else", "null");
    assertThat(strict.level("jon", "john")).as("below 0.95 but both sound JN").isEqualTo(1);
    assertThat(strict.level("smith", "smyth")).as("both SM0").isEqualTo(1);
    assertThat(strict.level("smith", "jones")).isZero();
  }

  @Test
  void phoneticCacheAgreesWithDirectEncoding() {
    // many more distinct names than the per-thread cache has slots, so slots are overwritten
    DoubleMetaphone metaphone = new DoubleMetaphone();
    SplittableRandom random = new SplittableRandom(3);
    String letters = "aeioubcdfghjklmnpqrstvwxyz";
    int alike = 0;
    for (int i = 0; i < 20_000; i++) {
      String a = word(random, letters);
      String b = random.nextInt(4) == 0 ? a.replace('c', 'k') : word(random, letters);
      Set<String> codesA = new HashSet<>(List.of(metaphone.doubleMetaphone(a, false),
          metaphone.doubleMetaphone(a, true)));
      codesA.remove("");
      boolean expected = codesA.contains(metaphone.doubleMetaphone(b, false))
          || codesA.contains(metaphone.doubleMetaphone(b, true));
      assertThat(Similarity.phoneticallyAlike(a, b)).as("%s / %s", a, b).isEqualTo(expected);
      alike += expected ? 1 : 0;
    }
    assertThat(alike).as("the sample has alike pairs").isGreaterThan(4000);
  }

  private static String word(SplittableRandom random, String letters) {
    char[] w = new char[random.nextInt(2, 7)];
    for (int i = 0; i < w.length; i++) {
      w[i] = letters.charAt(random.nextInt(letters.length()));
    }
    return new String(w);
  }

  @Test
  void stringLevelsFromEditDistanceToJaroWinkler() {
    assertThat(STREET.levelLabels()).containsExactly("exact", "levenshtein<=1",
        "levenshtein<=2", "jaro_winkler>=0.88", "else", "null");
    assertThat(STREET.level("main street", "main street")).isEqualTo(4);
    assertThat(STREET.level("main street", "main stret")).isEqualTo(3);
    assertThat(STREET.level("main street", "mian street")).isEqualTo(2);
    assertThat(STREET.level("kingsford smith drive", "kingsford smith dr")).isEqualTo(1);
    assertThat(STREET.level("high street", "low road")).isZero();
    Comparison wide = new Comparison("street", ComparatorKind.STRING, List.of(3.0), 0);
    assertThat(wide.levelLabels())
        .containsExactly("exact", "levenshtein<=3", "jaro_winkler>=0.88", "else", "null");
    assertThat(wide.level("kingsford smith drive", "kingsford smith dr")).isEqualTo(2);
  }

  @Test
  void emailSameLocalPartOrOneTypo() {
    assertThat(EMAIL.levelLabels())
        .containsExactly("exact", "levenshtein<=1", "same_local_part", "else", "null");
    assertThat(EMAIL.level("jane.doe@gmail.com", "jane.doe@gmail.com")).isEqualTo(3);
    assertThat(EMAIL.level("jane.doe@gmail.com", "jane.doe@yahoo.com.au")).isEqualTo(1);
    assertThat(EMAIL.level("jane.doe@gmail.com", "jane.do@gmail.com")).isEqualTo(2);
    assertThat(EMAIL.level("jane.doe@gmail.com", "jane.doe2@gmail.com"))
        .as("numbered account, not a typo").isZero();
    assertThat(EMAIL.level("jane.doe1@gmail.com", "jane.doe2@gmail.com")).isZero();
    assertThat(EMAIL.level("jane.doe1@gmail.com", "jane.doe1@yahoo.com")).isEqualTo(1);
    assertThat(EMAIL.level("jane.doe1@gmail.com", "jane.dow1@gmail.com")).isEqualTo(2);
    assertThat(EMAIL.level("jane.doe@gmail.com", "jane.doe@gmail.co")).isEqualTo(2);
    assertThat(EMAIL.level("jane.doe@gmail.com", "john.doe@gmail.com")).isZero();
    assertThat(EMAIL.level("jane@x.com", "jane2@y.com")).isZero();
  }

  @Test
  void phoneTrailingDigitsOrOneEdit() {
    assertThat(PHONE.level("+61412345678", "+61412345678")).isEqualTo(2);
    assertThat(PHONE.level("+61412345678", "+64412345678")).as("other country").isEqualTo(1);
    assertThat(PHONE.level("+61412345678", "+61412345687")).as("transposed").isEqualTo(1);
    assertThat(PHONE.level("+61412345678", "+61412345679")).as("one digit").isEqualTo(1);
    assertThat(PHONE.level("+61412345678", "+6141234567")).as("one digit lost").isEqualTo(1);
    assertThat(PHONE.level("+61412345678", "+61412354687")).as("two swaps").isZero();
    assertThat(PHONE.level("+61412345678", "+61498765432")).isZero();
    assertThat(PHONE.level("+1234", "+1243")).isEqualTo(1);
    assertThat(PHONE.level("+1234", "+4321")).isZero();
  }

  @Test
  void dateSwappedTypoAndTolerance() {
    assertThat(DOB.levelLabels())
        .containsExactly("exact", "day_month_swapped", "levenshtein<=1", "else", "null");
    assertThat(DOB.level("1980-03-04", "1980-03-04")).isEqualTo(3);
    assertThat(DOB.level("1980-03-04", "1980-04-03")).isEqualTo(2);
    assertThat(DOB.level("1980-03-04", "1979-04-03")).as("swapped, other year").isZero();
    assertThat(DOB.level("1980-03-04", "1980-03-14")).isEqualTo(1);
    assertThat(DOB.level("1980-03-04", "1981-03-04")).isEqualTo(1);
    assertThat(DOB.level("1980-03-04", "1980-03-25")).isZero();
    assertThat(DOB.level("1980-03-04", "1980-05-20")).isZero();
    assertThat(DOB.level("unknown", "unknowm")).as("not a date, still a typo").isEqualTo(1);

    Comparison within = Comparison.date("dob", 30);
    assertThat(within.levelLabels()).containsExactly("exact", "day_month_swapped",
        "levenshtein<=1", "within 30 days", "else", "null");
    assertThat(within.level("1980-03-04", "1980-03-04")).isEqualTo(4);
    assertThat(within.level("1980-03-04", "1980-04-03")).isEqualTo(3);
    assertThat(within.level("1980-03-04", "1980-03-14")).isEqualTo(2);
    assertThat(within.level("1980-03-04", "1980-03-25")).isEqualTo(1);
    assertThat(within.level("1980-12-20", "1981-01-18")).as("29 days over new year")
        .isEqualTo(1);
    assertThat(within.level("1980-12-20", "1981-01-20")).as("31 days").isZero();
    assertThat(within.level("1980-03-04", "1980-05-20")).isZero();
    assertThat(within.level("1980-13-04", "1980-13-25")).as("no month 13").isZero();
  }

  @Test
  void epochDayAgreesWithLocalDate() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      LocalDate d = LocalDate.ofEpochDay(random.nextLong(
          LocalDate.of(1, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay() + 1));
      assertThat(Similarity.epochDay(d.toString())).as("%s", d).isEqualTo(d.toEpochDay());
    }
    assertThat(Similarity.epochDay("1980-00-04")).isEqualTo(Long.MIN_VALUE);
    assertThat(Similarity.epochDay("1980/03/04")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void boundedEditDistanceAgreesWithCommonsText() {
    SplittableRandom random = new SplittableRandom(5);
    LevenshteinDistance full = LevenshteinDistance.getDefaultInstance();
    int[] seen = new int[4];
    for (int i = 0; i < 50_000; i++) {
      String a = word(random, "abc");
      String b = random.nextBoolean() ? word(random, "abc") : typo(random, a);
      int distance = full.apply(a, b);
      for (int max = 1; max <= 3; max++) {
        assertThat(Similarity.levenshtein(a, b, max)).as("%s / %s within %s", a, b, max)
            .isEqualTo(distance <= max ? distance : -1);
      }
      seen[Math.min(distance, 3)]++;
    }
    assertThat(seen).as("distances 0, 1, 2, 3+ all occur").doesNotContain(0);
  }

  private static String typo(SplittableRandom random, String s) {
    StringBuilder sb = new StringBuilder(s);
    int i = random.nextInt(s.length());
    switch (random.nextInt(3)) {
      case 0 -> sb.deleteCharAt(i);
      case 1 -> sb.insert(i, 'x');
      default -> sb.setCharAt(i, 'y');
    }
    return sb.toString();
  }

  @Test
  void numericStringExactOrOneEdit() {
    assertThat(POSTCODE.levelLabels()).containsExactly("exact", "levenshtein<=1", "else", "null");
    assertThat(POSTCODE.level("2000", "2000")).isEqualTo(2);
    assertThat(POSTCODE.level("2000", "2001")).isEqualTo(1);
    assertThat(POSTCODE.level("2000", "200")).isEqualTo(1);
    assertThat(POSTCODE.level("2000", "3100")).isZero();
    assertThat(POSTCODE.level("123456789", "123465789")).as("transposition is 2 edits").isZero();
  }

  @Test
  void levelsAreSymmetric() {
    List<String[]> pairs = List.of(new String[] {"geoff", "jeff"},
        new String[] {"j", "john"}, new String[] {"main street", "mian street"},
        new String[] {"+61412345678", "+61412345687"}, new String[] {"1980-03-04", "1980-04-03"},
        new String[] {"jane.doe@gmail.com", "jane.doe@yahoo.com.au"});
    for (ComparatorKind kind : ComparatorKind.values()) {
      Comparison c = Comparison.of("f", kind);
      for (String[] p : pairs) {
        assertThat(c.level(p[0], p[1])).as("%s %s", kind, List.of(p)).isEqualTo(
            c.level(p[1], p[0]));
      }
    }
  }

  @Test
  void swappedLevelWhenEachValueAgreesWithTheOtherRecordsSwapField() {
    Comparison first = new Comparison("first_name", ComparatorKind.NAME, null, 0, "last_name");
    assertThat(first.levelLabels()).containsExactly("exact", "jaro_winkler>=0.92",
        "jaro_winkler>=0.8", "nickname", "metaphone_or_initial", "swapped_with_last_name",
        "else", "null");
    assertThat(first.levels()).isEqualTo(FIRST_NAME.levels() + 1);
    // ann lee / lee ann: each name is the other record's surname
    assertThat(first.level("ann", "lee", "lee", "ann")).isEqualTo(1);
    assertThat(first.level("danjel", "ang", "ang", "daneql"))
        .as("a typo in one crossing still counts (Jaro-Winkler >= 0.8)").isEqualTo(1);
    assertThat(first.level("ann", "lee", "lee", "brown"))
        .as("only one crossing agrees").isEqualTo(0);
    assertThat(first.level("ann", "lee", null, "ann")).as("swap value missing").isEqualTo(0);
    assertThat(first.level("ann", "lee")).as("no swap values given").isEqualTo(0);
    assertThat(first.level(null, "lee", "lee", "ann")).isEqualTo(-1);
    // agreeing values keep their level, one above the same level without swap-with
    assertThat(first.level("ann", "ann", "lee", "lee")).isEqualTo(first.exactLevel())
        .isEqualTo(FIRST_NAME.exactLevel() + 1);
    assertThat(first.level("bob", "robert", "lee", "lee"))
        .isEqualTo(FIRST_NAME.level("bob", "robert") + 1);
    assertThat(first.level("ann", "lee", "lee", "ann"))
        .isEqualTo(first.level("lee", "ann", "ann", "lee"));

    Comparison street = new Comparison("street", ComparatorKind.STRING, null, 0,
        "address_line2");
    assertThat(street.level("reader court", "villa 2", "villa 2", "reader court"))
        .isEqualTo(1);
    assertThat(street.level("reader court", "villa 2", "villa 2", "raeder court"))
        .as("two letters transposed in a crossing is near enough (levenshtein<=2)").isEqualTo(1);
    assertThat(street.levelLabel(1)).isEqualTo("swapped_with_address_line2");
    Comparison country = new Comparison("country", ComparatorKind.EXACT, null, 0, "state");
    assertThat(country.levelLabels()).containsExactly("exact", "swapped_with_state", "else",
        "null");
    assertThat(country.level("au", "nsw", "nsw", "au")).isEqualTo(1);
    assertThat(country.level("au", "nsw", "nsw", "aus")).isEqualTo(0);
  }

  @Test
  void badSettingsAreNamedWithTheirValue() {
    assertThatThrownBy(
        () -> new Comparison("first_name", ComparatorKind.NAME, List.of(0.8, 0.92), 0))
        .isInstanceOf(CdpException.class)
        .hasMessage("comparison 'first_name': thresholds of kind NAME must be Jaro-Winkler"
            + " similarities in (0,1), strictly descending: [0.8, 0.92]");
    assertThatThrownBy(() -> new Comparison("street", ComparatorKind.STRING, List.of(1.5), 0))
        .hasMessage("comparison 'street': thresholds of kind STRING must be edit distances,"
            + " whole numbers in [1,10], strictly ascending: [1.5]");
    assertThatThrownBy(() -> new Comparison("email", ComparatorKind.EMAIL, List.of(1.0), 0))
        .hasMessage("comparison 'email': thresholds are not used by kind EMAIL; leave them"
            + " empty: [1.0]");
    assertThatThrownBy(() -> new Comparison("zip", ComparatorKind.NUMERIC_STRING, null, 3))
        .hasMessage("comparison 'zip': dateToleranceDays must be 0, or >= 0 for kind DATE: 3"
            + " for kind NUMERIC_STRING");
    assertThatThrownBy(() -> new Comparison(" ", ComparatorKind.EXACT, null, 0))
        .hasMessage("comparison name must not be blank:  ");
    assertThatThrownBy(() -> new Comparison("street", ComparatorKind.STRING, null, 0, "street"))
        .hasMessage("comparison 'street': swapWith must name another field, or be null for"
            + " none: 'street'");
    assertThatThrownBy(() -> DOB.levelLabel(4))
        .hasMessage("comparison 'dob' (DATE) has levels -1..3: 4");
  }

  @Test
  void survivesJavaSerialisation() throws Exception {
    for (Comparison c : List.of(FIRST_NAME, STREET, Comparison.date("dob", 30), POSTCODE,
        new Comparison("first_name", ComparatorKind.NAME, null, 0, "last_name"))) {
      Comparison copy = roundTrip(c);
      assertThat(copy).isEqualTo(c);
      assertThat(copy.level("catherine", "katherine")).isEqualTo(
          c.level("catherine", "katherine"));
    }
  }

  @Test
  void givesTheSameLevelsFromManyThreads() {
    SplittableRandom random = new SplittableRandom(11);
    String[] names = {"john", "jon", "jonathan", "geoff", "jeff", "catherine", "katherine",
        "kathy", "cathy", "smith", "smyth", "schmidt", "j", "mary ann", "ann mary", "mohammed",
        "muhammad", "sean", "shaun", "stephen", "steven"};
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      pairs.add(new String[] {names[random.nextInt(names.length)] + (random.nextInt(300)),
          names[random.nextInt(names.length)] + (random.nextInt(300))});
    }
    int[] sequential = pairs.stream().mapToInt(p -> FIRST_NAME.level(p[0], p[1])).toArray();
    int[] parallel = IntStream.range(0, pairs.size()).parallel()
        .map(i -> FIRST_NAME.level(pairs.get(i)[0], pairs.get(i)[1])).toArray();
    assertThat(parallel).isEqualTo(sequential);
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
