package org.lakecdp.core.sample;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SampleSettings;

class SampleDataGeneratorTest {
  private static final LocalDate END = LocalDate.of(2024, 12, 31);
  private static final int PERSONS = 500;
  private static final int DAYS = 365;

  @TempDir
  static Path shared;
  static GenerationReport report;
  static List<LandingReader.Line> lines;
  static List<String> progress = new ArrayList<>();

  @BeforeAll
  static void generate() {
    report = SampleDataGenerator.generate(settings(shared, 7), progress::add);
    lines = LandingReader.read(shared);
  }

  private static SampleSettings settings(Path root, long seed) {
    return new SampleSettings(root.toString(), PERSONS, DAYS, END, seed);
  }

  @Test
  void sameSettingsGiveByteIdenticalFiles(@TempDir Path other) throws IOException {
    SampleDataGenerator.generate(settings(other, 7), line -> { });
    Map<String, byte[]> first = contents(shared);
    Map<String, byte[]> second = contents(other);
    assertThat(second.keySet()).isEqualTo(first.keySet());
    assertThat(first).hasSizeGreaterThan(1000);
    for (Map.Entry<String, byte[]> e : first.entrySet()) {
      assertThat(second.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void anotherSeedGivesOtherData(@TempDir Path other) throws IOException {
    SampleDataGenerator.generate(settings(other, 8), line -> { });
    assertThat(Files.readAllBytes(other.resolve("truth/persons.csv")))
        .isNotEqualTo(Files.readAllBytes(shared.resolve("truth/persons.csv")));
    assertThat(Files.readAllBytes(other.resolve("truth/records.csv")))
        .isNotEqualTo(Files.readAllBytes(shared.resolve("truth/records.csv")));
  }

  @Test
  void reportCountsMatchTheFiles() throws IOException {
    Map<String, Long> perSource = lines.stream()
        .collect(groupingBy(l -> l.source().dir(), TreeMap::new, counting()));
    assertThat(report.recordsPerSource()).containsExactlyInAnyOrderEntriesOf(perSource);
    assertThat(report.recordsPerSource().keySet()).containsExactly("web", "app", "orders", "pos",
        "email", "crm", "support", "consent");
    assertThat(report.totalRecords()).isEqualTo(lines.size());
    assertThat(report.persons()).isEqualTo(PERSONS);
    assertThat(Files.readAllLines(shared.resolve("truth/persons.csv"))).hasSize(PERSONS + 1);
    assertThat(report.malformedLines()).isEqualTo(malformedTruth().size());
    assertThat(report.root()).isEqualTo(shared);
  }

  @Test
  void averagesAboutTwentyRecordsPerPersonAndYear() {
    assertThat(report.totalRecords() / (double) PERSONS).isBetween(12.0, 30.0);
    assertThat(report.recordsPerSource().values()).allMatch(n -> n > 0);
  }

  /**
   * Realistic behaviour: about 30% of persons stop buying at some point of the history, purchase
   * rates spread over an order of magnitude, and the weeks before Christmas sell more than the
   * rest of the year, online and in store.
   */
  @Test
  void somePersonsChurnRatesVaryAndTheHolidaysSellMore() {
    PersonFactory factory = new PersonFactory(7, DAYS, new Ids(7));
    List<Person> persons = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      persons.add(factory.create(i));
    }
    double churned = persons.stream().filter(p -> p.churnDay() < DAYS).count()
        / (double) persons.size();
    assertThat(churned).isBetween(0.2, 0.35);
    double[] rates = persons.stream().mapToDouble(Person::purchasesPerYear).sorted().toArray();
    assertThat(rates[rates.length * 9 / 10] / rates[rates.length / 10])
        .as("the 90th percentile of purchase rates over the 10th").isGreaterThan(5);

    for (Source source : List.of(Source.ORDERS, Source.POS)) {
      Map<Boolean, Long> byPart = lines.stream().filter(l -> l.source() == source)
          .filter(l -> l.day().getMonthValue() >= 2 && l.day().getMonthValue() <= 12
              && !l.day().isAfter(LocalDate.of(2024, 12, 20)))
          .collect(groupingBy(l -> l.day().isAfter(LocalDate.of(2024, 11, 19)), counting()));
      double holidays = byPart.get(true) / 31.0;   // 20 November to 20 December
      double rest = byPart.get(false) / (double) java.time.temporal.ChronoUnit.DAYS.between(
          LocalDate.of(2024, 2, 1), LocalDate.of(2024, 11, 20));
      assertThat(holidays / rest).as(source + ": records a day, holidays over February to"
          + " mid-November").isGreaterThan(1.3);
    }
  }

  @Test
  void malformedLinesAreExactlyThoseListedInTheTruth() {
    List<String> found = lines.stream().filter(l -> l.problem() != null)
        .map(l -> l.source().dir() + "," + l.file() + "," + l.problem()).sorted().toList();
    List<String> listed = malformedTruth().stream().sorted().toList();
    assertThat(found).isEqualTo(listed);
  }

  @Test
  void everySourceWithTwoThousandLinesCarriesEveryKindOfBreakage() {
    for (Source source : Source.values()) {
      if (report.recordsPerSource().get(source.dir()) < 2000) {
        continue;
      }
      Set<String> kinds = lines.stream()
          .filter(l -> l.source() == source && l.problem() != null)
          .map(LandingReader.Line::problem).collect(toSet());
      assertThat(kinds).as(source.dir()).containsExactlyInAnyOrderElementsOf(
          source.malformations().stream().map(Malformation::reason).toList());
    }
    assertThat(report.recordsPerSource().get("web")).isGreaterThan(2000);
  }

  @Test
  void somethingIsDeliveredTwiceInTheSameFileAndInTheNextDaysFile() {
    Map<String, List<LandingReader.Line>> byText = new HashMap<>();
    for (LandingReader.Line l : lines) {
      byText.computeIfAbsent(l.source() + l.text(), k -> new ArrayList<>()).add(l);
    }
    long repeats = 0;
    int sameFile = 0;
    int nextDay = 0;
    for (List<LandingReader.Line> copies : byText.values()) {
      repeats += copies.size() - 1;
      if (copies.size() == 2) {
        LandingReader.Line a = copies.get(0);
        LandingReader.Line b = copies.get(1);
        if (a.file().equals(b.file())) {
          sameFile++;
        } else {
          assertThat(b.day()).isEqualTo(a.day().plusDays(1));
          nextDay++;
        }
      }
    }
    assertThat(repeats).isEqualTo(report.duplicateRecords()).isPositive();
    assertThat(sameFile).isPositive();
    assertThat(nextDay).isPositive();
  }

  @Test
  void ordersRenameEmailAtSixtyPercentOfHistory() {
    LocalDate renamed = END.minusDays(DAYS - 1).plusDays(World.renameDay(DAYS));
    int before = 0;
    int after = 0;
    for (LandingReader.Line l : lines) {
      if (l.source() != Source.ORDERS || l.problem() != null) {
        continue;
      }
      LocalDate day = OffsetDateTime.parse(l.json().get("created_at").asText())
          .withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
      boolean late = !day.isBefore(renamed);
      assertThat(l.json().get("customer").has("email")).as(l.text()).isEqualTo(!late);
      assertThat(l.json().get("customer").has("email_address")).as(l.text()).isEqualTo(late);
      if (late) {
        after++;
      } else {
        before++;
      }
    }
    assertThat(before).isPositive();
    assertThat(after).isPositive();
  }

  @Test
  void crmHeaderSaysMobileFromSixtyPercentOfHistory() {
    LocalDate renamed = END.minusDays(DAYS - 1).plusDays(World.renameDay(DAYS));
    Set<String> early = new HashSet<>();
    Set<String> late = new HashSet<>();
    for (LandingReader.Line l : lines) {
      if (l.source() == Source.CRM) {
        (l.day().isBefore(renamed) ? early : late).add(l.header());
      }
    }
    assertThat(early).containsExactly("crm_id,first_name,last_name,email,phone,street,city,"
        + "postcode,country,date_of_birth,gender,loyalty_card,updated_at");
    assertThat(late).containsExactly("crm_id,first_name,last_name,email,mobile,street,city,"
        + "postcode,country,date_of_birth,gender,loyalty_card,updated_at");
  }

  @Test
  void truthListsExactlyTheRecordsOfTheLanding() throws IOException {
    Map<String, Set<String>> truthKeys = new HashMap<>();
    Map<String, String> personOf = new HashMap<>();
    for (String row : tail(shared.resolve("truth/records.csv"))) {
      String[] f = row.split(",");
      assertThat(personOf.put(f[0] + "/" + f[1], f[2])).as(row).isNull();
      truthKeys.computeIfAbsent(f[0], k -> new HashSet<>()).add(f[1]);
    }
    Set<String> persons = new HashSet<>();
    for (String row : tail(shared.resolve("truth/persons.csv"))) {
      persons.add(row.substring(0, row.indexOf(',')));
    }
    assertThat(new HashSet<>(personOf.values())).isSubsetOf(persons);
    for (Source source : Source.values()) {
      if (!source.inTruth()) {
        assertThat(truthKeys).doesNotContainKey(source.dir());
        continue;
      }
      Set<String> landing = lines.stream().filter(l -> l.source() == source)
          .map(LandingReader::key).collect(toSet());
      assertThat(truthKeys.get(source.dir())).as(source.dir()).isEqualTo(landing);
    }
  }

  @Test
  void cookiesAndDevicesOfTheTruthAreThoseSeen() throws IOException {
    Set<String> cookies = lines.stream().filter(l -> l.source() == Source.WEB && l.json() != null)
        .map(l -> l.json().get("cookie_id").asText()).collect(toSet());
    Set<String> devices = lines.stream().filter(l -> l.source() == Source.APP && l.json() != null)
        .map(l -> l.json().get("device").get("id").asText()).collect(toSet());
    Set<String> truthCookies = firstColumn(shared.resolve("truth/cookies.csv"));
    Set<String> truthDevices = firstColumn(shared.resolve("truth/devices.csv"));
    assertThat(truthCookies).containsAll(cookies);
    assertThat(truthDevices).containsAll(devices);
    assertThat(truthCookies.size()).isLessThanOrEqualTo(cookies.size() + 5);
  }

  @Test
  void personsHaveUniqueEmailsAndTheTruthFolderIsDocumented() throws IOException {
    List<String> emails = tail(shared.resolve("truth/persons.csv")).stream()
        .map(r -> Text.splitCsv(r).get(3)).toList();
    assertThat(new HashSet<>(emails)).hasSize(PERSONS);
    assertThat(Files.readString(shared.resolve("truth/README.txt")))
        .contains("records.csv", "cookies.csv", "devices.csv", "malformed.csv", "persons.csv");
    assertThat(shared.resolve("truth/.parts")).doesNotExist();
  }

  @Test
  void everyDayFileHoldsAtLeastOneRecordAndLiesInItsDayFolder() throws IOException {
    try (Stream<Path> files = Files.walk(shared.resolve("landing"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        int minimum = f.toString().endsWith(".csv") ? 2 : 1;
        assertThat(Files.readAllLines(f)).as(f.toString()).hasSizeGreaterThanOrEqualTo(minimum);
        assertThat(f.getFileName().toString()).matches("[a-z-]+-part-[01]\\.(csv|jsonl)");
        LocalDate day = LocalDate.parse(f.getParent().getFileName().toString());
        assertThat(day).isBetween(END.minusDays(DAYS - 1), END);
      }
    }
  }

  @Test
  void webEventsCarryAnEmailOnlyOnceLoggedIn() {
    long withEmail = lines.stream().filter(l -> l.source() == Source.WEB && l.json() != null
        && l.json().has("user_email")).count();
    long logins = lines.stream().filter(l -> l.source() == Source.WEB && l.json() != null
        && l.json().get("event").asText().equals("login")).count();
    assertThat(logins).isPositive();
    assertThat(withEmail).isGreaterThanOrEqualTo(logins);
  }

  @Test
  void progressIsReportedInTenths() {
    assertThat(progress).anyMatch(p -> p.startsWith("simulated 10%"))
        .anyMatch(p -> p.startsWith("simulated 100%")).anyMatch(p -> p.startsWith("done:"));
  }

  @Test
  void regeneratingReplacesEarlierOutput(@TempDir Path root) throws IOException {
    Path stray = root.resolve("landing/web/1999-01-01/old.jsonl");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "{}\n");
    new SampleSettings(root.toString(), 20, 10, END, 1);
    SampleDataGenerator.generate(new SampleSettings(root.toString(), 20, 10, END, 1), p -> { });
    assertThat(stray.getParent()).doesNotExist();
    assertThat(root.resolve("truth/records.csv")).exists();
  }

  @Test
  void refusesMorePersonsThanCrmIdsCanNumber() {
    SampleSettings tooMany = new SampleSettings("unused", 6_000_000, 10, END, 1);
    assertThatThrownBy(() -> SampleDataGenerator.generate(tooMany, p -> { }))
        .isInstanceOf(CdpException.class)
        .hasMessage("cdp.sample.persons must be at most 5000000: 6000000");
  }

  private static List<String> malformedTruth() {
    try {
      return tail(shared.resolve("truth/malformed.csv"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> tail(Path csv) throws IOException {
    List<String> all = Files.readAllLines(csv);
    return all.subList(1, all.size());
  }

  private static Set<String> firstColumn(Path csv) throws IOException {
    return tail(csv).stream().map(r -> r.substring(0, r.indexOf(','))).collect(toSet());
  }

  private static Map<String, byte[]> contents(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }
}
