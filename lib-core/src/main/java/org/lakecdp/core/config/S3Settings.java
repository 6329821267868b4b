package org.lakecdp.core.config;

/**
 * Settings for {@code s3a://} locations. Empty strings mean "not set": AWS's own endpoint and
 * region, credentials from the default provider chain (environment, instance role).
 */
public record S3Settings(String endpoint, String region, boolean pathStyleAccess,
    String accessKey, String secretKey) {

  /** Hides the secret so a logged record never leaks it. */
  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyleAccess="
        + pathStyleAccess + ", accessKey=" + (accessKey.isEmpty() ? "" : "***")
        + ", secretKey=" + (secretKey.isEmpty() ? "" : "***") + "]";
  }
}
