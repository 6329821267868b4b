package org.lakecdp.core.config;

import java.time.LocalDate;
import org.lakecdp.core.CdpException;

/**
 * Size and shape of the bundled sample data.
 *
 * @param root folder the generator writes landing files and ground truth to
 * @param persons number of real persons behind the data
 * @param days days of history, ending at {@code endDate}
 * @param endDate last day of history
 * @param seed random seed; the same seed and sizes give byte-identical files
 */
public record SampleSettings(String root, int persons, int days, LocalDate endDate, long seed) {
  public SampleSettings {
    if (persons < 1) {
      throw CdpException.badConfig("cdp.sample.persons", "must be at least 1", persons);
    }
    if (days < 1 || days > 3660) {
      throw CdpException.badConfig("cdp.sample.days", "must be in [1,3660]", days);
    }
  }
}
