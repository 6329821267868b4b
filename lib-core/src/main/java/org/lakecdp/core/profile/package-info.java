/**
 * The gold 360 customer profile: {@code cdp_gold.customer_profile}, one row per customer of
 * the silver membership, from the bronze events of the customer's records as of the run's
 * logical date. Small steps, each a {@code Dataset -> Dataset} function without actions:
 * {@link org.lakecdp.core.profile.CustomerEvents} (events with their customer and activity
 * channel), {@link org.lakecdp.core.profile.GoldenRecord} (survivorship and provenance),
 * {@link org.lakecdp.core.profile.Identifiers}, {@link org.lakecdp.core.profile.Transactions}
 * (orders, revenue, RFM), {@link org.lakecdp.core.profile.Engagement},
 * {@link org.lakecdp.core.profile.Preferences}, {@link org.lakecdp.core.profile.Consents},
 * {@link org.lakecdp.core.profile.Scores}; {@link org.lakecdp.core.profile.CustomerProfiles}
 * is the job that assembles, compares and writes them.
 */
package org.lakecdp.core.profile;
