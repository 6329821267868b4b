package org.lakecdp.core.lake;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.lakecdp.core.config.CanonicalField;

/**
 * The one place personal data is tagged: per table, the columns holding PII and how the
 * analysts' masked view ({@code <gold database>.<table>_masked}) treats them. Untagged
 * columns pass through unchanged; a view follows its table's schema.
 *
 * <p>Treatments: {@link Treatment#MASK} keeps the first character ({@code a***}),
 * {@link Treatment#MASK_EMAIL} the first character and the domain ({@code j***@example.com}),
 * {@link Treatment#MASK_PHONE} the last two digits ({@code ***23}), {@link Treatment#HASH}
 * gives the SHA-256 (lower-case hex) of the value, joinable across views, {@link Treatment#DROP}
 * leaves the column out. A treatment applies to every element of an array column, and to
 * the values of a map column whose key is in the tag's keys (or starts with {@code x_} when
 * the keys hold {@link #CUSTOM}); a map tag without keys treats every value. Nulls stay null.
 */
public final class PiiColumns {
  private PiiColumns() {}

  /** How a masked view shows a PII column. */
  public enum Treatment { MASK, MASK_EMAIL, MASK_PHONE, HASH, DROP }

  /** A PII column; {@code keys}: for a map column, the keys whose values are PII. */
  public record Tag(String column, Treatment treatment, Set<String> keys) {}

  /** In a tag's keys: every custom ({@code x_}) attribute. */
  public static final String CUSTOM = "x_*";

  /** Suffix of the masked views' names. */
  public static final String VIEW_SUFFIX = "_masked";

  /** Canonical attribute names that hold personal data (names, address, birth date). */
  public static final Set<String> PII_ATTRIBUTES = Set.of("first_name", "last_name",
      "full_name", "date_of_birth", "street", "street_number", "address_line2", "postcode",
      CUSTOM);

  private static final Map<CdpTable, Map<String, Tag>> TAGS = tags();

  /** The PII columns of a table, by column name (empty when it holds none). */
  public static Map<String, Tag> of(CdpTable table) {
    return TAGS.getOrDefault(table, Map.of());
  }

  /** Tables with PII columns, each of which gets a masked view. */
  public static List<CdpTable> tagged() {
    return List.copyOf(TAGS.keySet());
  }

  /** Name of a table's masked view (without database). */
  public static String viewName(CdpTable table) {
    return table.tableName() + VIEW_SUFFIX;
  }

