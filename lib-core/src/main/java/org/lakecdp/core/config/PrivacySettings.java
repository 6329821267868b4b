package org.lakecdp.core.config;

import java.util.List;
import java.util.Optional;
import org.lakecdp.core.CdpException;

/**
 * Privacy and governance rules ({@code cdp.privacy}): erasure, the suppression list, access
 * packages, consent used by models, and optional encryption of PII columns.
 *
 * @param salt secret mixed into every suppression hash; absent until configured (required as
 *     soon as a person is erased or the suppression list holds entries)
 * @param requests location (file or folder, local or s3a://, local paths made absolute) of
 *     queued privacy requests the nightly run processes; empty for none
 * @param accessDir folder (local or s3a://, local paths made absolute) where access packages
 *     are written
 * @param retentionHours after an erasure, files of earlier table versions older than this are
 *     vacuumed, so time travel cannot bring erased data back; 0 purges every earlier version
 * @param modellingPurposes consent purposes a customer must not have withdrawn (as of the
 *     training cutoff, or the scoring date) to be used by model training and scoring
 * @param encryption optional encryption of PII columns at rest
 */
public record PrivacySettings(Optional<String> salt, String requests, String accessDir,
    int retentionHours, List<String> modellingPurposes, Encryption encryption) {

  /**
   * AES-GCM encryption of the PII columns at rest.
   *
   * @param enabled whether PII columns are written encrypted
   * @param keyEnv name of the environment variable holding the base64 256-bit key
   */
  public record Encryption(boolean enabled, String keyEnv) {}

  /** The salt, failing with what to set when it is not configured. */
  public String requireSalt() {
    return salt.orElseThrow(() -> new CdpException("cdp.privacy.salt is not set: set"
        + " CDP_PRIVACY_SALT to a long random secret, kept stable, before erasing anyone"));
  }

  static PrivacySettings parse(Conf p) {
    String salt = p.string("salt", "");
    if (!salt.isEmpty() && salt.length() < 16) {
      throw new CdpException(p.key("salt") + " must be at least 16 characters: it has "
          + salt.length());
    }
    int retention = p.integer("retention-hours");
    if (retention < 0) {
      throw CdpException.badConfig(p.key("retention-hours"), "must be 0 or more", retention);
    }
    Conf e = p.child("encryption");
    return new PrivacySettings(salt.isEmpty() ? Optional.empty() : Optional.of(salt),
        p.string("requests").isBlank() ? "" : CdpConfigLoader.absolute(p.string("requests")),
        CdpConfigLoader.absolute(p.string("access-dir")), retention,
        p.strings("modelling-purposes").stream().map(s -> s.toLowerCase(java.util.Locale.ROOT))
            .toList(),
        new Encryption(e.bool("enabled", false), e.string("key-env")));
  }
}
