package org.lakecdp.core.sample;

/**
 * Identifiers of the sample data: collision-free by construction and unlinkable to each other.
 *
 * <p>Every random-looking id is a bijection of a packed (kind, person, sequence) number, so two
 * records never share an id, and the id of one record says nothing about the person behind it.
 */
final class Ids {
  /** Kinds of id, packed into the top byte so each kind has its own id space. */
  static final int WEB = 1;
  static final int APP = 2;
  static final int ORDER = 3;
  static final int POS = 4;
  static final int EMAIL = 5;
  static final int TICKET = 6;
  static final int CONSENT = 7;
  static final int COOKIE = 8;
  static final int DEVICE = 9;

  /** Largest number of persons: crm ids have seven digits and a duplicate record per person. */
  static final int MAX_PERSONS = 5_000_000;

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final long CRM_SPACE = 10_000_000L;
  private static final long CARD_SPACE = 1_000_000_000L;

  private final long salt;
  private final long crmOffset;
  private final long cardOffset;
  private final long phoneOffset;

  Ids(long seed) {
    this.salt = mix(seed ^ 0x5DEECE66DL);
    this.crmOffset = Math.floorMod(mix(seed + 11), CRM_SPACE);
    this.cardOffset = Math.floorMod(mix(seed + 13), CARD_SPACE);
    this.phoneOffset = Math.floorMod(mix(seed + 17), CARD_SPACE);
  }

  /** SplitMix64 finaliser: a bijection of the 64-bit integers with good avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Seed of one random stream of one person; distinct streams never share a seed. */
  static long personSeed(long seed, int index, int stream) {
    return mix(mix(seed * 31 + stream) + index);
  }

  /** A unique 16-hex-digit token for the {@code seq}-th id of {@code kind} of one person. */
  String token(int kind, int person, int seq) {
    long packed = ((long) kind << 56) | ((long) person << 24) | (seq & 0xFFFFFFL);
    return hex(mix(packed ^ salt));
  }

  /** The person's crm id; {@code duplicate} gives the id of their re-registration. */
  String crmId(int person, boolean duplicate) {
    long n = person + (duplicate ? MAX_PERSONS : 0L);
    return "C" + pad(permute(n, 7_368_787L, crmOffset, CRM_SPACE), 7);
  }

  /** The person's loyalty card number, {@code LC} and nine digits. */
  String loyaltyCard(int person) {
    return "LC" + pad(permute(person, 387_420_489L, cardOffset, CARD_SPACE), 9);
  }

  /** The person's mobile number in national form, {@code 07} and nine digits, no spaces. */
  String mobile(int person) {
    return "07" + pad(permute(person, 740_548_113L, phoneOffset, CARD_SPACE), 9);
  }

  static String personId(int person) {
    return "P" + pad(person + 1, 7);
  }

  static String hex(long v) {
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    return new String(out);
  }

  static String pad(long v, int width) {
    String s = Long.toString(v);
    if (s.length() >= width) {
      return s;
    }
    return "0".repeat(width - s.length()) + s;
  }

  /** An affine permutation of [0, space): {@code a} must be coprime with {@code space}. */
  private static long permute(long n, long a, long offset, long space) {
    return Math.floorMod((n % space) * a + offset, space);
  }
}
