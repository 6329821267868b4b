package org.lakecdp.core.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a fixed list of field paths from JSON object records, each record in one streaming
 * pass that descends only into the objects a path goes through and skips everything else.
 *
 * <p>What a path reads:
 * <ul>
 *   <li>{@code email}: the top-level field {@code email}; {@code customer.email}: the top-level
 *       field named so with the dot, when the record has one, else {@code email} inside the
 *       object {@code customer} (also when {@code customer} is a string holding a JSON object,
 *       as exports that stringify nested data write it).</li>
 *   <li>A string is its text; a number or boolean its text as written; an object or array its
 *       JSON text as written; each without leading and trailing whitespace. {@code null}, an
 *       absent field and a blank value are null. Of a key repeated in one object the first
 *       value is read.</li>
 *   <li>Values come back as UTF-8 bytes, which Spark takes as text without a conversion. A
 *       string without escapes is cut out of the record's bytes as it stands, never decoded;
 *       one with escapes, or with a byte of a multi-byte character at either end (which could
 *       be a Unicode space to strip), is decoded by the parser.</li>
 * </ul>
 * A record that is not one JSON object (malformed, truncated, an array, a scalar) reads as
 * null; text after the object's closing brace is ignored. Lenient as Spark's JSON reader by
 * default: single quotes and NaN/Infinity are accepted. Thread-safe and serialisable.
 */
final class JsonFields implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final int count;
  private final Node root = new Node();

  /** A reader of {@code paths} (dotted, distinct); values come back in this order. */
  JsonFields(List<String> paths) {
    this.count = paths.size();
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i);
      root.child(path).exact = i;
      String[] segments = path.split("\\.");
      if (segments.length > 1) {
        Node node = root;
        for (String segment : segments) {
          node = node.child(segment);
        }
        node.nested = i;
      }
    }
  }

  /** One name of the wanted tree: which value slots it fills, and the names below it. */
  private static final class Node implements Serializable {
    private static final long serialVersionUID = 1L;
    final Map<String, Node> children = new HashMap<>();
    /** Slot of the path equal to this top-level name, or -1. */
    int exact = -1;
    /** Slot of the dotted path that ends here, or -1. */
    int nested = -1;

    Node child(String name) {
      return children.computeIfAbsent(name, n -> new Node());
    }

    boolean wantsText() {
      return exact >= 0 || nested >= 0;
    }
  }

  /**
   * The values of the paths in {@code json} (UTF-8), as UTF-8 bytes (null for none), or null
   * when {@code json} is not a JSON object.
   */
  byte[][] read(byte[] json) {
    if (json == null) {
      return null;
    }
    byte[][] exact = new byte[count][];
    byte[][] nested = new byte[count][];
    if (!readObjectRecord(json, root, exact, nested)) {
      return null;
    }
    for (int i = 0; i < count; i++) {
      if (exact[i] == null) {
        exact[i] = nested[i];
      }
    }
    return exact;
  }

  /** Reads one JSON object text into the slots of {@code node}'s tree; false if malformed. */
  private static boolean readObjectRecord(byte[] json, Node node, byte[][] exact,
      byte[][] nested) {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      readObject(p, json, node, exact, nested);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads the fields of the object whose START_OBJECT was just read, up to its END_OBJECT. */
  private static void readObject(JsonParser p, byte[] json, Node node, byte[][] exact,
      byte[][] nested) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Node child = node.children.get(p.currentName());
      JsonToken value = p.nextToken();
      if (child == null) {
        p.skipChildren();
        continue;
      }
      byte[] text;
      if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (value == JsonToken.START_OBJECT && !child.children.isEmpty()) {
          readObject(p, json, child, exact, nested);
        } else {
          p.skipChildren();
        }
        int end = (int) p.currentLocation().getByteOffset();
        text = child.wantsText() ? trimmed(json, start, end) : null;
      } else if (value == JsonToken.VALUE_NULL) {
        text = null;
      } else if (value == JsonToken.VALUE_STRING && child.children.isEmpty()) {
        text = child.wantsText() ? string(p, json) : null;
      } else {
        String decoded = p.getText();
        if (value == JsonToken.VALUE_STRING) {
          // a nested object delivered as a string: read the paths below it from its text
          readObjectRecord(decoded.getBytes(StandardCharsets.UTF_8), child, exact, nested);
        }
        text = child.wantsText() ? decoded.strip().getBytes(StandardCharsets.UTF_8) : null;
      }
      if (text != null && text.length > 0) {
        if (child.exact >= 0 && exact[child.exact] == null) {
          exact[child.exact] = text;
        }
        if (child.nested >= 0 && nested[child.nested] == null) {
          nested[child.nested] = text;
        }
      }
    }
  }

  /**
   * The string value the parser stands on, trimmed: its bytes between the quotes when it holds
   * no escape, else the parser's decoded text. The parser skips the string on its next token.
   */
  private static byte[] string(JsonParser p, byte[] json) throws IOException {
    long at = p.currentTokenLocation().getByteOffset();
    if (at >= 0 && at < json.length) {
      int start = (int) at;
      byte quote = json[start];
      if (quote == '"' || quote == '\'') {
        for (int i = start + 1; i < json.length; i++) {
          byte b = json[i];
          if (b == quote) {
            return trimmed(json, start + 1, i);
          }
          if (b == '\\') {
            break;
          }
        }
      }
    }
    return p.getText().strip().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code json[from, to)} without leading and trailing whitespace, as {@link String#strip}
   * removes it: ASCII whitespace here; decoded and stripped when a byte at either end belongs
   * to a multi-byte character, which may be a Unicode space.
   */
  private static byte[] trimmed(byte[] json, int from, int to) {
    while (from < to && asciiSpace(json[from])) {
      from++;
    }
    while (to > from && asciiSpace(json[to - 1])) {
      to--;
    }
    if (from < to && (json[from] < 0 || json[to - 1] < 0)) {
      return new String(json, from, to - from, StandardCharsets.UTF_8).strip()
          .getBytes(StandardCharsets.UTF_8);
    }
    return Arrays.copyOfRange(json, from, to);
  }

  /** The ASCII characters {@link Character#isWhitespace} holds to be whitespace. */
  private static boolean asciiSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1C && b <= 0x1F);
  }
}
