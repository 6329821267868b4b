package org.lakecdp.jobs;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Prints query results as an aligned table, CSV (RFC 4180) or JSON lines. */
final class ResultPrinter {
  /** Output formats of {@code cdp sql}. */
  enum Format { TABLE, CSV, JSON }

  private static final int MAX_CELL = 60;

  private ResultPrinter() {}

  static Format format(String name) {
    if (name == null) {
      return Format.TABLE;
    }
    try {
      return Format.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("sql: --format must be one of table, csv, json: '" + name + "'");
    }
  }

  /** Prints at most {@code limit} rows; says so when more exist (table format only). */
  static void print(Dataset<Row> result, Format format, int limit, PrintStream out) {
    if (format == Format.JSON) {
      result.limit(limit).toJSON().collectAsList().forEach(out::println);
      return;
    }
    String[] columns = result.columns();
    List<Row> rows = result.limit(limit + 1).collectAsList();
    boolean more = rows.size() > limit;
    if (more) {
      rows = rows.subList(0, limit);
    }
    List<String[]> cells = new ArrayList<>();
    for (Row row : rows) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        line[i] = row.isNullAt(i) ? (format == Format.CSV ? "" : "NULL")
            : String.valueOf(row.get(i));
      }
      cells.add(line);
    }
    if (format == Format.CSV) {
      out.println(csvLine(columns));
      cells.forEach(c -> out.println(csvLine(c)));
      return;
    }
    int[] widths = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      widths[i] = columns[i].length();
      for (String[] c : cells) {
        c[i] = c[i].length() > MAX_CELL ? c[i].substring(0, MAX_CELL - 3) + "..." : c[i];
        widths[i] = Math.max(widths[i], c[i].length());
      }
    }
    out.println(tableLine(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int w : widths) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
    }
    out.println(rule);
    cells.forEach(c -> out.println(tableLine(c, widths)));
    out.println("(" + rows.size() + (more ? "+ rows, first " + limit + " shown; use --limit"
        : " row" + (rows.size() == 1 ? "" : "s")) + ")");
  }

  private static String tableLine(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i].replace('\n', ' ');
      line.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(widths[i] - cell.length()));
    }
    return line.toString().stripTrailing();
  }

  static String csvLine(String[] cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i];
      boolean quote = c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r");
      line.append(i == 0 ? "" : ",")
          .append(quote ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
    }
    return line.toString();
  }
}
