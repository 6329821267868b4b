/**
 * Segments: audience definitions ({@code cdp.segments}) checked against the gold profile
 * schema ({@link org.lakecdp.core.segment.SegmentCatalog},
 * {@link org.lakecdp.core.segment.SegmentExpression}), evaluated per run date with score
 * deciles, references, holdouts and lookalikes into {@code cdp_gold.segment_membership},
 * {@code segment_changes} and {@code segment_runs} ({@link org.lakecdp.core.segment.Segments}).
 * Exports live in {@code segment.export}.
 */
package org.lakecdp.core.segment;