  /**
   * The SELECT of a table's masked view over {@code source} (its catalog name): every
   * column of the table's schema in order, PII columns treated, dropped ones left out.
   */
  public static String viewQuery(CdpTable table, String source) {
    Map<String, Tag> tags = of(table);
    List<String> select = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      Tag tag = tags.get(f.name());
      if (tag == null) {
        select.add(quoteName(f.name()));
      } else if (tag.treatment() != Treatment.DROP) {
        select.add(treat(tag, quoteName(f.name()), f.dataType()) + " AS "
            + quoteName(f.name()));
      }
    }
    return "SELECT " + String.join(", ", select) + " FROM " + source;
  }

  private static String treat(Tag tag, String column, DataType type) {
    if (type instanceof ArrayType a) {
      return "transform(" + column + ", x -> " + scalar(tag.treatment(), "x", a.elementType())
          + ")";
    }
    if (type instanceof MapType m) {
      String v = scalar(tag.treatment(), "v", m.valueType());
      if (tag.keys().isEmpty()) {
        return "transform_values(" + column + ", (k, v) -> " + v + ")";
      }
      List<String> keys = new ArrayList<>();
      String custom = "";
      for (String k : tag.keys()) {
        if (k.equals(CUSTOM)) {
          custom = " OR k LIKE 'x\\\\_%'";
        } else {
          keys.add("'" + k + "'");
        }
      }
      return "transform_values(" + column + ", (k, v) -> CASE WHEN k IN ("
          + String.join(", ", keys.stream().sorted().toList()) + ")" + custom + " THEN " + v
          + " ELSE v END)";
    }
    return scalar(tag.treatment(), column, type);
  }

  private static String scalar(Treatment t, String c, DataType type) {
    String s = type instanceof StringType ? c : "CAST(" + c + " AS STRING)";
    return switch (t) {
      case HASH -> "sha2(" + s + ", 256)";
      case MASK_EMAIL -> "CASE WHEN " + s + " IS NULL THEN NULL WHEN instr(" + s + ", '@') > 1"
          + " THEN concat(left(" + s + ", 1), '***', substr(" + s + ", instr(" + s + ", '@')))"
          + " ELSE '***' END";
      case MASK_PHONE -> "CASE WHEN " + s + " IS NULL THEN NULL WHEN length(" + s + ") > 4"
          + " THEN concat('***', right(" + s + ", 2)) ELSE '***' END";
      case MASK -> "CASE WHEN " + s + " IS NULL THEN NULL WHEN length(" + s + ") > 1"
          + " THEN concat(left(" + s + ", 1), '***') ELSE '***' END";
      case DROP -> throw new IllegalArgumentException("a dropped column has no value");
    };
  }

  private static String quoteName(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static Map<CdpTable, Map<String, Tag>> tags() {
    Map<CdpTable, Map<String, Tag>> t = new EnumMap<>(CdpTable.class);
    t.put(CdpTable.BRONZE_EVENTS, columns(
        tag(BronzeColumns.RAW, Treatment.DROP),
        tag(CanonicalField.CUSTOMER_ID.canonicalName(), Treatment.HASH),
        tag(CanonicalField.EMAIL.canonicalName(), Treatment.MASK_EMAIL),
        tag(CanonicalField.PHONE.canonicalName(), Treatment.MASK_PHONE),
        tag(CanonicalField.DEVICE_ID.canonicalName(), Treatment.HASH),
        tag(CanonicalField.COOKIE_ID.canonicalName(), Treatment.HASH),
        tag(CanonicalField.LOYALTY_ID.canonicalName(), Treatment.HASH),
        new Tag(BronzeColumns.ATTRIBUTES, Treatment.MASK, PII_ATTRIBUTES)));
    t.put(CdpTable.BRONZE_QUARANTINE, columns(tag(BronzeColumns.RAW, Treatment.DROP)));
    t.put(CdpTable.SILVER_IDENTITY_RECORDS, columns(
        tag(IdentityColumns.SRC_CUSTOMER_ID, Treatment.HASH),
        tag(IdentityColumns.EMAIL, Treatment.MASK_EMAIL),
        tag(IdentityColumns.PHONE, Treatment.MASK_PHONE),
        tag(IdentityColumns.LOYALTY_ID, Treatment.HASH),
        tag(IdentityColumns.DEVICE_ID, Treatment.HASH),
        tag(IdentityColumns.COOKIE_ID, Treatment.HASH),
        tag(IdentityColumns.FIRST_NAME, Treatment.MASK),
        tag(IdentityColumns.LAST_NAME, Treatment.MASK),
        tag(IdentityColumns.DATE_OF_BIRTH, Treatment.DROP),
        tag(IdentityColumns.STREET, Treatment.DROP),
        tag(IdentityColumns.STREET_NUMBER, Treatment.DROP),
        tag(IdentityColumns.ADDRESS_LINE2, Treatment.DROP),
        tag(IdentityColumns.POSTCODE, Treatment.MASK),
        tag(IdentityColumns.FIRST_NAME_METAPHONE, Treatment.DROP),
        tag(IdentityColumns.LAST_NAME_METAPHONE, Treatment.DROP),
        tag(IdentityColumns.EMAIL_LOCAL, Treatment.DROP),
        tag(IdentityColumns.EXTRA, Treatment.MASK),
        tag(IdentityColumns.ORIGINAL, Treatment.DROP)));
    t.put(CdpTable.SILVER_IDENTITY_LINKS, columns(tag(IdentityColumns.VALUE, Treatment.HASH)));
    t.put(CdpTable.SILVER_IDENTITY_ALERTS, columns(tag(IdentityColumns.SUBJECT,
        Treatment.MASK)));
    t.put(CdpTable.SILVER_IDENTITY_TERM_FREQUENCIES, columns(tag(IdentityColumns.VALUE,
        Treatment.MASK)));
    t.put(CdpTable.GOLD_CUSTOMER_PROFILE, columns(
        tag(ProfileColumns.FIRST_NAME, Treatment.MASK),
        tag(ProfileColumns.LAST_NAME, Treatment.MASK),
        tag(ProfileColumns.EMAIL, Treatment.MASK_EMAIL),
        tag(ProfileColumns.PHONE, Treatment.MASK_PHONE),
        tag(ProfileColumns.DATE_OF_BIRTH, Treatment.DROP),
        tag(ProfileColumns.STREET, Treatment.DROP),
        tag(ProfileColumns.STREET_NUMBER, Treatment.DROP),
        tag(ProfileColumns.ADDRESS_LINE2, Treatment.DROP),
        tag(ProfileColumns.POSTCODE, Treatment.MASK),
        tag(ProfileColumns.EMAILS, Treatment.MASK_EMAIL),
        tag(ProfileColumns.PHONES, Treatment.MASK_PHONE),
        tag(ProfileColumns.DEVICE_IDS, Treatment.HASH),
        tag(ProfileColumns.COOKIE_IDS, Treatment.HASH),
        tag(ProfileColumns.LOYALTY_IDS, Treatment.HASH),
        tag(ProfileColumns.SOURCE_CUSTOMER_IDS, Treatment.HASH)));
    return java.util.Collections.unmodifiableMap(t);
  }

  private static Tag tag(String column, Treatment treatment) {
    return new Tag(column, treatment, Set.of());
  }

  private static Map<String, Tag> columns(Tag... tags) {
    Map<String, Tag> out = new LinkedHashMap<>();
    for (Tag tag : tags) {
      out.put(tag.column(), tag);
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
