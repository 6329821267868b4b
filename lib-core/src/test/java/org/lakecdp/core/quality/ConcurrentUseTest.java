package org.lakecdp.core.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The standardisers share only immutable state, so concurrent callers see sequential results. */
class ConcurrentUseTest {
  private static final String[] INPUTS = {
    "07911 123456", "+44 (0)7911 123456", "John.Smith@Gmail.com ", "Dr. Zoë O'Brien-Smith Jr",
    "Flat 3, 12 St. John's Rd", "sw1a1aa", "7 Mar 1985", "07/03/1985", "United Kingdom", "F",
    "non-binary", "garbage", "", "0000000000"
  };

  @Test
  void concurrentCallsGiveTheSequentialResults() throws Exception {
    List<String> expected = run();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit((Callable<List<String>>) ConcurrentUseTest::run));
      }
      for (Future<List<String>> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> run() {
    List<String> out = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (String s : INPUTS) {
        out.add(Phones.toE164(s, "GB"));
        out.add(Phones.toE164Lenient(s, "GB"));
        out.add(Emails.standardize(s));
        out.add(String.valueOf(Emails.isValid(Emails.standardize(s))));
        out.add(Names.standardize(s));
        out.add(Names.display(s));
        out.add(String.join("|", String.valueOf(Names.splitFullName(s)[0]),
            String.valueOf(Names.splitFullName(s)[1])));
        out.add(Addresses.standardizeStreet(s));
        out.add(Addresses.standardizePostcode(s, "GB"));
        out.add(Addresses.standardizeLocality(s));
        out.add(String.valueOf(DatesOfBirth.parse(s, false)));
        out.add(Countries.toIso2(s));
        out.add(Genders.standardize(s));
      }
    }
    return out;
  }
}
