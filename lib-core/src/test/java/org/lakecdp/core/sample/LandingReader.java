package org.lakecdp.core.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads generated landing files back the way an independent consumer would, judging every line
 * good or broken without looking at the generator's own code paths.
 */
final class LandingReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TILL =
      DateTimeFormatter.ofPattern("dd/MM/uuuu HH:mm").withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter SQL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

  /** One data line of a landing file; {@code problem} is null for a good line. */
  record Line(Source source, String file, LocalDate day, String text, JsonNode json,
      List<String> csv, String header, String problem) {}

  private LandingReader() {}

  /** Every data line under {@code root/landing}, files in path order. */
  static List<Line> read(Path root) {
    List<Line> out = new ArrayList<>();
    for (Source source : Source.values()) {
      Path dir = root.resolve("landing").resolve(source.dir());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          String rel = root.relativize(file).toString().replace('\\', '/');
          LocalDate day = LocalDate.parse(file.getParent().getFileName().toString());
          List<String> lines = Files.readAllLines(file);
          String header = source.csv() ? lines.get(0) : null;
          for (String text : lines.subList(source.csv() ? 1 : 0, lines.size())) {
            out.add(source.csv() ? csvLine(source, rel, day, text, header)
                : jsonLine(source, rel, day, text));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static Line jsonLine(Source source, String file, LocalDate day, String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      return new Line(source, file, day, text, null, null, null, "truncated_json");
    }
    if (node == null || !node.isObject()) {
      return new Line(source, file, day, text, null, null, null, "truncated_json");
    }
    JsonNode time = node.get(source.timeField());
    String problem = null;
    if (time == null) {
      problem = "missing_timestamp";
    } else if (!validJsonTime(source, time)) {
      problem = "bad_timestamp";
    }
    return new Line(source, file, day, text, node, null, null, problem);
  }

  private static boolean validJsonTime(Source source, JsonNode time) {
    try {
      switch (source) {
        case APP -> {
          return time.isIntegralNumber();
        }
        case ORDERS -> OffsetDateTime.parse(time.asText());
        default -> Instant.parse(time.asText());
      }
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Line csvLine(Source source, String file, LocalDate day, String text,
      String header) {
    List<String> fields = Text.splitCsv(text);
    String problem = null;
    if (fields.size() != Text.splitCsv(header).size()) {
      problem = "extra_column";
    } else {
      String time = fields.get(source.timeColumn());
      try {
        switch (source) {
          case POS -> LocalDateTime.parse(time, TILL);
          case CRM -> LocalDateTime.parse(time, SQL);
          default -> Instant.parse(time);
        }
      } catch (DateTimeParseException e) {
        problem = "bad_date";
      }
    }
    return new Line(source, file, day, text, null, fields, header, problem);
  }

  /** The record key of a line: its id field, or for a cut JSON line, the id it starts with. */
  static String key(Line line) {
    if (line.csv() != null) {
      return line.csv().get(0);
    }
    if (line.json() != null) {
      String field = switch (line.source()) {
        case WEB, EMAIL -> "event_id";
        case ORDERS -> "order_id";
        default -> "id";
      };
      return line.json().get(field).asText();
    }
    String t = line.text();
    int colon = t.indexOf(':');
    return t.substring(colon + 2, t.indexOf('"', colon + 2));
  }
}
