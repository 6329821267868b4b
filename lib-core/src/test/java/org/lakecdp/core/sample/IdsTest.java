package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  private final Ids ids = new Ids(42);

  @Test
  void crmIdsAreSevenDigitsAndNeverCollideWithDuplicates() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50_000; i++) {
      assertThat(seen.add(ids.crmId(i, false))).isTrue();
      assertThat(seen.add(ids.crmId(i, true))).isTrue();
    }
    assertThat(ids.crmId(Ids.MAX_PERSONS - 1, true)).matches("C\\d{7}");
    assertThat(ids.loyaltyCard(7)).matches("LC\\d{9}");
    assertThat(ids.mobile(7)).matches("07\\d{9}");
  }

  @Test
  void tokensAreUniqueAcrossKindsPersonsAndSequence() {
    Set<String> seen = new HashSet<>();
    for (int kind = 1; kind <= 3; kind++) {
      for (int person = 0; person < 200; person++) {
        for (int seq = 0; seq < 50; seq++) {
          assertThat(seen.add(ids.token(kind, person, seq))).isTrue();
        }
      }
    }
    assertThat(ids.token(1, 0, 0)).matches("[0-9a-f]{16}").isNotEqualTo(new Ids(43).token(1, 0, 0));
  }

  @Test
  void personIdsArePadded() {
    assertThat(Ids.personId(0)).isEqualTo("P0000001");
  }
}
