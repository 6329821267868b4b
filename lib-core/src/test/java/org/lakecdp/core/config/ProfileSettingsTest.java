package org.lakecdp.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.ProfileSettings.Rule;

class ProfileSettingsTest {
  @TempDir
  Path dir;

  private static final String SOURCES = """
      cdp.sources.crm { format = csv, path = "x/{date}/*.csv", event-time.field = ts }
      cdp.sources.orders { format = json, path = "y/{date}/*.jsonl", event-time.field = ts }
      """;

  private CdpSettings load(String hocon) throws Exception {
    Path conf = dir.resolve("p.conf");
    Files.writeString(conf, SOURCES + hocon);
    return CdpConfigLoader.load(conf, Map.of());
  }

  @Test
  void referenceDefaultsAreValid() {
    ProfileSettings p = CdpConfigLoader.load(null, Map.of()).profile();
    assertThat(p.survivorship().keySet()).containsExactlyElementsOf(ProfileSettings.ATTRIBUTES);
    assertThat(p.survivorship().get("email").rule()).isEqualTo(Rule.MOST_RECENT);
    assertThat(p.survivorship().get("first_name").rule()).isEqualTo(Rule.MOST_FREQUENT);
    assertThat(p.excludedOrderStatuses()).containsExactly("cancelled");
    assertThat(p.rfmWindowDays()).isEqualTo(365);
    assertThat(p.engagementWindowDays()).isEqualTo(90);
    assertThat(p.topN()).isEqualTo(3);
    assertThat(p.timezone()).isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void rulesAndSourceListsAreRead() throws Exception {
    ProfileSettings p = load("""
        cdp.profile.survivorship.source-priority = [orders, crm]
        cdp.profile.survivorship.first_name { rule = source-priority, sources = [crm] }
        cdp.profile.survivorship.street.rule = longest
        cdp.profile.transactions.excluded-order-statuses = [Cancelled, " RETURNED "]
        """).profile();
    assertThat(p.survivorship().get("first_name"))
        .isEqualTo(new ProfileSettings.Survivorship(Rule.SOURCE_PRIORITY, List.of("crm")));
    assertThat(p.survivorship().get("street"))
        .isEqualTo(new ProfileSettings.Survivorship(Rule.LONGEST, List.of("orders", "crm")));
    assertThat(p.excludedOrderStatuses()).containsExactly("cancelled", "returned");
  }

  @Test
  void badValuesNameTheKeyAndTheValue() throws Exception {
    assertThatThrownBy(() -> load("cdp.profile.survivorship.email.rule = newest\n"))
        .isInstanceOf(CdpException.class)
        .hasMessage("cdp.profile.survivorship.email.rule must be one of [source-priority,"
            + " most-recent, most-frequent, longest]: 'newest'");
    assertThatThrownBy(() -> load("cdp.profile.survivorship.email.sources = [crm, shop]\n"))
        .hasMessage("cdp.profile.survivorship.email.sources must be one of [crm, orders]:"
            + " 'shop'");
    assertThatThrownBy(() -> load("cdp.profile.survivorship.source-priority = [crm, crm]\n"))
        .hasMessage("cdp.profile.survivorship.source-priority names a source twice: 'crm'");
    assertThatThrownBy(() -> load("cdp.profile.survivorship.phone.rule = source-priority\n"))
        .hasMessageStartingWith("cdp.profile.survivorship.phone.sources must list sources for"
            + " rule source-priority");
    assertThatThrownBy(() -> load("cdp.profile.survivorship.nickname.rule = longest\n"))
        .hasMessageStartingWith("unknown configuration key cdp.profile.survivorship.nickname.rule");
    assertThatThrownBy(() -> load("cdp.profile.transactions.rfm-window-days = 0\n"))
        .hasMessage("cdp.profile.transactions.rfm-window-days must be >= 1: 0");
    assertThatThrownBy(() -> load("cdp.profile.engagement.session-gap-minutes = -5\n"))
        .hasMessage("cdp.profile.engagement.session-gap-minutes must be >= 1: -5");
    assertThatThrownBy(() -> load("cdp.profile.preferences.top-n = 100\n"))
        .hasMessage("cdp.profile.preferences.top-n must be in [1,50]: 100");
    assertThatThrownBy(() -> load("cdp.profile.preferences.timezone = \"Mars/Olympus\"\n"))
        .hasMessageStartingWith("cdp.profile.preferences.timezone must be a time zone id");
    assertThatThrownBy(() -> load("cdp.profile.engagement.window-days = many\n"))
        .hasMessageStartingWith("cdp.profile.engagement.window-days has the wrong type");
  }
}
