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
 */
public record IngestSettings(ZoneId defaultTimezone, double maxQuarantineFraction,
    int maxFutureHours, LocalDate minEventDate) {

  public IngestSettings {
    if (!(maxQuarantineFraction >= 0 && maxQuarantineFraction <= 1)) {
      throw CdpException.badConfig("cdp.ingest.max-quarantine-fraction", "must be in [0,1]",
          maxQuarantineFraction);
    }
    if (maxFutureHours < 0) {
      throw CdpException.badConfig("cdp.ingest.max-future-hours", "must be >= 0",
          maxFutureHours);
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
