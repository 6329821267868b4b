package org.lakecdp.core.segment;

import java.time.LocalDate;
import java.util.List;

/**
 * What a segment run did.
 *
 * @param runId the run
 * @param runDate logical date evaluated
 * @param sizes per segment, in evaluation order
 * @param wrote true when the run wrote the day (false: the day already held the same result)
 */
public record SegmentReport(String runId, LocalDate runDate, List<Size> sizes, boolean wrote) {
  public SegmentReport {
    sizes = List.copyOf(sizes);
  }

  /**
   * One segment's numbers on the run date.
   *
   * @param members members, holdout included
   * @param holdout members in the holdout
   * @param entered customers who entered since the previous run date
   * @param exited customers who exited since the previous run date
   */
  public record Size(String segment, long members, long holdout, long entered, long exited) {}
}
