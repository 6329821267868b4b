package org.lakecdp.core.config;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import org.lakecdp.core.CdpException;

/**
 * Rules of the bronze ingest that hold for every source.
 *
 * @param defaultTimezone zone for event times written without an offset
 * @param maxQuarantineFraction share of quarantined records above which a source fails the run
 * @param maxFutureHours event times later than run time plus this are quarantined
 * @param minEventDate event times before this date are quarantined
 * @param quarantineInMemoryRows quarantined records of a run up to this many are kept while
 *     the events are written and stored from there; more are read again from their files
 */
public record IngestSettings(ZoneId defaultTimezone, double maxQuarantineFraction,
    int maxFutureHours, LocalDate minEventDate, int quarantineInMemoryRows, long taskMegabytes) {

  public IngestSettings {
    if (!(maxQuarantineFraction >= 0 && maxQuarantineFraction <= 1)) {
      throw CdpException.badConfig("cdp.ingest.max-quarantine-fraction", "must be in [0,1]",
          maxQuarantineFraction);
    }
    if (maxFutureHours < 0) {
      throw CdpException.badConfig("cdp.ingest.max-future-hours", "must be >= 0",
          maxFutureHours);
    }
    if (quarantineInMemoryRows < 0) {
      throw CdpException.badConfig("cdp.ingest.quarantine-in-memory-rows", "must be >= 0",
          quarantineInMemoryRows);
    }
    if (taskMegabytes < 1 || taskMegabytes > (1L << 20)) {
      throw CdpException.badConfig("cdp.ingest.task-megabytes", "must be in [1, 1048576]",
          taskMegabytes);
    }
  }

  static ZoneId zone(String key, String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw CdpException.badConfig(key, "must be a time zone id such as UTC or Europe/Paris",
          value);
    }
  }

  static LocalDate date(String key, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeException e) {
      throw CdpException.badConfig(key, "must be a date yyyy-MM-dd", value);
    }
  }
}
