package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class HistoryCalendarTest {
  private final HistoryCalendar calendar = new HistoryCalendar(LocalDate.of(2024, 12, 31), 365);

  @Test
  void historyEndsOnTheEndDateInclusive() {
    assertThat(calendar.isoDate(0)).isEqualTo("2024-01-02");
    assertThat(calendar.isoDate(364)).isEqualTo("2024-12-31");
    assertThat(calendar.isoDate(-1)).isEqualTo("2024-01-01");
    assertThat(calendar.isoDate(-5000)).isEqualTo(LocalDate.of(2024, 1, 2).minusDays(5000)
        .toString());
    assertThat(calendar.dayOf(Instant.parse("2024-01-02T00:00:00Z").toEpochMilli())).isZero();
    assertThat(calendar.dayOf(Instant.parse("2024-01-01T23:59:59Z").toEpochMilli())).isEqualTo(-1);
  }

  @Test
  void formatsInstantsLikeJavaTime() {
    long summer = Instant.parse("2024-05-01T09:02:03.045Z").toEpochMilli();
    long winter = Instant.parse("2024-12-01T23:30:00Z").toEpochMilli();
    assertThat(format(calendar::appendIsoMillis, summer)).isEqualTo("2024-05-01T09:02:03.045Z");
    assertThat(format(calendar::appendIsoSeconds, summer)).isEqualTo("2024-05-01T09:02:03Z");
    assertThat(format(calendar::appendSqlSeconds, summer)).isEqualTo("2024-05-01 09:02:03");
    assertThat(format((sb, t) -> calendar.appendWithOffset(sb, t, 1), summer))
        .isEqualTo("2024-05-01T10:02:03+01:00");
    assertThat(format((sb, t) -> calendar.appendWithOffset(sb, t, 1), winter))
        .isEqualTo("2024-12-02T00:30:00+01:00");
  }

  @Test
  void tillTimesAreLondonLocal() {
    long summer = Instant.parse("2024-05-01T09:02:03Z").toEpochMilli();
    long winter = Instant.parse("2024-12-01T09:02:03Z").toEpochMilli();
    assertThat(format(calendar::appendLondonMinutes, summer)).isEqualTo("01/05/2024 10:02");
    assertThat(format(calendar::appendLondonMinutes, winter)).isEqualTo("01/12/2024 09:02");
  }

  private static String format(BiConsumer<StringBuilder, Long> formatter, long t) {
    StringBuilder sb = new StringBuilder();
    formatter.accept(sb, t);
    return sb.toString();
  }
}
