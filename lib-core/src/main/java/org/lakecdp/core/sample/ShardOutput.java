package org.lakecdp.core.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything one shard writes: its part of every day file, and its part of the ground truth.
 *
 * <p>Lines are buffered per (source, day) and appended to the shard's own file when a buffer
 * passes {@value #FLUSH_CHARS} characters, or all at once when the shard holds more than
 * {@value #BUDGET_CHARS} characters, so memory and open files stay bounded. The mess of real
 * deliveries is added here: about one record in 200 is written twice (in the same file or the
 * next day's), and about one line in 20,000 is broken, with the first lines of shard 0 breaking
 * each way once so that every source of 2,000 lines or more carries every kind. One shard is
 * used by one thread; its output depends only on the order of {@link #emit} calls.
 */
final class ShardOutput implements AutoCloseable {
  static final int FLUSH_CHARS = 256 * 1024;
  static final long BUDGET_CHARS = 160L * 1024 * 1024;
  static final double DUPLICATE_RATE = 0.005;
  static final int MALFORMED_EVERY = 20_000;
  private static final int EARLY_FIRST = 100;
  private static final int EARLY_STEP = 150;
  private static final Source[] SOURCES = Source.values();

  private final Path root;
  private final int shard;
  private final HistoryCalendar calendar;
  private final int renameDay;
  private final SplittableRandom mess;
  private final StringBuilder[][] buffers;
  private final boolean[][] started;
  private final long[] lines = new long[SOURCES.length];
  private final int[] sequence = new int[SOURCES.length];
  private final int[] periodic = new int[SOURCES.length];
  private final List<String> malformed = new ArrayList<>();
  private final BufferedWriter records;
  private final BufferedWriter cookies;
  private final BufferedWriter devices;
  private long buffered;
  private long duplicates;

  ShardOutput(Path root, Path truthParts, int shard, HistoryCalendar calendar, int renameDay,
      long seed) {
    this.root = root;
    this.shard = shard;
    this.calendar = calendar;
    this.renameDay = renameDay;
    this.mess = new SplittableRandom(Ids.mix(seed ^ (0xD1CEL + shard)));
    this.buffers = new StringBuilder[SOURCES.length][calendar.days()];
    this.started = new boolean[SOURCES.length][calendar.days()];
    try {
      this.records = Files.newBufferedWriter(truthParts.resolve("records-" + shard));
      this.cookies = Files.newBufferedWriter(truthParts.resolve("cookies-" + shard));
      this.devices = Files.newBufferedWriter(truthParts.resolve("devices-" + shard));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes one record's line to the file of {@code day}; when {@code key} is not null the
   * record is also listed in the ground truth as belonging to {@code personId}.
   */
  void emit(Source source, int day, String line, String key, String personId) {
    int s = source.ordinal();
    Malformation broken = malformationAt(source, sequence[s]++);
    if (broken != null) {
      append(source, day, broken.apply(source, line));
      malformed.add(source.dir() + "," + source.file(calendar.isoDate(day), shard) + ","
          + broken.reason());
    } else {
      append(source, day, line);
      if (mess.nextDouble() < DUPLICATE_RATE) {
        boolean nextDay = mess.nextBoolean() && day + 1 < calendar.days();
        append(source, nextDay ? day + 1 : day, line);
        duplicates++;
      }
    }
    if (key != null) {
      write(records, source.dir() + "," + key + "," + personId);
    }
  }

  void cookie(String cookieId, String personId) {
    write(cookies, cookieId + "," + personId);
  }

  void device(String deviceId, String personId) {
    write(devices, deviceId + "," + personId);
  }

  long lines(Source source) {
    return lines[source.ordinal()];
  }

  long duplicates() {
    return duplicates;
  }

  /** {@code source,file,reason} of every broken line, in the order written. */
  List<String> malformed() {
    return malformed;
  }

  @Override
  public void close() {
    for (Source source : SOURCES) {
      for (int day = 0; day < calendar.days(); day++) {
        flush(source, day);
      }
    }
    try {
      records.close();
      cookies.close();
      devices.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Malformation malformationAt(Source source, int n) {
    List<Malformation> kinds = source.malformations();
    if (shard == 0 && n >= EARLY_FIRST && (n - EARLY_FIRST) % EARLY_STEP == 0) {
      int kind = (n - EARLY_FIRST) / EARLY_STEP;
      if (kind < kinds.size()) {
        return kinds.get(kind);
      }
    }
    if (n % MALFORMED_EVERY == MALFORMED_EVERY / 2) {
      return kinds.get(periodic[source.ordinal()]++ % kinds.size());
    }
    return null;
  }

  private void append(Source source, int day, String line) {
    int s = source.ordinal();
    StringBuilder sb = buffers[s][day];
    if (sb == null) {
      sb = new StringBuilder(8192);
      buffers[s][day] = sb;
    }
    sb.append(line).append('\n');
    lines[s]++;
    buffered += line.length() + 1;
    if (sb.length() >= FLUSH_CHARS) {
      flush(source, day);
    }
    if (buffered > BUDGET_CHARS) {
      for (Source each : SOURCES) {
        for (int d = 0; d < calendar.days(); d++) {
          flush(each, d);
        }
      }
    }
  }

  private void flush(Source source, int day) {
    int s = source.ordinal();
    StringBuilder sb = buffers[s][day];
    if (sb == null || sb.length() == 0) {
      return;
    }
    Path file = root.resolve(source.file(calendar.isoDate(day), shard));
    try {
      if (!started[s][day]) {
        Files.createDirectories(file.getParent());
      }
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND)) {
        if (!started[s][day] && source.csv()) {
          out.write((source.header(day >= renameDay) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    started[s][day] = true;
    buffered -= sb.length();
    buffers[s][day] = null;
  }

  private static void write(BufferedWriter writer, String row) {
    try {
      writer.write(row);
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
