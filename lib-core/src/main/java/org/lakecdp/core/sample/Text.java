package org.lakecdp.core.sample;

import java.util.ArrayList;
import java.util.List;

/** Minimal JSON and RFC 4180 CSV writing (and CSV splitting) for ASCII text. */
final class Text {
  private Text() {}

  /** Appends {@code "key":"value"} (with a leading comma unless first), escaping the value. */
  static StringBuilder jsonString(StringBuilder sb, String key, String value) {
    jsonKey(sb, key).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"');
  }

  /** Appends {@code "key":number}. */
  static StringBuilder jsonNumber(StringBuilder sb, String key, long value) {
    return jsonKey(sb, key).append(value);
  }

  /** Appends {@code "key":} for a value the caller writes next. */
  static StringBuilder jsonKey(StringBuilder sb, String key) {
    char last = sb.length() == 0 ? '{' : sb.charAt(sb.length() - 1);
    if (last != '{' && last != '[') {
      sb.append(',');
    }
    return sb.append('"').append(key).append("\":");
  }

  /** Appends pence as pounds with two decimals, {@code 59.99}. */
  static StringBuilder money(StringBuilder sb, long pence) {
    sb.append(pence / 100).append('.');
    long p = pence % 100;
    return sb.append((char) ('0' + p / 10)).append((char) ('0' + p % 10));
  }

  /** Appends one CSV field, quoted when it holds a comma, a quote or a line break. */
  static StringBuilder csvField(StringBuilder sb, String value) {
    String v = value == null ? "" : value;
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
      return sb.append(v);
    }
    return sb.append('"').append(v.replace("\"", "\"\"")).append('"');
  }

  /** Joins fields into one CSV line (no line break); null fields are empty. */
  static String csvLine(String... fields) {
    StringBuilder sb = new StringBuilder(128);
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      csvField(sb, fields[i]);
    }
    return sb.toString();
  }

  /** Splits one RFC 4180 CSV line into its fields. */
  static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }
}
