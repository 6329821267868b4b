package org.lakecdp.core.profile;

/**
 * What a profile run did.
 *
 * @param runId the run
 * @param customers profile rows (customers in the membership)
 * @param changed rows new or changed by this run
 * @param removed customers no longer in the membership, whose rows were removed
 * @param version Delta version written, or -1 when nothing changed and nothing was written
 */
public record ProfileReport(String runId, long customers, long changed, long removed,
    long version) {

  /** True when the run wrote a new version of the profile table. */
  public boolean wrote() {
    return version >= 0;
  }
}
