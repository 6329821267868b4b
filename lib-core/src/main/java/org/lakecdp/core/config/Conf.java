package org.lakecdp.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.lakecdp.core.CdpException;

/**
 * Typed reads from a {@link Config} that turn every Typesafe Config error into a
 * {@link CdpException} naming the full key and the offending value. Only the config package
 * uses it; transforms receive the validated records, never a {@code Config}.
 */
final class Conf {
  private final Config config;
  private final String prefix;

  Conf(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  Conf child(String key) {
    return new Conf(config.getConfig(key), key(key));
  }

  String key(String relative) {
    return prefix.isEmpty() ? relative : prefix + "." + relative;
  }

  boolean has(String key) {
    return config.hasPath(key);
  }

  String string(String key) {
    return read(key, config::getString);
  }

  String string(String key, String fallback) {
    return config.hasPath(key) ? string(key) : fallback;
  }

  int integer(String key) {
    return read(key, config::getInt);
  }

  long number(String key) {
    return read(key, config::getLong);
  }

  double decimal(String key) {
    return read(key, config::getDouble);
  }

  boolean bool(String key, boolean fallback) {
    return config.hasPath(key) ? read(key, config::getBoolean) : fallback;
  }

  /** A value that may be written as one string or as a list of strings. */
  List<String> stringOrList(String key) {
    if (!config.hasPath(key)) {
      return List.of();
    }
    ConfigValue value = config.getValue(key);
    if (value.valueType() == ConfigValueType.LIST) {
      return read(key, config::getStringList);
    }
    if (value.valueType() == ConfigValueType.STRING || value.valueType() == ConfigValueType.NUMBER
        || value.valueType() == ConfigValueType.BOOLEAN) {
      return List.of(config.getString(key));
    }
    throw CdpException.badConfig(key(key), "must be a string or a list of strings",
        value.unwrapped());
  }

  /** A list of objects, each read as a {@code Conf} keyed {@code key[i]}. */
  List<Conf> objects(String key) {
    List<? extends Config> list = read(key, config::getConfigList);
    List<Conf> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(new Conf(list.get(i), key(key) + "[" + i + "]"));
    }
    return out;
  }

  /** A list of lists of strings, e.g. blocking rules. */
  List<List<String>> stringLists(String key) {
    List<?> raw = read(key, config::getAnyRefList);
    List<List<String>> out = new ArrayList<>();
    for (Object item : raw) {
      if (!(item instanceof List<?> inner)) {
        throw CdpException.badConfig(key(key), "must be a list of lists of field names", raw);
      }
      out.add(inner.stream().map(String::valueOf).toList());
    }
    return out;
  }

  /** A list of strings. */
  List<String> strings(String key) {
    return read(key, config::getStringList);
  }

  /** A list of numbers. */
  List<Double> decimals(String key) {
    return read(key, config::getDoubleList);
  }

  /**
   * A list of numbers that may also be written as text, as {@code --set key=[1, 2]} gives:
   * the text is parsed as a HOCON list.
   */
  List<Double> decimalsOrText(String key) {
    if (config.hasPath(key) && config.getValue(key).valueType() == ConfigValueType.STRING) {
      String text = config.getString(key);
      try {
        return com.typesafe.config.ConfigFactory.parseString("v = " + text)
            .getDoubleList("v");
      } catch (ConfigException e) {
        throw CdpException.badConfig(key(key), "must be a list of numbers", text);
      }
    }
    return decimals(key);
  }

  /** A flat object of string values, e.g. reader options; order kept. */
  Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!config.hasPath(key)) {
      return out;
    }
    Config sub = read(key, config::getConfig);
    for (Map.Entry<String, ConfigValue> e : sub.entrySet()) {
      Object raw = e.getValue().unwrapped();
      if (raw instanceof List || raw instanceof Map) {
        throw CdpException.badConfig(key(key) + "." + e.getKey(), "must be a plain value", raw);
      }
      out.put(unquote(e.getKey()), String.valueOf(raw));
    }
    return out;
  }

  /** An object whose values are each a string or a list of strings (source mappings). */
  Map<String, List<String>> stringListMap(String key) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (!config.hasPath(key)) {
      return out;
    }
    Conf sub = child(key);
    for (String name : sub.config.root().keySet()) {
      out.put(name, sub.stringOrList(quoteIfNeeded(name)));
    }
    return out;
  }

  /** Rejects keys of this object that are not in {@code known}, suggesting the closest one. */
  void rejectUnknownKeys(Set<String> known) {
    for (String present : config.root().keySet()) {
      if (!known.contains(present)) {
        String suggestion = Suggest.closest(present, known);
        throw CdpException.unknownConfigKey(key(present),
            suggestion == null ? null : key(suggestion));
      }
    }
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String value = string(key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().replace('_', '-').equalsIgnoreCase(value)) {
        return constant;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().replace('_', '-').toLowerCase(Locale.ROOT));
    }
    throw CdpException.notOneOf(key(key), value, allowed);
  }

  private <T> T read(String key, Function<String, T> getter) {
    try {
      return getter.apply(key);
    } catch (ConfigException.Missing e) {
      throw new CdpException("missing required configuration key " + key(key));
    } catch (ConfigException.WrongType e) {
      Object value = config.hasPath(key) ? config.getValue(key).unwrapped() : null;
      throw CdpException.badConfig(key(key), "has the wrong type (" + e.getMessage()
          .replaceAll(".*: ", "") + ")", value);
    } catch (ConfigException.BadValue e) {
      throw CdpException.badConfig(key(key), "is not valid", config.getValue(key).unwrapped());
    }
  }

  private static String unquote(String key) {
    return key.length() > 1 && key.startsWith("\"") && key.endsWith("\"")
        ? key.substring(1, key.length() - 1) : key;
  }

  private static String quoteIfNeeded(String name) {
    return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name + "\"";
  }
}
