package org.lakecdp.core.lake;

import org.lakecdp.core.config.LakehouseSettings;

/** The lakehouse layers; each is a catalog database and a folder under the lakehouse root. */
public enum Layer {
  BRONZE("bronze", "Raw records from every source, kept whole, with an ingest envelope"),
  SILVER("silver", "Standardised, deduplicated and identity-resolved records"),
  GOLD("gold", "Customer 360 profiles, scores and segments for analysts and activation"),
  OPS("ops", "Operational tables: run ledger, ingested files and watermarks");

  private final String folder;
  private final String description;

  Layer(String folder, String description) {
    this.folder = folder;
    this.description = description;
  }

  /** Folder of this layer below the lakehouse root. */
  public String folder() {
    return folder;
  }

  /** One-line description, used as the database comment. */
  public String description() {
    return description;
  }

  /** Catalog database of this layer under the given settings. */
  public String database(LakehouseSettings settings) {
    return switch (this) {
      case BRONZE -> settings.bronzeDb();
      case SILVER -> settings.silverDb();
      case GOLD -> settings.goldDb();
      case OPS -> settings.opsDb();
    };
  }
}
