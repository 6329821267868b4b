package org.lakecdp.jobs;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lakecdp.core.config.Suggest;

/**
 * Parsed arguments of one {@code cdp} command: positional arguments, options with a value
 * ({@code --date 2024-05-01} or {@code --date=2024-05-01}) and flags ({@code --force}).
 * Options may repeat ({@code --set a=1 --set b=2}).
 */
final class CommandLine {
  private final String command;
  private final List<String> positional = new ArrayList<>();
  private final Map<String, List<String>> options = new LinkedHashMap<>();

  private CommandLine(String command) {
    this.command = command;
  }

  /**
   * Parses {@code args} for {@code command}, accepting only the given options (which take a
   * value) and flags (which do not).
   */
  static CommandLine parse(String command, List<String> args, Set<String> valued,
      Set<String> flags) {
    CommandLine cl = new CommandLine(command);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.equals("--")) {
        cl.positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException(command + ": --" + name + " takes no value");
        }
        cl.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(command + ": --" + name + " needs a value");
          }
          value = args.get(++i);
        }
        cl.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        List<String> known = new ArrayList<>(valued);
        known.addAll(flags);
        String suggestion = Suggest.closest(name, known);
        throw new UsageException(command + ": unknown option --" + name
            + (suggestion == null ? "" : " (did you mean --" + suggestion + "?)"));
      }
    }
    return cl;
  }

  List<String> positional() {
    return positional;
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  String value(String name) {
    List<String> values = options.get(name);
    if (values == null) {
      return null;
    }
    if (values.size() > 1) {
      throw new UsageException(command + ": --" + name + " given more than once");
    }
    return values.get(0);
  }

  List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  LocalDate date(String name) {
    String value = value(name);
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeException e) {
      throw new UsageException(command + ": --" + name + " must be a date yyyy-MM-dd: '"
          + value + "'");
    }
  }

  Integer integer(String name) {
    String value = value(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be a whole number: '" + value
          + "'");
    }
  }

  Path path(String name) {
    String value = value(name);
    return value == null ? null : Path.of(value);
  }

  /** {@code --set key=value} overrides as a map, keys prefixed with cdp. when missing. */
  Map<String, String> overrides() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : values("set")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(command + ": --set takes key=value: '" + kv + "'");
      }
      String key = kv.substring(0, eq).strip();
      out.put(key.startsWith("cdp.") ? key : "cdp." + key, kv.substring(eq + 1).strip());
    }
    return out;
  }
}
