package org.lakecdp.core.segment.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.lakecdp.core.quality.Emails;

/**
 * Hashed identifiers in the form ad platforms match on: SHA-256, as 64 lower-case hex
 * characters, of the standardised email (trimmed, lower case, see {@link Emails#standardize})
 * and of the E.164 phone including its {@code +}. The profile holds both already
 * standardised, so exports hash them with Spark's {@code sha2(x, 256)}, which gives the same
 * digest as {@link #sha256Hex}.
 */
public final class Hashing {
  private Hashing() {}

  /** SHA-256 of the UTF-8 bytes of {@code value}, lower-case hex; null for null. */
  public static String sha256Hex(String value) {
    if (value == null) {
      return null;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hashed form of a raw email: standardised first; null when nothing is left. */
  public static String emailSha256(String rawEmail) {
    return sha256Hex(Emails.standardize(rawEmail));
  }
}
