package org.lakecdp.core.sample;

import java.util.SplittableRandom;

/**
 * Web and app sessions of one person. A person has 1-3 browser cookies over time (a new one
 * after clearing cookies or changing browser) and, for app users, 1-2 devices. Users of the web
 * log in on some sessions; only events after the login carry their email. The ground truth
 * lists the cookies and devices that appear in at least one event.
 */
final class Browsing {
  private static final String[] PAGES = {"/", "/offers", "/new-in", "/stores", "/help"};

  private final Life life;
  private final SplittableRandom rng;
  private final Person person;
  private final int[] cookieFrom;
  private final boolean[] cookieUsed;
  private final int secondDeviceFrom;
  private final boolean[] deviceUsed = new boolean[2];
  private final boolean ios;
  private int cookie;
  private int device;

  Browsing(Life life) {
    this.life = life;
    this.rng = life.rng;
    this.person = life.person;
    int from = life.activeFrom();
    int span = Math.max(1, life.world.days() - from);
    cookieFrom = new int[person.cookies()];
    for (int k = 1; k < cookieFrom.length; k++) {
      cookieFrom[k] = Math.max(cookieFrom[k - 1], from + rng.nextInt(span));
    }
    cookieUsed = new boolean[cookieFrom.length];
    secondDeviceFrom = person.devices() > 1 ? from + rng.nextInt(span) : Integer.MAX_VALUE;
    ios = Rand.chance(rng, 0.55);
  }

  /** Browsing sessions not tied to a purchase, fewer after the person churns. */
  void browse() {
    int from = life.activeFrom();
    int days = life.world.days();
    if (from >= days) {
      return;
    }
    boolean online = person.channel() != Person.Channel.OFFLINE;
    double webRate = (online ? 0.5 : 0.3) + (online ? 2.0 : 1.0) * person.engagement();
    double appRate = person.appUser() ? 2.0 + 4.0 * person.engagement() : 0.0;
    sessions(from, Math.min(days, person.churnDay()), webRate, appRate);
    if (person.churnDay() < days) {
      sessions(person.churnDay(), days, webRate * 0.25, appRate * 0.25);
    }
  }

  /**
   * The session in which an online purchase is made, ending just before {@code orderTime},
   * plus now and then a look at the same products in the days before.
   */
  void checkout(long orderTime, Basket basket, boolean loggedIn) {
    boolean app = person.appUser() && Rand.chance(rng, 0.4);
    int events = 2 + 2 * basket.items().length + (loggedIn ? 1 : 0);
    long start = orderTime - events * 45_000L - rng.nextInt(120_000);
    if (app) {
      appSession(start, basket, loggedIn);
    } else {
      webSession(start, basket, loggedIn);
    }
    int before = Rand.poisson(rng, 0.6);
    int orderDay = life.calendar.dayOf(orderTime);
    for (int i = 0; i < before; i++) {
      int day = orderDay - 1 - rng.nextInt(7);
      if (day >= life.activeFrom()) {
        webSession(life.world.onlineInstant(rng, day), basket, Rand.chance(rng, 0.2)
            && person.inCrm());
      }
    }
  }

  /** Lists the cookies and devices that were seen in the ground truth. */
  void writeTruth(ShardOutput out) {
    for (int k = 0; k < cookieUsed.length; k++) {
      if (cookieUsed[k]) {
        out.cookie(cookieId(k), person.personId());
      }
    }
    for (int k = 0; k < deviceUsed.length; k++) {
      if (deviceUsed[k]) {
        out.device(deviceId(k), person.personId());
      }
    }
  }

  private void sessions(int from, int to, double webPerYear, double appPerYear) {
    if (to <= from) {
      return;
    }
    double years = (to - from) / 365.0;
    int web = Rand.poisson(rng, webPerYear * years);
    for (int i = 0; i < web; i++) {
      int day = from + rng.nextInt(to - from);
      boolean login = person.inCrm() && Rand.chance(rng, 0.3);
      webSession(life.world.onlineInstant(rng, day), null, login);
    }
    int app = Rand.poisson(rng, appPerYear * years);
    for (int i = 0; i < app; i++) {
      int day = from + rng.nextInt(to - from);
      appSession(life.world.onlineInstant(rng, day), null, person.inCrm() && Rand.chance(rng, 0.8));
    }
  }

