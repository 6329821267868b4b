package org.lakecdp.core.lake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.transform_values;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.PrivacySettings;

/**
 * Optional encryption of PII columns at rest ({@code cdp.privacy.encryption}) in every layer:
 * AES-256-GCM with the JDK, the key (32 bytes, base64) read from the environment variable
 * named by {@code key-env}. The stored text is {@code v1:<base64 of IV, ciphertext and tag>};
 * nulls stay null.
 *
 * <p>Encryption is deterministic (a synthetic IV: the first 96 bits of an HMAC-SHA256 of the
 * value under a key derived from the master key), so equal values are equal ciphertexts. That
 * keeps a rerun's bytes identical, Delta MERGEs and erasure matches keyed on stored values
 * working, and hashed identifiers in masked views joinable; it reveals which stored values are
 * equal, the known cost of deterministic encryption. Values written by earlier versions with
 * random IVs decrypt the same way.
 *
 * <p>Encrypted: every PII column ({@link PiiColumns}) of type string, array of strings or map
 * of strings (for a map, the values of the tagged keys) of every tagged table: bronze raw
 * records, identifiers and attributes, the silver identity records, link values, alerts and
 * term frequencies, the gold profile. Date columns (date of birth) are not. The
 * {@link Lakehouse} opened {@linkplain Lakehouse#withCipher with the cipher} encrypts on every
 * write and decrypts on every read; a value without the {@code v1:} prefix (written before
 * encryption was enabled) is returned as it is. A missing or malformed key while enabled
 * fails when the lakehouse is opened; a wrong key fails with a {@link CdpException} naming the
 * variable, never returning garbage.
 */
public final class PiiCipher {
  /** Prefix of an encrypted value: the format version. */
  public static final String PREFIX = "v1:";

  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte[] IV_KEY_LABEL = "lakecdp pii synthetic iv v1"
      .getBytes(StandardCharsets.US_ASCII);

  private final byte[] key;
  private final byte[] ivKey;
  private final String keyEnv;

  private PiiCipher(byte[] key, String keyEnv) {
    this.key = key;
    this.ivKey = hmac(key, IV_KEY_LABEL);
    this.keyEnv = keyEnv;
  }

  /** The cipher of the settings from the process environment; empty when disabled. */
  public static Optional<PiiCipher> fromSettings(PrivacySettings privacy) {
    return fromSettings(privacy, System.getenv());
  }

  /**
   * The cipher of the settings, the key read from {@code env}; empty when encryption is
   * disabled. Fails naming the variable when it is unset, not base64 or not 32 bytes.
   */
  public static Optional<PiiCipher> fromSettings(PrivacySettings privacy,
      Map<String, String> env) {
    PrivacySettings.Encryption e = privacy.encryption();
    if (!e.enabled()) {
      return Optional.empty();
    }
    String value = env.get(e.keyEnv());
    if (value == null || value.isBlank()) {
      throw new CdpException("cdp.privacy.encryption.enabled is true but the environment"
          + " variable " + e.keyEnv() + " is not set: set it to a base64 256-bit key (e.g."
          + " `openssl rand -base64 32`), the same for every run");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException ex) {
      throw new CdpException("environment variable " + e.keyEnv() + " is not base64: "
          + ex.getMessage());
    }
    if (key.length != 32) {
      throw new CdpException("environment variable " + e.keyEnv() + " holds " + key.length
          + " bytes; an AES-256 key is 32 bytes, base64");
    }
    return Optional.of(new PiiCipher(key, e.keyEnv()));
  }

  /** Encrypts one value (equal values give equal ciphertexts); null stays null. */
  public String encrypt(String plain) {
    return encrypt(key, ivKey, plain);
  }

