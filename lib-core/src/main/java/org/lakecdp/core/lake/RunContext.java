package org.lakecdp.core.lake;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * One run of one job: what every write of the run is stamped with.
 *
 * @param runId unique id, {@code <job>-<yyyyMMdd'T'HHmmss>-<6 hex>}
 * @param job job name
 * @param logicalDate the day the run processes
 * @param startedAt start time
 * @param configHash hash of the configuration the run used
 */
public record RunContext(String runId, String job, LocalDate logicalDate, Instant startedAt,
    String configHash) {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  /** A new run of {@code job} for {@code logicalDate}, starting now. */
  public static RunContext start(String job, LocalDate logicalDate, String configHash) {
    Instant now = Instant.now();
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    return new RunContext(job + "-" + STAMP.format(now) + "-" + suffix, job, logicalDate, now,
        configHash);
  }
}
