package org.lakecdp.core.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Purchases of one person, online (orders) and in store (POS), and the support tickets some of
 * them lead to. Purchases follow the person's yearly rate while active, shifted towards
 * November-December and, in store, towards weekends.
 */
final class Commerce {
  private static final String[] STATUS = {"completed", "cancelled", "returned"};
  private static final String[] SUBJECTS = {
    "Where is my order %s?",
    "Refund for order %s, item \"%s\" returned",
    "Can't log in, password reset \"not working\"",
    "Please update my address, I moved",
    "Loyalty points missing, card %s",
    "Complaint: \"rude\" staff at the %s store",
    "Wrong size sent, need exchange",
    "Discount code \"WELCOME10\" rejected at checkout, why?"
  };

  private final Life life;
  private final SplittableRandom rng;
  private final Person person;
  private final Browsing browsing;

  Commerce(Life life, Browsing browsing) {
    this.life = life;
    this.rng = life.rng;
    this.person = life.person;
    this.browsing = browsing;
  }

  /** All purchases of the person, with the sessions leading to online ones. */
  void purchases() {
    int from = life.activeFrom();
    int to = life.buyingUntil();
    if (to <= from) {
      return;
    }
    int n = Rand.poisson(rng, person.purchasesPerYear() * (to - from) / 365.0);
    long[] times = new long[n];
    boolean[] online = new boolean[n];
    for (int i = 0; i < n; i++) {
      online[i] = switch (person.channel()) {
        case ONLINE -> !Rand.chance(rng, 0.05);
        case OFFLINE -> Rand.chance(rng, 0.05);
        case BOTH -> rng.nextBoolean();
      };
      int day = life.world.shoppingDay(rng, from, to, online[i]);
      long t = online[i] ? life.world.onlineInstant(rng, day) : life.world.storeInstant(rng, day);
      times[i] = (t << 1) | (online[i] ? 1 : 0);
    }
    Arrays.sort(times);
    for (long packed : times) {
      long t = packed >> 1;
      Basket basket = Basket.draw(rng, person);
      if ((packed & 1) == 1) {
        order(t, basket);
      } else {
        pos(t, basket);
      }
    }
    int extraTickets = Rand.poisson(rng, 0.08 * (life.world.days() - from) / 365.0);
    for (int i = 0; i < extraTickets; i++) {
      int day = from + rng.nextInt(life.world.days() - from);
      ticket(life.world.onlineInstant(rng, day), null, null);
    }
  }

  private void order(long t, Basket basket) {
    boolean loggedIn = person.inCrm() && Rand.chance(rng, 0.9);
    browsing.checkout(t, basket, loggedIn);
    String orderId = "O-" + life.nextToken(Ids.ORDER);
    double s = rng.nextDouble();
    String status = s < 0.88 ? STATUS[0] : s < 0.93 ? STATUS[1] : STATUS[2];
    int day = life.calendar.dayOf(t);
    StringBuilder sb = life.line().append('{');
    Text.jsonString(sb, "order_id", orderId);
    Text.jsonKey(sb, "created_at").append('"');
    int offset = Rand.chance(rng, 0.6) ? life.calendar.londonOffsetSeconds(day) / 3600
        : rng.nextInt(2);
    life.calendar.appendWithOffset(sb, t, offset);
    sb.append('"');
    if (loggedIn) {
      Text.jsonString(sb, "customer_id", person.crmId());
    }
    Text.jsonKey(sb, "customer").append('{');
    Text.jsonString(sb, day >= life.world.renameDay() ? "email_address" : "email",
        orderEmail(loggedIn));
    Text.jsonString(sb, "phone", orderPhone(loggedIn));
    String first = loggedIn || !Rand.chance(rng, 0.15) ? person.firstName()
        : Noise.nickname(person.firstName());
    String last = Rand.chance(rng, 0.03) ? Noise.typo(person.lastName(), rng.nextInt(3),
        rng.nextInt(10)) : person.lastName();
    int caseStyle = Rand.chance(rng, 0.1) ? 1 + rng.nextInt(2) : 0;
    Text.jsonString(sb, "first_name", Noise.caseNoise(first, caseStyle));
    Text.jsonString(sb, "last_name", Noise.caseNoise(last, caseStyle)).append('}');
    Address home = person.address();
    Text.jsonKey(sb, "shipping").append('{');
    Text.jsonString(sb, "street", Noise.street(home, rng.nextInt(Noise.STREET_STYLES)));
    Text.jsonString(sb, "city", home.city());
    Text.jsonString(sb, "postcode", Noise.postcode(home.postcode(), Rand.chance(rng, 0.7) ? 0
        : rng.nextInt(Noise.POSTCODE_STYLES)));
    Text.jsonString(sb, "country", "GB").append('}');
    Text.jsonKey(sb, "items").append('[');
    for (Basket.Item item : basket.items()) {
      sb.append(sb.charAt(sb.length() - 1) == '[' ? "{" : ",{");
      Text.jsonString(sb, "sku", item.skuCode());
      Text.jsonString(sb, "category", item.categoryName());
      Text.jsonNumber(sb, "qty", item.qty());
      Text.money(Text.jsonKey(sb, "price"), item.pricePence()).append('}');
    }
    sb.append(']');
    Text.money(Text.jsonKey(sb, "total"), basket.totalPence());
    Text.jsonString(sb, "currency", "GBP");
    Text.jsonString(sb, "status", status);
    life.add(t, Source.ORDERS, sb.append('}').toString(), orderId);
    if (status.equals("returned") && Rand.chance(rng, 0.3)) {
      ticket(t + 86_400_000L * (2 + rng.nextInt(12)), orderId, basket);
    } else if (Rand.chance(rng, 0.03)) {
      ticket(t + 86_400_000L * (1 + rng.nextInt(5)), orderId, null);
    }
  }

