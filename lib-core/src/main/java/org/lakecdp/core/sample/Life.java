package org.lakecdp.core.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated history of one person while it is being built: the person, their random
 * stream, and the records produced so far, emitted in time order at the end.
 */
final class Life {
  /** One landing record: when it happened, where it lands, its line and its truth key. */
  record Rec(long time, Source source, String line, String key) {}

  private static final Comparator<Rec> BY_TIME = Comparator.comparingLong(Rec::time);

  final Person person;
  final SplittableRandom rng;
  final World world;
  final HistoryCalendar calendar;
  /** When the person signed up, possibly before the history. */
  final long signupTime;
  private final int[] sequence = new int[16];
  private final List<Rec> recs = new ArrayList<>(64);
  private final StringBuilder line = new StringBuilder(512);

  Life(Person person, SplittableRandom rng, World world) {
    this.person = person;
    this.rng = rng;
    this.world = world;
    this.calendar = world.calendar();
    this.signupTime = world.onlineInstant(rng, person.signupDay());
  }

  /** The next unique id token of {@code kind} (see {@link Ids}) for this person. */
  String nextToken(int kind) {
    return world.ids().token(kind, person.index(), sequence[kind]++);
  }

  /** A cleared builder for the next line; valid until the next call. */
  StringBuilder line() {
    line.setLength(0);
    return line;
  }

  /** Day on which records begin: the signup day, or day 0 for earlier signups. */
  int activeFrom() {
    return Math.max(0, person.signupDay());
  }

  /** Day after the last day of purchases: the churn day or the end of history. */
  int buyingUntil() {
    return Math.min(world.days(), person.churnDay());
  }

  /**
   * Adds a record. Records before day 0 are initial loads and land on day 0; records after the
   * history are dropped.
   */
  void add(long time, Source source, String text, String key) {
    if (calendar.dayOf(time) < world.days()) {
      recs.add(new Rec(time, source, text, key));
    }
  }

  boolean inHistory(long time) {
    int day = calendar.dayOf(time);
    return day >= 0 && day < world.days();
  }

  /** Emits every record in time order (stable for equal times). */
  void emitTo(ShardOutput out) {
    recs.sort(BY_TIME);
    for (Rec r : recs) {
      out.emit(r.source(), Math.max(0, calendar.dayOf(r.time())), r.line(), r.key(),
          person.personId());
    }
  }
}