  private void webSession(long start, Basket basket, boolean login) {
    int day = life.calendar.dayOf(start);
    cookie = 0;
    while (cookie + 1 < cookieFrom.length && cookieFrom[cookie + 1] <= day) {
      cookie++;
    }
    String cookieId = cookieId(cookie);
    String email = Rand.chance(rng, 0.8) ? person.email()
        : Noise.email(person.email(), rng.nextInt(Noise.EMAIL_STYLES));
    long t = start;
    boolean loggedIn = false;
    if (login && Rand.chance(rng, 0.5)) {
      t = webEvent(t, cookieId, "login", "/login", -1, -1, email);
      loggedIn = true;
    }
    t = webEvent(t, cookieId, "page_view", Rand.pick(rng, PAGES), -1, -1,
        loggedIn ? email : null);
    if (login && !loggedIn) {
      t = webEvent(t, cookieId, "login", "/login", -1, -1, email);
      loggedIn = true;
    }
    String shown = loggedIn ? email : null;
    if (basket == null) {
      int views = Rand.poisson(rng, 1.2);
      if (Rand.chance(rng, 0.3)) {
        int category = Basket.randomCategory(rng, person);
        t = webEvent(t, cookieId, "search", "/search?q=" + Vocabulary.CATEGORIES[category], -1,
            -1, shown);
      }
      for (int i = 0; i < views; i++) {
        int category = Basket.randomCategory(rng, person);
        int sku = rng.nextInt(300);
        t = webEvent(t, cookieId, "product_view", null, category, sku, shown);
        if (Rand.chance(rng, 0.15)) {
          t = webEvent(t, cookieId, "add_to_cart", null, category, sku, shown);
        }
      }
    } else {
      for (Basket.Item item : basket.items()) {
        t = webEvent(t, cookieId, "product_view", null, item.category(), item.sku(), shown);
        t = webEvent(t, cookieId, "add_to_cart", null, item.category(), item.sku(), shown);
      }
    }
  }

  private long webEvent(long t, String cookieId, String event, String url, int category,
      int sku, String email) {
    if (life.inHistory(t)) {
      cookieUsed[cookie] = true;
      StringBuilder sb = life.line().append('{');
      Text.jsonString(sb, "event_id", "w-" + life.nextToken(Ids.WEB));
      Text.jsonKey(sb, "ts").append('"');
      life.calendar.appendIsoMillis(sb, t);
      sb.append('"');
      Text.jsonString(sb, "cookie_id", cookieId);
      Text.jsonString(sb, "event", event);
      if (sku >= 0) {
        String code = Basket.Item.skuCode(category, sku);
        Text.jsonString(sb, "url", "/p/" + code);
        Text.jsonString(sb, "sku", code);
        Text.jsonString(sb, "category", Vocabulary.CATEGORIES[category]);
      } else {
        Text.jsonString(sb, "url", url);
      }
      if (email != null) {
        Text.jsonString(sb, "user_email", email);
      }
      life.add(t, Source.WEB, sb.append('}').toString(), null);
    }
    return t + 5_000 + (long) Rand.exponential(rng, 40_000);
  }

  private void appSession(long start, Basket basket, boolean loggedIn) {
    int day = life.calendar.dayOf(start);
    device = day >= secondDeviceFrom ? 1 : 0;
    long t = appEvent(start, "app_open", "home", null);
    String customer = loggedIn ? person.crmId() : null;
    if (loggedIn && Rand.chance(rng, 0.15)) {
      t = appEvent(t, "login", "account", customer);
    }
    if (basket == null) {
      int screens = Rand.poisson(rng, 1.0);
      for (int i = 0; i < screens; i++) {
        t = appEvent(t, "screen_view", Rand.pick(rng, Vocabulary.APP_SCREENS), customer);
      }
      if (Rand.chance(rng, 0.4)) {
        t = appEvent(t, "product_view", "product", customer);
      }
    } else {
      for (int i = 0; i < basket.items().length; i++) {
        t = appEvent(t, "product_view", "product", customer);
        t = appEvent(t, "add_to_cart", "basket", customer);
      }
    }
  }

  private long appEvent(long t, String name, String screen, String customerId) {
    if (life.inHistory(t)) {
      deviceUsed[device] = true;
      StringBuilder sb = life.line().append('{');
      Text.jsonString(sb, "id", "a-" + life.nextToken(Ids.APP));
      Text.jsonNumber(sb, "timestamp", t);
      Text.jsonKey(sb, "device").append('{');
      Text.jsonString(sb, "id", deviceId(device));
      Text.jsonString(sb, "os", ios ? "ios" : "android").append('}');
      Text.jsonString(sb, "name", name);
      if (customerId != null) {
        Text.jsonString(sb, "customer_id", customerId);
      }
      Text.jsonString(sb, "screen", screen);
      life.add(t, Source.APP, sb.append('}').toString(), null);
    }
    return t + 3_000 + (long) Rand.exponential(rng, 30_000);
  }

  private String cookieId(int k) {
    return "ck-" + life.world.ids().token(Ids.COOKIE, person.index(), k);
  }

  private String deviceId(int k) {
    return "dv-" + life.world.ids().token(Ids.DEVICE, person.index(), k);
  }
}
