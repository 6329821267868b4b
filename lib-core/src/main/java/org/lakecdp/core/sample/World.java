package org.lakecdp.core.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What every person shares: the calendar, id spaces, seasonality and the email campaigns.
 * Immutable after construction and safe to share between shards.
 */
final class World {
  /** A marketing email campaign, sent on one day to part of the subscribers. */
  record Campaign(int day, String id, long sendMsOfDay) {}

  /** Hour-of-day weights (local time) of online activity: evenings peak. */
  private static final double[] ONLINE_HOURS = {
    0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.5, 1.2, 2.0, 2.4, 2.5, 2.6, 3.0, 2.8, 2.6, 2.5, 2.6, 2.9, 3.4,
    4.0, 4.4, 4.2, 3.0, 1.6
  };
  /** Hour-of-day weights (local time) of shop tills, open 9:00 to 20:00. */
  private static final double[] STORE_HOURS = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1.0, 1.6, 2.2, 3.0, 3.0, 2.6, 2.4, 2.4, 2.6, 2.2, 1.4, 0, 0, 0, 0
  };
  private static final Rand.Weighted ONLINE_HOUR = new Rand.Weighted(ONLINE_HOURS);
  private static final Rand.Weighted STORE_HOUR = new Rand.Weighted(STORE_HOURS);

  private final HistoryCalendar calendar;
  private final Ids ids;
  private final int renameDay;
  private final double[] onlineWeight;
  private final double[] storeWeight;
  private final double maxOnline;
  private final double maxStore;
  private final List<Campaign> campaigns;

  World(HistoryCalendar calendar, long seed) {
    this.calendar = calendar;
    this.ids = new Ids(seed);
    this.renameDay = renameDay(calendar.days());
    int days = calendar.days();
    onlineWeight = new double[days];
    storeWeight = new double[days];
    double maxO = 0;
    double maxS = 0;
    for (int d = 0; d < days; d++) {
      onlineWeight[d] = onlineSeason(d);
      storeWeight[d] = storeSeason(d);
      maxO = Math.max(maxO, onlineWeight[d]);
      maxS = Math.max(maxS, storeWeight[d]);
    }
    maxOnline = maxO;
    maxStore = maxS;
    campaigns = campaigns(new SplittableRandom(Ids.mix(seed ^ 0xCA4A16L)));
  }

  /** The day at 60% of a history of {@code days} days. */
  static int renameDay(int days) {
    return (int) Math.floor(days * 0.6);
  }

  HistoryCalendar calendar() {
    return calendar;
  }

  Ids ids() {
    return ids;
  }

  int days() {
    return calendar.days();
  }

  /** First day on which renamed fields ({@code email_address}, {@code mobile}) are written. */
  int renameDay() {
    return renameDay;
  }

  List<Campaign> campaigns() {
    return campaigns;
  }

  /** A day in [from, to) drawn in proportion to online or in-store shopping intensity. */
  int shoppingDay(SplittableRandom rng, int from, int to, boolean online) {
    double[] weight = online ? onlineWeight : storeWeight;
    double max = online ? maxOnline : maxStore;
    int day = from;
    for (int attempt = 0; attempt < 32; attempt++) {
      day = from + rng.nextInt(to - from);
      if (rng.nextDouble() * max < weight[day]) {
        return day;
      }
    }
    return day;
  }

  /** An instant on {@code day} at a plausible hour for being online. */
  long onlineInstant(SplittableRandom rng, int day) {
    return localInstant(rng, day, ONLINE_HOUR.pick(rng));
  }

  /** An instant on {@code day} while shops are open. */
  long storeInstant(SplittableRandom rng, int day) {
    return localInstant(rng, day, STORE_HOUR.pick(rng));
  }

  private long localInstant(SplittableRandom rng, int day, int localHour) {
    long ms = localHour * 3_600_000L + rng.nextLong(3_600_000L);
    long utc = calendar.instant(day, ms) - calendar.londonOffsetSeconds(day) * 1000L;
    long first = calendar.instant(day, 0);
    return Math.min(Math.max(utc, first), first + HistoryCalendar.DAY_MS - 1);
  }

  private double onlineSeason(int d) {
    int month = calendar.month(d);
    int dom = calendar.dayOfMonth(d);
    int dow = calendar.dayOfWeek(d);
    double w = dow >= 6 ? 1.1 : 1.0;
    if (month == 11) {
      w *= blackFridayWeek(d) ? 2.5 : 1.3;
    } else if (month == 12) {
      w *= dom <= 20 ? 1.8 : dom <= 24 ? 1.1 : dom == 25 ? 0.4 : 1.5;
    } else if (month == 1) {
      w *= 1.1;
    }
    return w;
  }

  private double storeSeason(int d) {
    int month = calendar.month(d);
    int dom = calendar.dayOfMonth(d);
    int dow = calendar.dayOfWeek(d);
    double w = dow == 6 ? 1.8 : dow == 7 ? 1.3 : 1.0;
    if (month == 12 && dom == 25) {
      return 0.0;
    }
    if (month == 11) {
      w *= blackFridayWeek(d) ? 1.8 : 1.2;
    } else if (month == 12) {
      w *= dom <= 24 ? 2.0 : dom == 26 ? 2.2 : 1.3;
    }
    return w;
  }

  /**
   * The days from the Monday before Black Friday (the day after the 4th Thursday of November)
   * to Cyber Monday.
   */
  private boolean blackFridayWeek(int d) {
    int dom = calendar.dayOfMonth(d);
    int dow = calendar.dayOfWeek(d);
    int firstDow = Math.floorMod(dow - (dom - 1) - 1, 7) + 1;
    int firstThursday = 1 + Math.floorMod(4 - firstDow, 7);
    int blackFriday = firstThursday + 22;
    return dom >= blackFriday - 4 && dom <= blackFriday + 3;
  }

  private List<Campaign> campaigns(SplittableRandom rng) {
    List<Campaign> out = new ArrayList<>();
    for (int d = 0; d < calendar.days(); d++) {
      int dow = calendar.dayOfWeek(d);
      boolean send = dow == 2 || (dow == 4 && Rand.chance(rng, 0.35))
          || (dow == 5 && calendar.month(d) >= 11 && Rand.chance(rng, 0.5));
      if (!send) {
        continue;
      }
      int count = Rand.chance(rng, 0.15) ? 2 : 1;
      for (int k = 0; k < count; k++) {
        String id = "CMP-" + calendar.isoDate(d) + "-" + (char) ('a' + k);
        long sendMs = (7 + rng.nextInt(4)) * 3_600_000L + rng.nextInt(60) * 60_000L;
        out.add(new Campaign(d, id, sendMs));
      }
    }
    return List.copyOf(out);
  }
}
