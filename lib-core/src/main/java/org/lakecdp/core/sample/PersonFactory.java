package org.lakecdp.core.sample;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Builds person {@code i} as a pure function of (seed, i): the same person comes out in the
 * preparation pass and in the shard that simulates them, whatever thread runs it.
 *
 * <p>The email it proposes is a candidate; {@link SampleDataGenerator} makes emails unique.
 */
final class PersonFactory {
  private static final int STREAM_PERSON = 1;
  private static final int STREAM_SURNAME = 2;
  private static final int STREAM_ADDRESS = 3;
  private static final int STREAM_HOUSEHOLD = 4;
  private static final Rand.Weighted MALE = Rand.Weighted.zipf(Vocabulary.MALE_NAMES.length, 0.7);
  private static final Rand.Weighted FEMALE =
      Rand.Weighted.zipf(Vocabulary.FEMALE_NAMES.length, 0.7);
  private static final Rand.Weighted SURNAME = Rand.Weighted.zipf(Vocabulary.SURNAMES.length, 0.9);
  private static final Rand.Weighted DOMAIN = new Rand.Weighted(Vocabulary.PERSONAL_DOMAIN_WEIGHTS);
  private static final Rand.Weighted CITY = cityWeights();
  private static final Rand.Weighted CATEGORY = Rand.Weighted.zipf(Vocabulary.CATEGORIES.length,
      0.5);
  private static final String POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
  private static final long DOB_FROM = LocalDate.of(1940, 1, 1).toEpochDay();
  private static final long DOB_TO = LocalDate.of(2006, 12, 31).toEpochDay();

  private final long seed;
  private final int days;
  private final Ids ids;

  PersonFactory(long seed, int days, Ids ids) {
    this.seed = seed;
    this.days = days;
    this.ids = ids;
  }

  Person create(int index) {
    SplittableRandom rng = new SplittableRandom(Ids.personSeed(seed, index, STREAM_PERSON));
    boolean female = rng.nextBoolean();
    String first = female ? Vocabulary.FEMALE_NAMES[FEMALE.pick(rng)]
        : Vocabulary.MALE_NAMES[MALE.pick(rng)];
    int head = householdHead(index);
    String last = head != index && Rand.chance(rng, 0.6) ? surname(head) : surname(index);
    LocalDate dob = LocalDate.ofEpochDay(DOB_FROM + rng.nextLong(DOB_TO - DOB_FROM + 1));
    String email = candidateEmail(rng, first, last, dob);
    String alt = Rand.chance(rng, 0.12) ? candidateEmail(rng, first, last, dob) : null;
    Person.Channel channel = channel(rng);
    boolean inCrm = Rand.chance(rng, switch (channel) {
      case ONLINE -> 0.75;
      case BOTH -> 0.65;
      case OFFLINE -> 0.35;
    });
    boolean loyal = inCrm && channel != Person.Channel.ONLINE && Rand.chance(rng, 0.6);
    int signup = Rand.chance(rng, 0.75) ? -1 - rng.nextInt(5 * 365) : rng.nextInt(days);
    int churn = Integer.MAX_VALUE;
    int activeFrom = Math.max(signup, 0) + 1;
    if (Rand.chance(rng, 0.3) && activeFrom < days) {
      churn = activeFrom + rng.nextInt(days - activeFrom);
    }
    double rate = Math.min(60, Math.round(Rand.logNormal(rng, Math.log(1.5), 0.9) * 100) / 100.0);
    int[] categories = categories(rng);
    double valueMu = Math.log(30) + 0.5 * rng.nextGaussian();
    double appShare = channel == Person.Channel.OFFLINE ? 0.15 : 0.45;
    boolean app = Rand.chance(rng, appShare);
    int cookies = rng.nextDouble() < 0.5 ? 1 : rng.nextDouble() < 0.7 ? 2 : 3;
    int devices = Rand.chance(rng, 0.3) ? 2 : 1;
    boolean subscriber = Rand.chance(rng, inCrm ? 0.55 : 0.12);
    double engagement = 0.05 + 0.8 * Math.pow(rng.nextDouble(), 1.5);
    boolean junk = Rand.chance(rng, 0.02);
    boolean duplicate = inCrm && Rand.chance(rng, 0.05);
    return new Person(index, Ids.personId(index), female, first, last, email, alt,
        ids.mobile(index), dob, address(head), inCrm ? ids.crmId(index, false) : null,
        duplicate ? ids.crmId(index, true) : null, loyal ? ids.loyaltyCard(index) : null, signup,
        churn, rate, channel, categories, valueMu, app, cookies, devices, subscriber, engagement,
        junk);
  }

