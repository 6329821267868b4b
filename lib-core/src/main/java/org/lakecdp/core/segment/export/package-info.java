/**
 * Activation: segment members who consented to a destination's purpose and are not
 * suppressed ({@link org.lakecdp.core.segment.export.Audiences}), written as CSV, JSON lines
 * or Parquet files with hashed identifiers, published atomically with a manifest
 * ({@link org.lakecdp.core.segment.export.FilePublisher}) once per run date, behind a size
 * safety gate ({@link org.lakecdp.core.segment.export.Exports}).
 */
package org.lakecdp.core.segment.export;
