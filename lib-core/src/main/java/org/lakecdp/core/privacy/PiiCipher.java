package org.lakecdp.core.privacy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
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
import org.apache.spark.sql.types.StructField;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.PrivacySettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.lake.PiiColumns;

/**
 * Optional encryption of PII columns at rest ({@code cdp.privacy.encryption}): AES-256-GCM
 * with the JDK, the key (32 bytes, base64) read from the environment variable named by
 * {@code key-env}. Each value gets a random 96-bit IV; the stored text is
 * {@code v1:<base64 of IV, ciphertext and tag>}. Nulls stay null.
 *
 * <p>Encrypted: the PII string and string-array columns ({@link PiiColumns}) of
 * {@code cdp_gold.customer_profile}; its {@code date_of_birth} (a date) is not. Bronze and
 * silver are not encrypted (identity resolution compares their values): they rely on
 * storage encryption. Trusted code reads an encrypted table with {@link #readable}; a value
 * without the {@code v1:} prefix (written before encryption was enabled) is returned as it is.
 * A missing or malformed key while enabled fails at the start of a job; a wrong key fails
 * with a {@link CdpException} when decrypting, never returning garbage.
 */
public final class PiiCipher {
  /** Prefix of an encrypted value: the format version. */
  public static final String PREFIX = "v1:";
  /** Tables whose PII columns are encrypted when encryption is enabled. */
  public static final List<CdpTable> ENCRYPTED = List.of(CdpTable.GOLD_CUSTOMER_PROFILE);

  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final String keyEnv;

  private PiiCipher(byte[] key, String keyEnv) {
    this.key = key;
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

  /** Encrypts one value with a fresh random IV; null stays null. */
  public String encrypt(String plain) {
    return encrypt(key, plain);
  }

  /**
   * Decrypts one value; null stays null and a value without {@link #PREFIX} is returned as
   * it is. A wrong key or a damaged value fails with a {@link CdpException}.
   */
  public String decrypt(String value) {
    return decrypt(key, keyEnv, value);
  }

  static String encrypt(byte[] key, String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS,
          iv));
      byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
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
    UserDefinedFunction f = udf((UDF1<String, String>) v -> encrypt(k, v),
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

  /** The columns of {@code table} this cipher encrypts: PII strings and string arrays. */
  public static List<String> encryptedColumns(CdpTable table) {
    List<String> out = new ArrayList<>();
    if (!ENCRYPTED.contains(table)) {
      return out;
    }
    Map<String, PiiColumns.Tag> tags = PiiColumns.of(table);
    for (StructField f : table.schema().fields()) {
      if (tags.containsKey(f.name()) && isStrings(f.dataType())) {
        out.add(f.name());
      }
    }
    return out;
  }

  /** {@code rows} of {@code table} with its encrypted columns encrypted. */
  public Dataset<Row> encryptColumns(Dataset<Row> rows, CdpTable table) {
    for (String name : encryptedColumns(table)) {
      rows = rows.withColumn(name, apply(true, col(name),
          table.schema().apply(name).dataType()));
    }
    return rows;
  }

  /** {@code rows} of {@code table} with its encrypted columns decrypted. */
  public Dataset<Row> decryptColumns(Dataset<Row> rows, CdpTable table) {
    for (String name : encryptedColumns(table)) {
      rows = rows.withColumn(name, apply(false, col(name),
          table.schema().apply(name).dataType()));
    }
    return rows;
  }

  private Column apply(boolean seal, Column c, DataType type) {
    if (type instanceof ArrayType) {
      return transform(c, x -> seal ? encryptColumn(x) : decryptColumn(x));
    }
    return seal ? encryptColumn(c) : decryptColumn(c);
  }

  /**
   * A table with its PII readable: decrypted when encryption is enabled (key from the
   * environment), else as stored. For trusted code only (exports, access packages).
   */
  public static Dataset<Row> readable(Lakehouse lake, CdpSettings settings, CdpTable table) {
    return readable(lake, fromSettings(settings.privacy()), table);
  }

  /**
   * {@link #readable(Lakehouse, CdpSettings, CdpTable)} with a given cipher (empty: stored
   * values). Checks the key on one stored row first, so a wrong key fails here with a
   * {@link CdpException}, not later inside a Spark task.
   */
  public static Dataset<Row> readable(Lakehouse lake, Optional<PiiCipher> cipher,
      CdpTable table) {
    Dataset<Row> rows = lake.read(table);
    if (cipher.isEmpty() || encryptedColumns(table).isEmpty()) {
      return rows;
    }
    cipher.get().checkKey(rows, table);
    return cipher.get().decryptColumns(rows, table);
  }

  /** Decrypts the encrypted values of one stored row on the driver. */
  private void checkKey(Dataset<Row> rows, CdpTable table) {
    List<String> names = encryptedColumns(table);
    Column anyValue = org.apache.spark.sql.functions.lit(false);
    for (String n : names) {
      if (table.schema().apply(n).dataType().equals(DataTypes.StringType)) {
        anyValue = anyValue.or(col(n).isNotNull());
      }
    }
    List<Row> sample = rows.where(anyValue).select(names.stream().map(n -> col(n))
        .toArray(Column[]::new)).limit(1).collectAsList();
    for (Row r : sample) {
      for (int i = 0; i < names.size(); i++) {
        Object v = r.get(i);
        if (v instanceof String s) {
          decrypt(s);
        } else if (v instanceof scala.collection.Seq<?> seq) {
          for (Object o : scala.jdk.javaapi.CollectionConverters.asJava(seq)) {
            decrypt((String) o);
          }
        }
      }
    }
  }

  private static boolean isStrings(DataType type) {
    return type.equals(DataTypes.StringType) || (type instanceof ArrayType a
        && a.elementType().equals(DataTypes.StringType));
  }
}