  /** Persons join the household of the person before them now and then, up to four deep. */
  private int householdHead(int index) {
    int head = index;
    for (int depth = 0; depth < 3 && head > 0; depth++) {
      SplittableRandom rng = new SplittableRandom(Ids.personSeed(seed, head, STREAM_HOUSEHOLD));
      if (!Rand.chance(rng, 0.08)) {
        break;
      }
      head--;
    }
    return head;
  }

  private String surname(int index) {
    SplittableRandom rng = new SplittableRandom(Ids.personSeed(seed, index, STREAM_SURNAME));
    return Vocabulary.SURNAMES[SURNAME.pick(rng)];
  }

  private Address address(int index) {
    SplittableRandom rng = new SplittableRandom(Ids.personSeed(seed, index, STREAM_ADDRESS));
    Vocabulary.City city = Vocabulary.CITIES[CITY.pick(rng)];
    String area = Rand.pick(rng, city.areas());
    String postcode = area + (1 + rng.nextInt(area.length() == 1 ? 30 : 20)) + " "
        + rng.nextInt(10) + POSTCODE_LETTERS.charAt(rng.nextInt(POSTCODE_LETTERS.length()))
        + POSTCODE_LETTERS.charAt(rng.nextInt(POSTCODE_LETTERS.length()));
    int flat = Rand.chance(rng, 0.2) ? 1 + rng.nextInt(24) : 0;
    return new Address(flat, 1 + rng.nextInt(rng.nextBoolean() ? 40 : 180),
        rng.nextInt(Vocabulary.STREET_NAMES.length), rng.nextInt(Vocabulary.STREET_TYPES.length),
        city.name(), postcode);
  }

  private static String candidateEmail(SplittableRandom rng, String first, String last,
      LocalDate dob) {
    int pattern = rng.nextInt(Noise.EMAIL_PATTERNS);
    int number = rng.nextBoolean() ? dob.getYear() % 100 : 1 + rng.nextInt(999);
    String domain = Rand.chance(rng, 0.12) ? Rand.pick(rng, Vocabulary.COMPANY_DOMAINS)
        : Vocabulary.PERSONAL_DOMAINS[DOMAIN.pick(rng)];
    return Noise.emailLocal(first, last, pattern, number) + "@" + domain;
  }

  private static Person.Channel channel(SplittableRandom rng) {
    double x = rng.nextDouble();
    return x < 0.4 ? Person.Channel.ONLINE : x < 0.65 ? Person.Channel.OFFLINE
        : Person.Channel.BOTH;
  }

  private static int[] categories(SplittableRandom rng) {
    int n = 1 + rng.nextInt(3);
    int[] picked = new int[n];
    int count = 0;
    while (count < n) {
      int c = CATEGORY.pick(rng);
      boolean seen = false;
      for (int i = 0; i < count; i++) {
        seen |= picked[i] == c;
      }
      if (!seen) {
        picked[count++] = c;
      }
    }
    return picked;
  }

  private static Rand.Weighted cityWeights() {
    double[] w = new double[Vocabulary.CITIES.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = Vocabulary.CITIES[i].weight();
    }
    return new Rand.Weighted(w);
  }
}
