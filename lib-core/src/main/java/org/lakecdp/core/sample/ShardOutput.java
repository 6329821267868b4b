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
 * passes {@value #FLUSH_BYTES} bytes, or all at once when the shard's fixed pool of
 * {@value #BUDGET_BYTES} bytes runs out, so memory and open files stay bounded. The mess of real
 * deliveries is added here: about one record in 200 is written twice (in the same file or the
 * next day's), and about one line in 20,000 is broken, and among the first 500 lines of a shard
 * one breaks each way, so that every source of 2,000 lines or more carries every kind. One shard is
 * used by one thread; its output depends only on the order of {@link #emit} calls.
 */
final class ShardOutput implements AutoCloseable {
  static final int FLUSH_BYTES = 256 * 1024;
  static final long BUDGET_BYTES = 64L * 1024 * 1024;
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
  private final ChunkBuffers pool = new ChunkBuffers(BUDGET_BYTES);
  private final ChunkBuffers.Buffer[][] buffers;
  private final boolean[][] started;
  private final long[] lines = new long[SOURCES.length];
  private final int[] sequence = new int[SOURCES.length];
  private final int[] periodic = new int[SOURCES.length];
  private final List<String> malformed = new ArrayList<>();
  private final BufferedWriter records;
  private final BufferedWriter cookies;
  private final BufferedWriter devices;
  private long duplicates;

  ShardOutput(Path root, Path truthParts, int shard, HistoryCalendar calendar, int renameDay,
      long seed) {
    this.root = root;
    this.shard = shard;
    this.calendar = calendar;
    this.renameDay = renameDay;
    this.mess = new SplittableRandom(Ids.mix(seed ^ (0xD1CEL + shard)));
    this.buffers = new ChunkBuffers.Buffer[SOURCES.length][calendar.days()];
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
    flushAll();
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
    if (n >= EARLY_FIRST && (n - EARLY_FIRST) % EARLY_STEP == 0) {
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
    if (!pool.canTake(line.length() + 1)) {
      flushAll();
    }
    ChunkBuffers.Buffer buffer = buffers[s][day];
    if (buffer == null) {
      buffer = new ChunkBuffers.Buffer();
      buffers[s][day] = buffer;
    }
    pool.appendLine(buffer, line);
    lines[s]++;
    if (buffer.size() >= FLUSH_BYTES) {
      flush(source, day);
    }
  }

  private void flushAll() {
    for (Source source : SOURCES) {
      for (int day = 0; day < calendar.days(); day++) {
        flush(source, day);
      }
    }
  }

  private void flush(Source source, int day) {
    int s = source.ordinal();
    ChunkBuffers.Buffer buffer = buffers[s][day];
    if (buffer == null || buffer.size() == 0) {
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
        for (int i = 0; i < buffer.chunkCount(); i++) {
          out.write(buffer.chunk(i), 0, buffer.length(i));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    started[s][day] = true;
    pool.release(buffer);
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