  private String orderEmail(boolean loggedIn) {
    if (loggedIn) {
      return person.email();
    }
    if (person.junk() && Rand.chance(rng, 0.4)) {
      return Rand.pick(rng, Vocabulary.JUNK_EMAILS);
    }
    if (person.altEmail() != null && Rand.chance(rng, 0.3)) {
      return person.altEmail();
    }
    if (Rand.chance(rng, 0.06)) {
      return Noise.emailTypo(person.email(), rng.nextInt(2), rng.nextInt(20));
    }
    return Rand.chance(rng, 0.85) ? person.email()
        : Noise.email(person.email(), rng.nextInt(Noise.EMAIL_STYLES));
  }

  private String orderPhone(boolean loggedIn) {
    if (person.junk() && Rand.chance(rng, 0.4)) {
      return Vocabulary.JUNK_PHONE;
    }
    return Noise.phone(person.mobile(), loggedIn ? 0 : rng.nextInt(Noise.PHONE_STYLES));
  }

  private void pos(long t, Basket basket) {
    String txnId = "TX-" + life.nextToken(Ids.POS);
    boolean card = person.loyaltyCard() != null && Rand.chance(rng, 0.8);
    String name;
    if (card) {
      name = Noise.posName(person.firstName(), person.lastName(),
          rng.nextInt(Noise.POS_NAME_STYLES));
    } else {
      name = Rand.chance(rng, 0.5) ? "" : Noise.posName(person.firstName(), person.lastName(),
          rng.nextInt(Noise.POS_NAME_STYLES));
    }
    int itemCount = 0;
    for (Basket.Item item : basket.items()) {
      itemCount += item.qty();
    }
    StringBuilder time = new StringBuilder(16);
    life.calendar.appendLondonMinutes(time, t);
    String amount = Text.money(new StringBuilder(), basket.totalPence()).toString();
    String line = Text.csvLine(txnId, storeId(), time.toString(), card ? person.loyaltyCard() : "",
        name, amount, "GBP", Integer.toString(itemCount), basket.mainCategory());
    life.add(t, Source.POS, line, txnId);
  }

  /** The person's usual store: one of four in their city, now and then another one. */
  private String storeId() {
    int city = 0;
    for (int i = 0; i < Vocabulary.CITIES.length; i++) {
      if (Vocabulary.CITIES[i].name().equals(person.address().city())) {
        city = i;
      }
    }
    int store = Rand.chance(rng, 0.85) ? person.index() % 4 : rng.nextInt(4);
    if (Rand.chance(rng, 0.05)) {
      city = rng.nextInt(Vocabulary.CITIES.length);
    }
    return "ST" + Ids.pad(city * 4L + store + 1, 3);
  }

  private void ticket(long t, String orderId, Basket basket) {
    if (!life.inHistory(t)) {
      return;
    }
    String ticketId = "TK-" + life.nextToken(Ids.TICKET);
    String subject = subject(orderId, basket);
    StringBuilder created = new StringBuilder(24);
    life.calendar.appendIsoSeconds(created, t);
    String email = Rand.chance(rng, 0.15) ? ""
        : person.altEmail() != null && Rand.chance(rng, 0.3) ? person.altEmail()
        : Noise.email(person.email(), Rand.chance(rng, 0.7) ? 0 : rng.nextInt(Noise.EMAIL_STYLES));
    String phone = Rand.chance(rng, 0.4) ? Noise.phone(person.mobile(),
        rng.nextInt(Noise.PHONE_STYLES)) : "";
    String first = Rand.chance(rng, 0.2) ? Noise.nickname(person.firstName()) : person.firstName();
    String name = Rand.chance(rng, 0.1) ? ""
        : Noise.caseNoise(first + " " + person.lastName(), Rand.chance(rng, 0.8) ? 0 : 2);
    int ageDays = life.world.days() - life.calendar.dayOf(t);
    String status = ageDays > 14 ? (Rand.chance(rng, 0.95) ? "closed" : "pending")
        : Rand.pick(rng, new String[] {"open", "pending", "closed"});
    String line = Text.csvLine(ticketId, created.toString(), email, phone, name, subject,
        Rand.pick(rng, Vocabulary.SUPPORT_CHANNELS), status);
    life.add(t, Source.SUPPORT, line, ticketId);
  }

  private String subject(String orderId, Basket basket) {
    if (basket != null) {
      return String.format(java.util.Locale.ROOT, SUBJECTS[1], orderId, basket.mainCategory());
    }
    if (orderId != null) {
      return String.format(java.util.Locale.ROOT, SUBJECTS[0], orderId);
    }
    int k = 2 + rng.nextInt(SUBJECTS.length - 2);
    String arg = k == 4 ? (person.loyaltyCard() == null ? "unknown" : person.loyaltyCard())
        : person.address().city();
    return String.format(java.util.Locale.ROOT, SUBJECTS[k], arg);
  }
}
