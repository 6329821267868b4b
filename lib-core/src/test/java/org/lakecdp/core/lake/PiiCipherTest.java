package org.lakecdp.core.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.PrivacySettings;

/** Deterministic AES-GCM of single values, and the key from the environment; no Spark. */
class PiiCipherTest {
  static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
      17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
  static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  static PrivacySettings privacy(boolean enabled) {
    return new PrivacySettings(Optional.empty(), "", "privacy-access", 0, List.of(),
        new PrivacySettings.Encryption(enabled, "CDP_PII_KEY"));
  }

  static PiiCipher cipher(String key) {
    return PiiCipher.fromSettings(privacy(true), Map.of("CDP_PII_KEY", key)).orElseThrow();
  }

  @Test
  void encryptsDeterministicallyAndDecryptsBack() {
    PiiCipher c = cipher(KEY);
    String plain = "zoë.o'neil@example.com";
    String once = c.encrypt(plain);
    String twice = c.encrypt(plain);
    // equal values, equal ciphertexts (a synthetic IV); another value or key, another IV
    assertThat(once).startsWith("v1:").doesNotContain("example").isEqualTo(twice);
    String other = c.encrypt("zoe.o'neil@example.com");
    assertThat(other).isNotEqualTo(once);
    assertThat(java.util.Arrays.copyOf(Base64.getDecoder().decode(other.substring(3)), 12))
        .isNotEqualTo(java.util.Arrays.copyOf(Base64.getDecoder().decode(once.substring(3)), 12));
    assertThat(cipher(OTHER_KEY).encrypt(plain)).isNotEqualTo(once);
    // 12 bytes of IV, the UTF-8 text, 16 bytes of tag
    assertThat(Base64.getDecoder().decode(once.substring(3)))
        .hasSize(12 + plain.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
    assertThat(c.decrypt(once)).isEqualTo(plain);
    assertThat(c.decrypt(twice)).isEqualTo(plain);
    assertThat(c.encrypt(null)).isNull();
    assertThat(c.decrypt(null)).isNull();
    assertThat(c.decrypt("written before encryption")).isEqualTo("written before encryption");
    assertThat(c.decrypt(c.encrypt(""))).isEmpty();
  }

  @Test
  void aWrongKeyOrADamagedValueFailsClearly() {
    String sealed = cipher(KEY).encrypt("ann@example.com");
    assertThatThrownBy(() -> cipher(OTHER_KEY).decrypt(sealed))
        .isInstanceOf(CdpException.class)
        .hasMessage("cannot decrypt a PII value with the key in CDP_PII_KEY: it is not the key"
            + " the value was encrypted with (or the value is damaged)");
    // one bit of the ciphertext flipped (a base64 character can differ in unused bits only)
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(
        PiiCipher.PREFIX.length()));
    bytes[bytes.length / 2] ^= 1;
    String damaged = PiiCipher.PREFIX + Base64.getEncoder().encodeToString(bytes);
    assertThatThrownBy(() -> cipher(KEY).decrypt(damaged)).isInstanceOf(CdpException.class)
        .hasMessageStartingWith("cannot decrypt a PII value with the key in CDP_PII_KEY");
    assertThatThrownBy(() -> cipher(KEY).decrypt("v1:AAAA")).isInstanceOf(CdpException.class)
        .hasMessage("cannot decrypt a PII value with the key in CDP_PII_KEY: the value is"
            + " truncated");
  }

  @Test
  void aMissingOrMalformedKeyFailsNamingTheVariable() {
    assertThatThrownBy(() -> PiiCipher.fromSettings(privacy(true), Map.of()))
        .isInstanceOf(CdpException.class)
        .hasMessageStartingWith("cdp.privacy.encryption.enabled is true but the environment"
            + " variable CDP_PII_KEY is not set");
    assertThatThrownBy(() -> PiiCipher.fromSettings(privacy(true),
            Map.of("CDP_PII_KEY", "not base64!")))
        .isInstanceOf(CdpException.class)
        .hasMessageStartingWith("environment variable CDP_PII_KEY is not base64");
    assertThatThrownBy(() -> PiiCipher.fromSettings(privacy(true),
            Map.of("CDP_PII_KEY", Base64.getEncoder().encodeToString(new byte[16]))))
        .isInstanceOf(CdpException.class)
        .hasMessage("environment variable CDP_PII_KEY holds 16 bytes; an AES-256 key is 32"
            + " bytes, base64");
    assertThat(PiiCipher.fromSettings(privacy(false), Map.of())).isEmpty();
  }
}
