package org.lakecdp.core.sample;

import java.util.List;

/** The kinds of broken line the landing files carry, and how each breaks a good line. */
enum Malformation {
  /** A JSON line cut off half-way: not a JSON object any more. */
  TRUNCATED("truncated_json"),
  /** A JSON line whose event time is an impossible date, {@code 2024-13-45T25:61:00Z}. */
  BAD_TIMESTAMP("bad_timestamp"),
  /** A JSON line without its event time field. */
  MISSING_TIMESTAMP("missing_timestamp"),
  /** A CSV row with one column more than its header. */
  EXTRA_COLUMN("extra_column"),
  /** A CSV row whose time column cannot be parsed. */
  BAD_DATE("bad_date");

  static final String BAD_ISO = "2024-13-45T25:61:00Z";

  private final String reason;

  Malformation(String reason) {
    this.reason = reason;
  }

  /** The reason as written to {@code truth/malformed.csv}. */
  String reason() {
    return reason;
  }

  /** The broken version of a good line of {@code source}. */
  String apply(Source source, String line) {
    return switch (this) {
      case TRUNCATED -> {
        int firstComma = line.indexOf(',');
        yield line.substring(0, firstComma + 1 + (line.length() - firstComma - 2) / 2);
      }
      case BAD_TIMESTAMP -> {
        int[] span = jsonValueSpan(line, source.timeField());
        yield line.substring(0, span[0]) + '"' + BAD_ISO + '"' + line.substring(span[1]);
      }
      case MISSING_TIMESTAMP -> {
        int[] span = jsonValueSpan(line, source.timeField());
        int from = span[0] - source.timeField().length() - 3;
        int to = span[1];
        if (line.charAt(to) == ',') {
          to++;
        } else {
          from--;
        }
        yield line.substring(0, from) + line.substring(to);
      }
      case EXTRA_COLUMN -> line + ",unexpected";
      case BAD_DATE -> {
        List<String> fields = new java.util.ArrayList<>(Text.splitCsv(line));
        fields.set(source.timeColumn(), badDate(source));
        yield Text.csvLine(fields.toArray(new String[0]));
      }
    };
  }

  private static String badDate(Source source) {
    return switch (source) {
      case POS -> "31/13/2024 25:61";
      case CRM -> "2024-13-45 25:61:00";
      default -> BAD_ISO;
    };
  }

  /** Start and end (exclusive) of the value of a top-level {@code "field":} in a JSON line. */
  private static int[] jsonValueSpan(String line, String field) {
    String key = "\"" + field + "\":";
    int start = line.indexOf(key);
    if (start < 0) {
      throw new IllegalArgumentException("no field " + field + " in " + line);
    }
    int from = start + key.length();
    int to;
    if (line.charAt(from) == '"') {
      to = line.indexOf('"', from + 1) + 1;
    } else {
      to = from;
      while (line.charAt(to) != ',' && line.charAt(to) != '}') {
        to++;
      }
    }
    return new int[] {from, to};
  }
}
