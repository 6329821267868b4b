package org.lakecdp.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lakecdp.core.CdpException;

/**
 * The whole validated configuration of one CDP process. Built once by
 * {@link CdpConfigLoader}; immutable.
 *
 * @param lakehouse lakehouse root and catalog
 * @param spark SparkSession settings
 * @param s3 settings for s3a:// locations
 * @param ingest rules of the bronze ingest
 * @param sources declared sources by name, in declaration order
 * @param identity rules of the silver identity stage
 * @param sample sample-data generator settings
 * @param ml features, labels, training and scoring of the gold models
 * @param configHash short SHA-256 of the resolved {@code cdp} tree, stamped on every run
 * @param profile rules of the gold 360 profile
 * @param segments segments, destinations and export rules
 * @param privacy erasure, suppression, access, consent for models and PII encryption
 */
public record CdpSettings(LakehouseSettings lakehouse, SparkSettings spark, S3Settings s3,
    IngestSettings ingest, Map<String, SourceSettings> sources, IdentitySettings identity,
    SampleSettings sample, MlSettings ml,
    String configHash, ProfileSettings profile, SegmentSettings segments,
    PrivacySettings privacy) {

  public CdpSettings {
    sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
  }

  /** The enabled sources, in declaration order. */
  public List<SourceSettings> enabledSources() {
    return sources.values().stream().filter(SourceSettings::enabled).toList();
  }

  /** One source by name, failing with the known names when it is not declared. */
  public SourceSettings source(String name) {
    return Optional.ofNullable(sources.get(name)).orElseThrow(() ->
        CdpException.notOneOf("source", name, sources.keySet()));
  }
}
