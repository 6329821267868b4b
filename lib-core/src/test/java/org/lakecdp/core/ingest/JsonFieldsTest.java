package org.lakecdp.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
  private static String[] read(List<String> paths, String json) {
    byte[][] values = new JsonFields(paths).read(json.getBytes(StandardCharsets.UTF_8));
    if (values == null) {
      return null;
    }
    String[] text = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      text[i] = values[i] == null ? null : new String(values[i], StandardCharsets.UTF_8);
    }
    return text;
  }

  @Test
  void scalarsAreTheirTextAsWrittenAndAbsentOrNullFieldsAreNull() {
    assertThat(read(List.of("s", "n", "f", "b", "z", "missing"),
        "{\"s\":\"caf\\u00e9 \\\"x\\\"\", \"n\":42, \"f\":1.50, \"b\":true, \"z\":null}"))
        .containsExactly("café \"x\"", "42", "1.50", "true", null, null);
  }

  @Test
  void valuesAreTrimmedAndBlankValuesAreNull() {
    assertThat(read(List.of("s", "blank", "empty", "o"),
        "{\"s\":\"  A@B.com \\t\", \"blank\":\"   \", \"empty\":\"\", \"o\":{ }}"))
        .containsExactly("A@B.com", null, null, "{ }");
  }

  @Test
  void objectsAndArraysAreTheirJsonTextAsWritten() {
    assertThat(read(List.of("o", "a", "after"),
        "{\"o\": {\"k\": [1, {\"é\": 2}]}, \"a\":[ \"x\" ,null], \"after\":\"ü\"}"))
        .containsExactly("{\"k\": [1, {\"é\": 2}]}", "[ \"x\" ,null]", "ü");
  }

  @Test
  void nestedPathsDescendIntoObjectsAndStringsHoldingObjects() {
    List<String> paths = List.of("customer", "customer.email", "customer.address.city", "id");
    assertThat(read(paths, "{\"id\":1,\"customer\":{\"email\":\"a@b\",\"address\":"
        + "{\"city\":\"Leeds\"},\"other\":{\"deep\":[1,2]}}}"))
        .containsExactly("{\"email\":\"a@b\",\"address\":{\"city\":\"Leeds\"},\"other\":"
            + "{\"deep\":[1,2]}}", "a@b", "Leeds", "1");
    assertThat(read(paths, "{\"customer\":\"{\\\"email\\\":\\\"s@t\\\"}\"}"))
        .containsExactly("{\"email\":\"s@t\"}", "s@t", null, null);
    assertThat(read(paths, "{\"customer\":[{\"email\":\"x@y\"}],\"id\":\"k\"}"))
        .containsExactly("[{\"email\":\"x@y\"}]", null, null, "k");
    assertThat(read(paths, "{\"customer\":\"plain text\",\"id\":2}"))
        .containsExactly("plain text", null, null, "2");
  }

  @Test
  void aTopLevelFieldNamedWithTheDotsWins() {
    assertThat(read(List.of("customer.email"),
        "{\"customer\":{\"email\":\"nested\"},\"customer.email\":\"flat\"}"))
        .containsExactly("flat");
    assertThat(read(List.of("customer.email"),
        "{\"customer.email\":null,\"customer\":{\"email\":\"nested\"}}"))
        .containsExactly("nested");
  }

  @Test
  void stringsReadAsStripWouldTrimThemWithOrWithoutEscapesOrUnicodeSpaces() {
    List<String> values = List.of("plain", "  padded\t", "Zo\u00e9", "\u00e9t\u00e9 ",
        "\u2003em spaces\u2003", "\u00a0kept nbsp\u00a0", "O'Neil", "caf\u00e9 \u2028",
        "\u4e2d\u6587", " \u2003 ");
    for (String v : values) {
      String expected = v.strip().isEmpty() ? null : v.strip();
      // written as they stand (no escapes) and with escapes, double and single quoted
      String escaped = v.replace("'", "\\u0027").replace("\t", "\\t");
      assertThat(read(List.of("a"), "{\"a\":\"" + v.replace("\t", " ") + "\"}"))
          .as(v).containsExactly(v.replace("\t", " ").strip().isEmpty() ? null
              : v.replace("\t", " ").strip());
      assertThat(read(List.of("a"), "{\"a\":\"" + escaped + "\"}")).as(escaped)
          .containsExactly(expected);
      assertThat(read(List.of("a"), "{'a':'" + escaped + "'}")).as(escaped)
          .containsExactly(expected);
    }
    assertThat(read(List.of("a", "b"), "{'a':'say \"hi\"', \"b\":\"it's\"}"))
        .containsExactly("say \"hi\"", "it's");
    assertThat(read(List.of("a"), "{\"a\":\"never closed}")).isNull();
  }

  @Test
  void theFirstOfRepeatedKeysIsRead() {
    assertThat(read(List.of("a", "o.b"), "{\"a\":1,\"o\":{\"b\":2,\"b\":3},\"a\":4}"))
        .containsExactly("1", "2");
  }

  @Test
  void recordsThatAreNotOneJsonObjectReadAsNull() {
    List<String> paths = List.of("a");
    for (String bad : List.of("not json", "[1,2]", "[{\"a\":1}]", "\"a\"", "123", "null", "",
        "{\"a\":1", "{\"a\":}", "{a:1}")) {
      assertThat(read(paths, bad)).as(bad).isNull();
    }
    assertThat(new JsonFields(paths).read(null)).isNull();
  }

  @Test
  void leniencyMatchesSparksJsonReader() {
    assertThat(read(List.of("a", "b"), "  {'a':'single', \"b\": NaN} trailing text"))
        .containsExactly("single", "NaN");
  }
}
