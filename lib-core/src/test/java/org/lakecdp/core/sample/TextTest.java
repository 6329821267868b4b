package org.lakecdp.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void csvQuotesOnlyFieldsThatNeedIt() {
    String line = Text.csvLine("TK-1", "Refund, please", "say \"hi\"", null, "");
    assertThat(line).isEqualTo("TK-1,\"Refund, please\",\"say \"\"hi\"\"\",,");
    assertThat(Text.splitCsv(line)).containsExactly("TK-1", "Refund, please", "say \"hi\"", "", "");
  }

  @Test
  void jsonEscapesQuotesAndSeparatesFields() throws Exception {
    StringBuilder sb = new StringBuilder("{");
    Text.jsonString(sb, "name", "O'Brien \"Bob\"");
    Text.jsonKey(sb, "items").append('[').append('{');
    Text.jsonNumber(sb, "qty", 2);
    Text.money(Text.jsonKey(sb, "price"), 5999).append("}]");
    Text.money(Text.jsonKey(sb, "total"), 1205).append('}');
    JsonNode node = new ObjectMapper().readTree(sb.toString());
    assertThat(node.get("name").asText()).isEqualTo("O'Brien \"Bob\"");
    assertThat(node.get("items").get(0).get("price").decimalValue()).isEqualByComparingTo("59.99");
    assertThat(node.get("total").decimalValue()).isEqualByComparingTo("12.05");
  }
}
