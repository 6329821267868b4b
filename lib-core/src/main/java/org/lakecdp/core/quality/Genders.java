package org.lakecdp.core.quality;

import java.util.HashMap;
import java.util.Map;

/**
 * Gender values to the vocabulary {@code female}, {@code male}, {@code other}.
 *
 * <p>Keys compare folded (case, diacritics, dots, hyphens and spaces do not matter: {@code
 * Non-Binary}, {@code nonbinary} and {@code NON BINARY} are one key). Unknown and refused
 * answers ({@code u}, {@code unknown}, {@code prefer not to say}, {@code n/a}) and anything
 * not listed give null, as do numeric codes, whose meaning differs between systems. Null-safe and
 * thread-safe; never throws.
 */
public final class Genders {
  public static final String FEMALE = "female";
  public static final String MALE = "male";
  public static final String OTHER = "other";

  private static final Map<String, String> LOOKUP = build();

  private Genders() {}

  /**
   * The standard gender of a value: {@code f, female, woman, w, frau, mrs, ms, miss -> female};
   * {@code m, male, man, mr, herr -> male}; {@code x, non-binary, nonbinary, other, diverse, d
   * -> other} (German forms use {@code m/w/d}).
   *
   * @return {@code "female"}, {@code "male"}, {@code "other"}, or null for null, blank,
   *     unknown, refused or unrecognised values
   */
  public static String standardize(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String key = key(raw);
    return key == null ? null : LOOKUP.get(key);
  }

  private static String key(String s) {
    String words = Fold.words(s, false);
    return words == null ? null : words.replace(" ", "");
  }

  private static Map<String, String> build() {
    Map<String, String> map = new HashMap<>();
    for (String k : new String[] {"f", "fem", "female", "woman", "w", "girl", "lady",
        "frau", "weiblich", "mrs", "ms", "miss", "femme", "femenino", "mujer", "femmina",
        "vrouw", "feminine", "she", "sheher"}) {
      map.put(key(k), FEMALE);
    }
    for (String k : new String[] {"m", "male", "man", "boy", "mr", "herr", "mannlich", "maennlich",
        "homme", "masculino", "hombre", "maschio", "masculine", "he", "hehim"}) {
      map.put(key(k), MALE);
    }
    for (String k : new String[] {"x", "other", "non-binary", "nonbinary", "non binary", "nb",
        "enby", "diverse", "divers", "d", "genderqueer", "gender queer", "genderfluid",
        "agender", "intersex", "third gender", "o", "they them"}) {
      map.put(key(k), OTHER);
    }
    return Map.copyOf(map);
  }
}
