package org.lakecdp.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line every benchmark shares: its name, then {@code --flag value} pairs. */
final class BenchFlags {
  private BenchFlags() {
  }

  /**
   * The flags of benchmark {@code name}: {@code defaults} (which also name every known flag)
   * with the command line's values over them, in the defaults' order.
   *
   * @throws IllegalArgumentException naming the benchmark or flag at fault
   */
  static Map<String, String> parse(String name, String[] args, Map<String, String> defaults) {
    if (args.length == 0 || !args[0].equals(name)) {
      throw new IllegalArgumentException(args.length == 0 ? "missing benchmark name '"
          + name + "'" : "unknown benchmark '" + args[0] + "'; expected '" + name + "'");
    }
    Map<String, String> flags = new LinkedHashMap<>(defaults);
    for (int i = 1; i < args.length; i += 2) {
      if (!flags.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: "
            + String.join(" ", flags.keySet()));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      flags.put(args[i], args[i + 1]);
    }
    return flags;
  }

  /** A flag that must read {@code true} or {@code false}. */
  static boolean bool(Map<String, String> flags, String flag) {
    String value = flags.get(flag);
    if (!List.of("true", "false").contains(value)) {
      throw new IllegalArgumentException(flag + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }
}
