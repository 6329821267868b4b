package org.lakecdp.core.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import scala.Tuple5;

/**
 * What one ingest pass saw, counted on the side while the events are written (an observed
 * aggregate): records and quarantined records per source file, and the quarantined records
 * themselves while they are few. With the counts the ingest needs no second read of what it
 * wrote, and with the records no second read of the files that held them.
 *
 * <p>Input per record: source, file (or JDBC range), reason (null for a good record), and for
 * a quarantined record its raw text and logical date ({@code yyyy-MM-dd}). The kept records
 * are bounded by {@code maxRows} and by {@link #MAX_CHARS} characters of raw text, in every
 * task and after every merge: past either bound none are kept ({@link Tally#isOverflowed}) and
 * the caller reads the files that held them again. Memory stays bounded whatever the input.
 */
final class IngestTally extends Aggregator<Tuple5<String, String, String, String, String>,
    IngestTally.Tally, byte[]> {
  private static final long serialVersionUID = 1L;

  /** Raw characters of quarantined records kept at most, over all tasks (32 MB of text). */
  static final long MAX_CHARS = 16L << 20;

  private final int maxRows;
  private final long maxChars;

  private IngestTally(int maxRows, long maxChars) {
    this.maxRows = maxRows;
    this.maxChars = maxChars;
  }

  /** The aggregate over the columns named, for {@code Dataset.observe}. */
  static Column of(int maxRows, Column source, Column file, Column reason, Column raw,
      Column logicalDate) {
    return of(maxRows, MAX_CHARS, source, file, reason, raw, logicalDate);
  }

  /** {@link #of} with another bound on the raw text kept (tests). */
  static Column of(int maxRows, long maxChars, Column source, Column file, Column reason,
      Column raw, Column logicalDate) {
    Encoder<Tuple5<String, String, String, String, String>> in = Encoders.tuple(
        Encoders.STRING(), Encoders.STRING(), Encoders.STRING(), Encoders.STRING(),
        Encoders.STRING());
    return functions.udaf(new IngestTally(maxRows, maxChars), in).apply(source, file, reason,
        raw, logicalDate);
  }

  /** The tally an observation delivered (the aggregate's bytes). */
  static Tally read(Object observed) {
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream((byte[]) observed))) {
      return (Tally) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One quarantined record as read. */
  record Quarantined(String source, String file, String reason, String raw, String logicalDate)
      implements Serializable {}

  /**
   * Counts per source and file, and the quarantined records unless they overflowed. A Java bean
   * (public, no-argument constructor, getters and setters), which Spark's bean encoder stores
   * as a struct between tasks and the driver; not for use outside this class but by them.
   */
  public static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FIELDS = 5;
    /** source NUL file to {records, quarantined}. */
    private Map<String, long[]> counts = new HashMap<>();
    /**
     * Kept quarantined records, five strings each: source, file, reason, raw, logical date (flat:
     * Spark's interpreted bean decoder returns nested string arrays as Object[]).
     */
    private List<String> kept = new ArrayList<>();
    private long keptChars;
    private boolean overflowed;
    private transient String lastSource;
    private transient String lastFile;
    private transient long[] last;

    public Tally() {}

    public Map<String, long[]> getCounts() {
      return counts;
    }

    public void setCounts(Map<String, long[]> counts) {
      this.counts = new HashMap<>(counts);
    }

    public List<String> getKept() {
      return kept;
    }

    public void setKept(List<String> kept) {
      this.kept = new ArrayList<>(kept);
    }

    public long getKeptChars() {
      return keptChars;
    }

    public void setKeptChars(long keptChars) {
      this.keptChars = keptChars;
    }

    /** True when the quarantined records were too many to keep. */
    public boolean isOverflowed() {
      return overflowed;
    }

    public void setOverflowed(boolean overflowed) {
      this.overflowed = overflowed;
    }

    /** {records, quarantined} of a source's file (or JDBC range); zeros when none was seen. */
    long[] counts(String source, String file) {
      return counts.getOrDefault(key(source, file), new long[2]);
    }

    long records() {
      return counts.values().stream().mapToLong(c -> c[0]).sum();
    }

    long quarantined() {
      return counts.values().stream().mapToLong(c -> c[1]).sum();
    }

    /** Files (or JDBC ranges) that held at least one quarantined record. */
    List<String> filesWithQuarantined() {
      List<String> files = new ArrayList<>();
      counts.forEach((k, c) -> {
        if (c[1] > 0) {
          files.add(k.substring(k.indexOf('\u0000') + 1));
        }
      });
      return files;
    }

    /** The quarantined records; only when not {@link #isOverflowed}. */
    List<Quarantined> quarantinedRecords() {
      if (overflowed) {
        throw new IllegalStateException("the quarantined records overflowed and were not kept");
      }
      List<Quarantined> records = new ArrayList<>(kept.size() / FIELDS);
      for (int i = 0; i < kept.size(); i += FIELDS) {
        records.add(new Quarantined(kept.get(i), kept.get(i + 1), kept.get(i + 2),
            kept.get(i + 3), kept.get(i + 4)));
      }
      return records;
    }

    /** The key of a source's file (or JDBC range) in the counts. */
    static String key(String source, String file) {
      return source + '\u0000' + file;
    }

    private void add(Tuple5<String, String, String, String, String> r, int maxRows,
        long maxChars) {
      // consecutive records mostly come from one file: no hashing for them
      if (last == null || !r._2().equals(lastFile) || !r._1().equals(lastSource)) {
        lastSource = r._1();
        lastFile = r._2();
        last = counts.computeIfAbsent(key(lastSource, lastFile), k -> new long[2]);
      }
      last[0]++;
      if (r._3() != null) {
        last[1]++;
        keep(Arrays.asList(r._1(), r._2(), r._3(), r._4(), r._5()), maxRows, maxChars);
      }
    }

    private void keep(List<String> q, int maxRows, long maxChars) {
      if (overflowed) {
        return;
      }
      keptChars += q.get(3) == null ? 0 : q.get(3).length();
      kept.addAll(q);
      if (kept.size() / FIELDS > maxRows || keptChars > maxChars) {
        overflow();
      }
    }

    /** Too many to keep: none are, from now on. */
    private void overflow() {
      overflowed = true;
      kept = new ArrayList<>();
      keptChars = 0;
    }

    private Tally merge(Tally other, int maxRows, long maxChars) {
      other.counts.forEach((k, c) -> {
        long[] mine = counts.computeIfAbsent(k, x -> new long[2]);
        mine[0] += c[0];
        mine[1] += c[1];
      });
      last = null;
      if (other.overflowed) {
        overflow();
      } else {
        for (int i = 0; i < other.kept.size() && !overflowed; i += FIELDS) {
          keep(other.kept.subList(i, i + FIELDS), maxRows, maxChars);
        }
      }
      return this;
    }
  }

  @Override
  public Tally zero() {
    return new Tally();
  }

  @Override
  public Tally reduce(Tally tally, Tuple5<String, String, String, String, String> record) {
    tally.add(record, maxRows, maxChars);
    return tally;
  }

  @Override
  public Tally merge(Tally a, Tally b) {
    return a.merge(b, maxRows, maxChars);
  }

  @Override
  public byte[] finish(Tally tally) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(tally);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Encoder<Tally> bufferEncoder() {
    return Encoders.bean(Tally.class);
  }

  @Override
  public Encoder<byte[]> outputEncoder() {
    return Encoders.BINARY();
  }
}
