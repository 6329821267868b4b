package org.lakecdp.core.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One input file of a source, as found by {@link FileDiscovery}.
 *
 * @param path the file's URI as Spark reports it in {@code _metadata.file_path}
 * @param size size in bytes
 * @param modifiedAt modification time
 * @param logicalDate the date from the path's {@code {date}} part, or the run's date
 */
public record SourceFile(String path, long size, Instant modifiedAt, LocalDate logicalDate) {}
