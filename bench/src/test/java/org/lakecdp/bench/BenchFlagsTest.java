package org.lakecdp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchFlagsTest {
  private static final Map<String, String> DEFAULTS = Map.of("--persons", "20000",
      "--explain-only", "false");

  @Test
  void commandLineValuesWinOverDefaults() {
    Map<String, String> flags = BenchFlags.parse("identity",
        new String[] {"identity", "--persons", "200000"}, DEFAULTS);
    assertThat(flags).containsEntry("--persons", "200000")
        .containsEntry("--explain-only", "false");
    assertThat(BenchFlags.bool(flags, "--explain-only")).isFalse();
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> BenchFlags.parse("identity", new String[] {"ingest"}, DEFAULTS))
        .hasMessage("unknown benchmark 'ingest'; expected 'identity'");
    assertThatThrownBy(() -> BenchFlags.parse("identity", new String[0], DEFAULTS))
        .hasMessage("missing benchmark name 'identity'");
    assertThatThrownBy(() -> BenchFlags.parse("identity",
        new String[] {"identity", "--person", "5"}, DEFAULTS))
        .hasMessageStartingWith("unknown option '--person'; options: ")
        .hasMessageContaining("--persons");
    assertThatThrownBy(() -> BenchFlags.parse("identity",
        new String[] {"identity", "--persons"}, DEFAULTS))
        .hasMessage("option --persons needs a value");
    assertThatThrownBy(() -> BenchFlags.bool(Map.of("--explain-only", "yes"), "--explain-only"))
        .hasMessage("--explain-only must be true or false, got 'yes'");
  }
}
