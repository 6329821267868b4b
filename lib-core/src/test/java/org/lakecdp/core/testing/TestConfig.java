package org.lakecdp.core.testing;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lakecdp.core.config.CdpConfigLoader;
import org.lakecdp.core.config.CdpSettings;

/** Builds validated settings for tests from a lakehouse root and flat overrides. */
public final class TestConfig {
  private TestConfig() {}

  /** Reference defaults, lakehouse at {@code root}, then {@code overrides}. */
  public static CdpSettings settings(Path root, Map<String, String> overrides) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("cdp.lakehouse.root", root.toString());
    all.putAll(overrides);
    return CdpConfigLoader.settings(ConfigFactory.parseMap(all)
        .withFallback(ConfigFactory.parseResources("reference.conf")).resolve());
  }

  /** Settings from HOCON text (sources and the like), lakehouse at {@code root}. */
  public static CdpSettings fromHocon(Path root, String hocon) {
    return CdpConfigLoader.settings(ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.parseMap(Map.of("cdp.lakehouse.root", root.toString())))
        .withFallback(ConfigFactory.parseResources("reference.conf")).resolve());
  }
}
