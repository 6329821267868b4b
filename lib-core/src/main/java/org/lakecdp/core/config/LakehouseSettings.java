package org.lakecdp.core.config;

import org.lakecdp.core.CdpException;

/**
 * Where the lakehouse lives and how its catalog is reached.
 *
 * @param root absolute lakehouse root: a local path or an {@code s3a://bucket/prefix} URI,
 *     never ending in a slash
 * @param metastore which catalog backs the layer databases
 * @param metastoreUris thrift URIs of a remote Hive metastore (only for {@link Metastore#HIVE})
 * @param bronzeDb catalog database of the bronze layer
 * @param silverDb catalog database of the silver layer
 * @param goldDb catalog database of the gold layer
 * @param opsDb catalog database of the operational tables (run ledger, ingested files)
 */
public record LakehouseSettings(String root, Metastore metastore, String metastoreUris,
    String bronzeDb, String silverDb, String goldDb, String opsDb) {

  /** Catalog implementations the CDP can run on. */
  public enum Metastore { EMBEDDED, HIVE, IN_MEMORY }

  public LakehouseSettings {
    if (root == null || root.isBlank()) {
      throw CdpException.badConfig("cdp.lakehouse.root", "must not be empty", root);
    }
    if (metastore == Metastore.HIVE && (metastoreUris == null || metastoreUris.isBlank())) {
      throw CdpException.badConfig("cdp.lakehouse.metastore-uris",
          "must name a thrift:// URI when cdp.lakehouse.metastore = hive", metastoreUris);
    }
    for (String[] db : new String[][] {{"bronze", bronzeDb}, {"silver", silverDb},
        {"gold", goldDb}, {"ops", opsDb}}) {
      if (db[1] == null || !db[1].matches("[a-z][a-z0-9_]*")) {
        throw CdpException.badConfig("cdp.lakehouse.databases." + db[0],
            "must be a lower-case identifier", db[1]);
      }
    }
  }

  /** True when the root is on an object store rather than the local file system. */
  public boolean onObjectStore() {
    return root.startsWith("s3a://");
  }
}
