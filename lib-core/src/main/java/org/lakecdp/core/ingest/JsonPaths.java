package org.lakecdp.core.ingest;

/** Turns configured dotted field paths ({@code customer.email}) into JSON paths. */
final class JsonPaths {
  private JsonPaths() {}

  /** {@code $.a.b} for plain names, bracket notation for names with other characters. */
  static String of(String dotted) {
    StringBuilder path = new StringBuilder("$");
    for (String segment : dotted.split("\\.")) {
      if (segment.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        path.append('.').append(segment);
      } else {
        path.append("['").append(segment.replace("'", "\\'")).append("']");
      }
    }
    return path.toString();
  }
}
