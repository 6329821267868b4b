package org.lakecdp.core.ingest;

import static org.apache.spark.sql.functions.udf;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.AccumulatorV2;

/**
 * What one ingest pass saw, counted on the side while the events are written (a Spark
 * accumulator): records and quarantined records per source file, and the quarantined records
 * themselves while they are few. With the counts the ingest needs no second read of what it
 * wrote, and with the records no second read of the files that held them.
 *
 * <p>The records reach it through {@link #keep}, the condition that filters the valid
 * records: evaluated in the same generated code as the mapping, so counting costs no extra
 * copy of each row (an observed aggregate, {@code Dataset.observe}, is a plan node of its own
 * that Spark's code generation stops at). Input per record: source, file (or JDBC range),
 * reason (null for a good record), and for a quarantined record its raw text and logical date
 * ({@code yyyy-MM-dd}). The kept records are bounded by {@code maxRows} and by
 * {@link #MAX_CHARS} characters of raw text, in every task and after every merge: past either
 * bound none are kept ({@link Tally#isOverflowed}) and the caller reads the files that held
 * them again. Memory stays bounded whatever the input.
 *
 * <p>Spark merges the counts of each task of the job that writes once, also when a task is
 * retried; a query that evaluated {@link #keep} twice per record would count twice, which the
 * ingest checks against the rows Delta reports written.
 */
final class IngestTally extends AccumulatorV2<IngestTally.Seen, IngestTally.Tally> {
  private static final long serialVersionUID = 1L;

  /** Raw characters of quarantined records kept at most, over all tasks (32 MB of text). */
  static final long MAX_CHARS = 16L << 20;

  private final int maxRows;
  private final long maxChars;
  private Tally tally = new Tally();

  private IngestTally(int maxRows, long maxChars) {
    this.maxRows = maxRows;
    this.maxChars = maxChars;
  }

  /** A tally registered with the session's Spark context under {@code name}. */
  static IngestTally register(SparkSession spark, String name, int maxRows) {
    return register(spark, name, maxRows, MAX_CHARS);
  }

  /** {@link #register} with another bound on the raw text kept (tests). */
  static IngestTally register(SparkSession spark, String name, int maxRows, long maxChars) {
    IngestTally tally = new IngestTally(maxRows, maxChars);
    spark.sparkContext().register(tally, name);
    return tally;
  }

  /**
   * True for a record without a reason (a valid one); counts every record it is asked about
   * into this tally. Nondeterministic: Spark neither repeats nor removes it, and a projection
   * holding it stays where it is (see {@link BronzeMapping#validRows}).
   */
  Column keep(Column source, Column file, Column reason, Column raw, Column logicalDate) {
    IngestTally into = this;
    UDF5<String, String, String, String, String, Boolean> seen = (s, f, r, text, date) -> {
      into.add(new Seen(s, f, r, text, date));
      return r == null;
    };
    return udf(seen, DataTypes.BooleanType).asNondeterministic()
        .apply(source, file, reason, raw, logicalDate);
  }

  /** One record as {@link #keep} saw it. */
  record Seen(String source, String file, String reason, String raw, String logicalDate) {}

  @Override
  public boolean isZero() {
    return tally.counts.isEmpty() && !tally.overflowed;
  }

  @Override
  public IngestTally copy() {
    IngestTally copy = new IngestTally(maxRows, maxChars);
    copy.tally.merge(tally, maxRows, maxChars);
    return copy;
  }

  @Override
  public void reset() {
    tally = new Tally();
  }

  @Override
  public void add(Seen record) {
    tally.add(record, maxRows, maxChars);
  }

  @Override
  public void merge(AccumulatorV2<Seen, Tally> other) {
    tally.merge(other.value(), maxRows, maxChars);
  }

  @Override
  public Tally value() {
    return tally;
  }

  /** One quarantined record as read. */
  record Quarantined(String source, String file, String reason, String raw, String logicalDate)
      implements Serializable {}

  /** Counts per source and file, and the quarantined records unless they overflowed. */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FIELDS = 5;
    /** source NUL file to {records, quarantined}. */
    private final Map<String, long[]> counts = new HashMap<>();
    /** Kept quarantined records, five strings each: source, file, reason, raw, logical date. */
    private List<String> kept = new ArrayList<>();
    private long keptChars;
    private boolean overflowed;
    private transient String lastSource;
    private transient String lastFile;
    private transient long[] last;

    /** True when the quarantined records were too many to keep. */
    boolean isOverflowed() {
      return overflowed;
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

    private void add(Seen r, int maxRows, long maxChars) {
      // consecutive records mostly come from one file: no hashing for them
      if (last == null || !r.file().equals(lastFile) || !r.source().equals(lastSource)) {
        lastSource = r.source();
        lastFile = r.file();
        last = counts.computeIfAbsent(key(lastSource, lastFile), k -> new long[2]);
      }
      last[0]++;
      if (r.reason() != null) {
        last[1]++;
        keep(Arrays.asList(r.source(), r.file(), r.reason(), r.raw(), r.logicalDate()),
            maxRows, maxChars);
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
}
