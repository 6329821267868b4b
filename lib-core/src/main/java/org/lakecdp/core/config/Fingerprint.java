package org.lakecdp.core.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short stable fingerprints of settings, stored with runs to detect a change of rules. */
final class Fingerprint {
  private Fingerprint() {}

  /** The first 8 bytes of the SHA-256 of {@code text}, in hex. */
  static String of(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
