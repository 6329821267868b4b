/**
 * Gold models: point-in-time customer features ({@code cdp_gold.customer_features}), churn,
 * purchase-propensity and lifetime-value models on Spark MLlib, the model registry
 * ({@code cdp_gold.model_registry} plus saved PipelineModels) and champion scoring
 * ({@code cdp_gold.customer_scores}). Reads bronze events and silver membership; never
 * writes below gold.
 */
package org.lakecdp.core.ml;
