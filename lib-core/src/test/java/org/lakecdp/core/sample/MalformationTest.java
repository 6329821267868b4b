package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MalformationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEB = "{\"event_id\":\"w-1\",\"ts\":\"2024-05-01T09:12:33.120Z\","
      + "\"cookie_id\":\"ck-1\",\"event\":\"login\"}";
  private static final String APP = "{\"id\":\"a-1\",\"timestamp\":1714554753120,"
      + "\"device\":{\"id\":\"dv-1\",\"os\":\"ios\"},\"name\":\"app_open\"}";
  private static final String POS = "TX-1,ST001,01/05/2024 10:12,,\"Smith, J\",9.99,GBP,1,books";

  @Test
  void truncatedJsonIsNoLongerAnObjectButKeepsItsKey() {
    String broken = Malformation.TRUNCATED.apply(Source.WEB, WEB);
    assertThat(broken).startsWith("{\"event_id\":\"w-1\",").isNotEqualTo(WEB);
    assertThatThrownBy(() -> JSON.readTree(broken)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void badTimestampReplacesTheTimeValue() throws Exception {
    JsonNode web = JSON.readTree(Malformation.BAD_TIMESTAMP.apply(Source.WEB, WEB));
    assertThat(web.get("ts").asText()).isEqualTo("2024-13-45T25:61:00Z");
    assertThat(web.get("event").asText()).isEqualTo("login");
    JsonNode app = JSON.readTree(Malformation.BAD_TIMESTAMP.apply(Source.APP, APP));
    assertThat(app.get("timestamp").isTextual()).isTrue();
  }

  @Test
  void missingTimestampDropsOnlyTheTimeField() throws Exception {
    JsonNode web = JSON.readTree(Malformation.MISSING_TIMESTAMP.apply(Source.WEB, WEB));
    assertThat(web.has("ts")).isFalse();
    assertThat(web.get("cookie_id").asText()).isEqualTo("ck-1");
    JsonNode app = JSON.readTree(Malformation.MISSING_TIMESTAMP.apply(Source.APP, APP));
    assertThat(app.has("timestamp")).isFalse();
    assertThat(app.get("device").get("os").asText()).isEqualTo("ios");
  }

  @Test
  void csvRowsGainAColumnOrLoseTheirDate() {
    assertThat(Text.splitCsv(Malformation.EXTRA_COLUMN.apply(Source.POS, POS))).hasSize(10);
    assertThat(Text.splitCsv(Malformation.BAD_DATE.apply(Source.POS, POS)))
        .containsExactly("TX-1", "ST001", "31/13/2024 25:61", "", "Smith, J", "9.99", "GBP", "1",
            "books");
  }
}
