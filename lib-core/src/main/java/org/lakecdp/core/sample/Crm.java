package org.lakecdp.core.sample;

import java.util.SplittableRandom;

/**
 * The CRM rows of one person: the registration (or, for registrations before the history, the
 * initial load on day 0), later updates that re-export the whole row, and for a few persons a
 * second registration under another crm id. Every row is a full record with its own noise.
 */
final class Crm {
  private final Life life;
  private final SplittableRandom rng;
  private final Person person;

  /** How one CRM record writes the person; updates change one choice at a time. */
  private static final class Style {
    String crmId;
    String first;
    String last;
    String email;
    int phone;
    int street;
    int postcode;
    int dob;
    int gender;
    String country;
  }

  private static final int MISSING = -1;
  private static final int JUNK = -2;

  Crm(Life life) {
    this.life = life;
    this.rng = life.rng;
    this.person = life.person;
  }

  /** Writes every CRM row of the person; nothing for persons who never registered. */
  void rows() {
    if (!person.inCrm()) {
      return;
    }
    int days = life.world.days();
    long created = life.signupTime;
    Style primary = primary();
    row(created, primary, true);
    int from = life.activeFrom();
    int updates = Rand.poisson(rng, 0.35 * (days - from) / 365.0);
    for (int i = 0; i < updates; i++) {
      update(primary);
      long t = life.world.onlineInstant(rng, from + rng.nextInt(days - from));
      row(Math.max(t, created + 60_000L + rng.nextInt(3_600_000)), primary, false);
    }
    if (person.duplicateCrmId() != null) {
      int day = person.signupDay() + 1 + rng.nextInt(Math.max(1, days - person.signupDay() - 1));
      row(life.world.onlineInstant(rng, day), duplicate(primary), true);
    }
  }

  private Style primary() {
    Style s = new Style();
    s.crmId = person.crmId();
    double r = rng.nextDouble();
    s.first = r < 0.85 ? person.firstName() : r < 0.92 ? Noise.nickname(person.firstName())
        : r < 0.96 ? typo(person.firstName()) : Noise.caseNoise(person.firstName(), 1);
    r = rng.nextDouble();
    s.last = r < 0.9 ? person.lastName() : r < 0.95 ? typo(person.lastName())
        : Noise.caseNoise(person.lastName(), 1 + rng.nextInt(2));
    s.email = person.junk() && Rand.chance(rng, 0.3) ? Rand.pick(rng, Vocabulary.JUNK_EMAILS)
        : Rand.chance(rng, 0.9) ? person.email()
        : Noise.email(person.email(), rng.nextInt(Noise.EMAIL_STYLES));
    s.phone = person.junk() && Rand.chance(rng, 0.3) ? JUNK
        : Rand.chance(rng, 0.1) ? MISSING : rng.nextInt(Noise.PHONE_STYLES);
    s.street = rng.nextInt(Noise.STREET_STYLES);
    s.postcode = Rand.chance(rng, 0.6) ? 0 : rng.nextInt(Noise.POSTCODE_STYLES);
    s.dob = Rand.chance(rng, 0.15) ? MISSING : rng.nextInt(Noise.DOB_STYLES);
    s.gender = rng.nextInt(Noise.GENDER_STYLES);
    double c = rng.nextDouble();
    s.country = c < 0.85 ? "GB" : c < 0.95 ? "UK" : "United Kingdom";
    return s;
  }

  private void update(Style s) {
    switch (rng.nextInt(5)) {
      case 0 -> s.phone = rng.nextInt(Noise.PHONE_STYLES);
      case 1 -> s.dob = rng.nextInt(Noise.DOB_STYLES);
      case 2 -> s.street = rng.nextInt(Noise.STREET_STYLES);
      case 3 -> s.first = person.firstName();
      default -> s.email = person.email();
    }
  }

  private Style duplicate(Style primary) {
    Style s = primary();
    s.crmId = person.duplicateCrmId();
    if (Rand.chance(rng, 0.5)) {
      s.first = Noise.nickname(person.firstName());
    }
    double r = rng.nextDouble();
    if (r < 0.4 && person.altEmail() != null) {
      s.email = person.altEmail();
    } else if (r < 0.6) {
      s.email = Noise.emailTypo(person.email(), rng.nextInt(2), rng.nextInt(20));
    }
    s.phone = Rand.chance(rng, 0.3) ? MISSING : (primary.phone + 1 + rng.nextInt(3))
        % Noise.PHONE_STYLES;
    s.street = (Math.max(0, primary.street) + 1) % Noise.STREET_STYLES;
    s.dob = Rand.chance(rng, 0.4) ? MISSING : s.dob;
    return s;
  }

  private void row(long t, Style s, boolean creation) {
    Address a = person.address();
    String phone = switch (s.phone) {
      case MISSING -> "";
      case JUNK -> Vocabulary.JUNK_PHONE;
      default -> Noise.phone(person.mobile(), s.phone);
    };
    StringBuilder updated = new StringBuilder(20);
    life.calendar.appendSqlSeconds(updated, t);
    String line = Text.csvLine(s.crmId, s.first, s.last, s.email, phone, Noise.street(a, s.street),
        a.city(), Noise.postcode(a.postcode(), s.postcode), s.country,
        s.dob == MISSING ? "" : Noise.dateOfBirth(person.dateOfBirth(), s.dob),
        Noise.gender(person.female(), s.gender),
        person.loyaltyCard() == null ? "" : person.loyaltyCard(), updated.toString());
    life.add(t, Source.CRM, line, creation ? s.crmId : null);
  }

  private String typo(String word) {
    return Noise.typo(word, rng.nextInt(3), rng.nextInt(word.length()));
  }
}
