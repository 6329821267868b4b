package org.lakecdp.core.identity;

import java.io.Serializable;
import java.util.Arrays;
import org.lakecdp.core.CdpException;

/**
 * A comparison vector: one agreement level per comparison of a {@link MatchModel}, -1 where a
 * value is missing. A value type usable as a map key: equality and hash are over the levels,
 * and the array is copied in and out, so a pattern never changes after construction.
 *
 * @param levels the levels, in the order of the model's comparisons; not null
 */
public record Pattern(int[] levels) implements Serializable {

  public Pattern {
    if (levels == null) {
      throw new CdpException("a comparison pattern needs its levels, got null");
    }
    levels = levels.clone();
  }

  /** A pattern of the given levels. */
  public static Pattern of(int... levels) {
    return new Pattern(levels);
  }

  /** A copy of the levels. */
  @Override
  public int[] levels() {
    return levels.clone();
  }

  /** Number of comparisons. */
  public int size() {
    return levels.length;
  }

  /** The level of comparison {@code k}. */
  public int level(int k) {
    return levels[k];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pattern p && Arrays.equals(levels, p.levels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(levels);
  }

  @Override
  public String toString() {
    return Arrays.toString(levels);
  }
}
