/**
 * Silver-layer standardisation of identity attributes: emails, phones, names, addresses,
 * postcodes, countries, dates of birth and genders.
 *
 * <p>Every public method is a pure, static, thread-safe function of its arguments, free of
 * Spark, so it can back a UDF and be unit-tested on its own. None of them throws on bad input:
 * a missing, blank or unusable value comes back as {@code null} (or {@code false} for a
 * validity check). They standardise spelling and format; they do not guess corrections
 * (typos, nicknames, domain misspellings are left to matching).
 */
package org.lakecdp.core.quality;