  /**
   * Decrypts one value; null stays null and a value without {@link #PREFIX} is returned as
   * it is. A wrong key or a damaged value fails with a {@link CdpException}.
   */
  public String decrypt(String value) {
    return decrypt(key, keyEnv, value);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new CdpException("cannot derive the PII IV key: " + e.getMessage(), e);
    }
  }

  static String encrypt(byte[] key, byte[] ivKey, String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] text = plain.getBytes(StandardCharsets.UTF_8);
      byte[] iv = Arrays.copyOf(hmac(ivKey, text), IV_BYTES);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS,
          iv));
      byte[] sealed = c.doFinal(text);
      return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length
          + sealed.length).put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new CdpException("cannot encrypt a PII value: " + e.getMessage(), e);
    }
  }

  static String decrypt(byte[] key, String keyEnv, String value) {
    if (value == null || !value.startsWith(PREFIX)) {
      return value;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(value.substring(PREFIX.length()));
      if (bytes.length < IV_BYTES + TAG_BITS / 8) {
        throw new CdpException("cannot decrypt a PII value with the key in " + keyEnv
            + ": the value is truncated");
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS,
          bytes, 0, IV_BYTES));
      return new String(c.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES),
          StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new CdpException("cannot decrypt a PII value with the key in " + keyEnv
          + ": it is not the key the value was encrypted with (or the value is damaged)", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CdpException("cannot decrypt a PII value with the key in " + keyEnv + ": "
          + e.getMessage(), e);
    }
  }

  /** Column function: the encrypted string column {@code c}. */
  public Column encryptColumn(Column c) {
    byte[] k = key;
    byte[] ik = ivKey;
    UserDefinedFunction f = udf((UDF1<String, String>) v -> encrypt(k, ik, v),
        DataTypes.StringType);
    return f.apply(c);
  }

  /** Column function: the decrypted string column {@code c}. */
  public Column decryptColumn(Column c) {
    byte[] k = key;
    String env = keyEnv;
    UserDefinedFunction f = udf((UDF1<String, String>) v -> decrypt(k, env, v),
        DataTypes.StringType);
    return f.apply(c);
  }

  /**
   * The columns of {@code table} this cipher encrypts: its PII columns of type string, array
   * of strings or map of strings.
   */
  public static List<String> encryptedColumns(CdpTable table) {
    List<String> out = new ArrayList<>();
    Map<String, PiiColumns.Tag> tags = PiiColumns.of(table);
    for (StructField f : table.schema().fields()) {
      if (tags.containsKey(f.name()) && isStrings(f.dataType())) {
        out.add(f.name());
      }
    }
    return out;
  }

  /** {@code rows} of {@code table} with its encrypted columns (those present) encrypted. */
  public Dataset<Row> encryptColumns(Dataset<Row> rows, CdpTable table) {
    return apply(true, rows, table);
  }

  /** {@code rows} of {@code table} with its encrypted columns (those present) decrypted. */
  public Dataset<Row> decryptColumns(Dataset<Row> rows, CdpTable table) {
    return apply(false, rows, table);
  }

  private Dataset<Row> apply(boolean seal, Dataset<Row> rows, CdpTable table) {
    List<String> present = Arrays.asList(rows.columns());
    for (String name : encryptedColumns(table)) {
      if (present.contains(name)) {
        rows = rows.withColumn(name, apply(seal, col(name), table.schema().apply(name)
            .dataType(), PiiColumns.of(table).get(name)));
      }
    }
    return rows;
  }

  private Column apply(boolean seal, Column c, DataType type, PiiColumns.Tag tag) {
    if (type instanceof ArrayType) {
      return transform(c, x -> seal ? encryptColumn(x) : decryptColumn(x));
    }
    if (type instanceof MapType) {
      return transform_values(c, (k, v) -> when(keySelected(k, tag),
          seal ? encryptColumn(v) : decryptColumn(v)).otherwise(v));
    }
    return seal ? encryptColumn(c) : decryptColumn(c);
  }

  /** Whether a map key's value is PII under the tag (no keys: every value). */
  private static Column keySelected(Column k, PiiColumns.Tag tag) {
    if (tag.keys().isEmpty()) {
      return lit(true);
    }
    Column any = lit(false);
    List<String> named = new ArrayList<>();
    for (String key : tag.keys()) {
      if (key.equals(PiiColumns.CUSTOM)) {
        any = any.or(k.startsWith("x_"));
      } else {
        named.add(key);
      }
    }
    return any.or(k.isin(named.stream().sorted().toArray()));
  }

  /**
   * Decrypts the encrypted string values of one stored row on the driver, so a wrong key
   * fails here with a {@link CdpException}, not later inside a Spark task.
   */
  void checkKey(Dataset<Row> stored, CdpTable table) {
    List<String> names = encryptedColumns(table).stream()
        .filter(n -> table.schema().apply(n).dataType().equals(DataTypes.StringType))
        .filter(n -> Arrays.asList(stored.columns()).contains(n)).toList();
    if (names.isEmpty()) {
      return;
    }
    Column anyValue = lit(false);
    for (String n : names) {
      anyValue = anyValue.or(col(n).startsWith(PREFIX));
    }
    List<Row> sample = stored.where(anyValue).select(names.stream().map(n -> col(n))
        .toArray(Column[]::new)).limit(1).collectAsList();
    for (Row r : sample) {
      for (int i = 0; i < names.size(); i++) {
        decrypt(r.getString(i));
      }
    }
  }

  private static boolean isStrings(DataType type) {
    return type.equals(DataTypes.StringType)
        || (type instanceof ArrayType a && a.elementType().equals(DataTypes.StringType))
        || (type instanceof MapType m && m.valueType().equals(DataTypes.StringType));
  }
}
