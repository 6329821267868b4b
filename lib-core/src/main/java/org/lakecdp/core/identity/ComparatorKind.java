package org.lakecdp.core.identity;

/**
 * How a {@link Comparison} compares two standardised values of one field. Each kind defines a
 * ladder of agreement levels; the level semantics are documented on {@link Comparison}.
 *
 * <p>Levels are ints: {@code -1} means at least one side is missing (null or blank: no
 * evidence, weight 0), {@code 0} means the values disagree, higher levels mean stronger
 * agreement, and the highest level is always exact equality.
 */
public enum ComparatorKind {
  /** Exact equality only: identifiers, country codes, gender. */
  EXACT,
  /** Person names: Jaro-Winkler levels, then a phonetic (Double Metaphone) level. */
  NAME,
  /** Free text such as streets and suburbs: edit-distance levels, then Jaro-Winkler. */
  STRING,
  /** E-mail addresses: same local part or a one-character typo. */
  EMAIL,
  /** E.164 phone numbers: same last 9 digits, or one digit edited or transposed. */
  PHONE,
  /** ISO {@code yyyy-MM-dd} dates: day/month swapped, one-character typo, within tolerance. */
  DATE,
  /** Digit strings such as street numbers, postcodes and national ids: edit-distance levels. */
  NUMERIC_STRING
}
