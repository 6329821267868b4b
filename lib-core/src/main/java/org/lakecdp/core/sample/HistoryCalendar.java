package org.lakecdp.core.sample;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Days of the generated history and fast, allocation-light timestamp formatting.
 *
 * <p>Day 0 is the first day of history; instants are epoch milliseconds, UTC. Days before day 0
 * (signups, initial loads) and after the end are valid arguments; the calendar caches the date
 * parts of a window around the history and computes the rest.
 */
final class HistoryCalendar {
  static final long DAY_MS = 86_400_000L;
  private static final ZoneRules LONDON = ZoneId.of("Europe/London").getRules();
  private static final int CACHE_BEFORE = 4000;

  private final int days;
  private final long startEpochDay;
  private final long startMillis;
  private final int[] year;
  private final int[] month;
  private final int[] dayOfMonth;
  private final int[] dayOfWeek;
  private final int[] londonOffset;
  private final String[] isoDate;

  HistoryCalendar(LocalDate endDate, int days) {
    this.days = days;
    this.startEpochDay = endDate.toEpochDay() - days + 1;
    this.startMillis = startEpochDay * DAY_MS;
    int size = CACHE_BEFORE + days + 400;
    year = new int[size];
    month = new int[size];
    dayOfMonth = new int[size];
    dayOfWeek = new int[size];
    londonOffset = new int[size];
    isoDate = new String[size];
    for (int i = 0; i < size; i++) {
      LocalDate d = LocalDate.ofEpochDay(startEpochDay - CACHE_BEFORE + i);
      year[i] = d.getYear();
      month[i] = d.getMonthValue();
      dayOfMonth[i] = d.getDayOfMonth();
      dayOfWeek[i] = d.getDayOfWeek().getValue();
      londonOffset[i] = LONDON.getOffset(d.atTime(12, 0).toInstant(ZoneOffset.UTC))
          .getTotalSeconds();
      isoDate[i] = d.toString();
    }
  }

  int days() {
    return days;
  }

  long startMillis() {
    return startMillis;
  }

  /** Instant of {@code msOfDay} into history day {@code day}. */
  long instant(int day, long msOfDay) {
    return startMillis + day * DAY_MS + msOfDay;
  }

  int dayOf(long millis) {
    return (int) Math.floorDiv(millis - startMillis, DAY_MS);
  }

  LocalDate date(int day) {
    return LocalDate.ofEpochDay(startEpochDay + day);
  }

  /** {@code yyyy-MM-dd} of a history day. */
  String isoDate(int day) {
    int i = day + CACHE_BEFORE;
    return i >= 0 && i < isoDate.length ? isoDate[i] : date(day).toString();
  }

  int month(int day) {
    int i = day + CACHE_BEFORE;
    return i >= 0 && i < month.length ? month[i] : date(day).getMonthValue();
  }

  int dayOfMonth(int day) {
    int i = day + CACHE_BEFORE;
    return i >= 0 && i < dayOfMonth.length ? dayOfMonth[i] : date(day).getDayOfMonth();
  }

  /** ISO day of week, 1 = Monday .. 7 = Sunday. */
  int dayOfWeek(int day) {
    int i = day + CACHE_BEFORE;
    return i >= 0 && i < dayOfWeek.length ? dayOfWeek[i] : date(day).getDayOfWeek().getValue();
  }

  /** Offset of Europe/London from UTC at noon of a history day, in seconds. */
  int londonOffsetSeconds(int day) {
    int i = day + CACHE_BEFORE;
    if (i >= 0 && i < londonOffset.length) {
      return londonOffset[i];
    }
    return LONDON.getOffset(date(day).atTime(12, 0).toInstant(ZoneOffset.UTC)).getTotalSeconds();
  }

  /** {@code 2024-05-01T09:12:33.120Z}. */
  void appendIsoMillis(StringBuilder sb, long t) {
    int day = dayOf(t);
    long ms = t - instant(day, 0);
    sb.append(isoDate(day)).append('T');
    appendClock(sb, ms, true);
    sb.append('.');
    pad3(sb, (int) (ms % 1000));
    sb.append('Z');
  }

  /** {@code 2024-05-01T09:12:33Z}. */
  void appendIsoSeconds(StringBuilder sb, long t) {
    int day = dayOf(t);
    sb.append(isoDate(day)).append('T');
    appendClock(sb, t - instant(day, 0), true);
    sb.append('Z');
  }

  /** {@code 2024-05-01T10:12:33+01:00}: the local time at a whole-hour offset east of UTC. */
  void appendWithOffset(StringBuilder sb, long t, int offsetHours) {
    long local = t + offsetHours * 3_600_000L;
    int day = dayOf(local);
    sb.append(isoDate(day)).append('T');
    appendClock(sb, local - instant(day, 0), true);
    sb.append(offsetHours < 0 ? '-' : '+');
    pad2(sb, Math.abs(offsetHours));
    sb.append(":00");
  }

  /** {@code 2024-05-01 09:12:33}, UTC. */
  void appendSqlSeconds(StringBuilder sb, long t) {
    int day = dayOf(t);
    sb.append(isoDate(day)).append(' ');
    appendClock(sb, t - instant(day, 0), true);
  }

  /** {@code 01/05/2024 10:12} in Europe/London local time. */
  void appendLondonMinutes(StringBuilder sb, long t) {
    long local = t + londonOffsetSeconds(dayOf(t)) * 1000L;
    int day = dayOf(local);
    pad2(sb, dayOfMonth(day));
    sb.append('/');
    pad2(sb, month(day));
    sb.append('/').append(isoDate(day), 0, 4).append(' ');
    appendClock(sb, local - instant(day, 0), false);
  }

  private static void appendClock(StringBuilder sb, long msOfDay, boolean seconds) {
    int s = (int) (msOfDay / 1000);
    pad2(sb, s / 3600);
    sb.append(':');
    pad2(sb, (s / 60) % 60);
    if (seconds) {
      sb.append(':');
      pad2(sb, s % 60);
    }
  }

  private static void pad2(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  private static void pad3(StringBuilder sb, int v) {
    sb.append((char) ('0' + v / 100)).append((char) ('0' + (v / 10) % 10))
        .append((char) ('0' + v % 10));
  }
}
