/**
 * Identity resolution. This part is the Spark-free core of probabilistic record linkage:
 * field comparators that turn two standardised values into an agreement level
 * ({@link org.lakecdp.core.identity.Comparison}), the Fellegi-Sunter model that turns a vector
 * of levels into a match weight and probability ({@link org.lakecdp.core.identity.MatchModel}),
 * and its unsupervised estimation from aggregated level patterns
 * ({@link org.lakecdp.core.identity.ExpectationMaximisation}). Everything here is immutable,
 * thread-safe and serialisable, so it can be shipped to Spark executors as it is.
 */
package org.lakecdp.core.identity;
