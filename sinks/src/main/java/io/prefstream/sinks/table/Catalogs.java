package io.prefstream.sinks.table;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;

import io.prefstream.sinks.config.SinkConfig;

/** Opens the configured Iceberg catalog and the verdict tables in it. */
public final class Catalogs {
    private Catalogs() {}

    /** The catalog described by the {@code sink.catalog.*} settings. Close it when done if it is {@link Closeable}. */
    public static Catalog open(SinkConfig config) {
        return CatalogUtil.buildIcebergCatalog(config.catalogName(), config.catalogProperties(), hadoopConfiguration());
    }

    /**
     * Loads the verdict table {@code name} ({@code namespace.table}), creating it with
     * {@link VerdictTableSchema} if it does not exist. Safe when several instances race to create it.
     */
    public static Table loadOrCreate(Catalog catalog, String name) {
        TableIdentifier id = TableIdentifier.parse(name);
        try {
            return catalog.loadTable(id);
        } catch (NoSuchTableException missing) {
            if (catalog instanceof SupportsNamespaces namespaces && !id.namespace().isEmpty()
                && !namespaces.namespaceExists(id.namespace())) {
                try {
                    namespaces.createNamespace(id.namespace());
                } catch (AlreadyExistsException raced) {
                    // another instance created it first
                }
            }
            Schema schema = VerdictTableSchema.schema();
            try {
                return catalog.buildTable(id, schema)
                    .withPartitionSpec(VerdictTableSchema.spec(schema))
                    .withProperties(VerdictTableSchema.TABLE_PROPERTIES)
                    .create();
            } catch (AlreadyExistsException raced) {
                return catalog.loadTable(id);
            }
        }
    }

    /** Loads an existing table, with an error naming the table and catalog when it is missing. */
    public static Table load(Catalog catalog, String name) {
        try {
            return catalog.loadTable(TableIdentifier.parse(name));
        } catch (NoSuchTableException e) {
            throw new IllegalArgumentException("no table " + name + " in catalog " + catalog.name()
                + " (has the sink run yet?)", e);
        }
    }

    public static void closeQuietly(Catalog catalog) {
        if (catalog instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close catalog " + catalog.name(), e);
            }
        }
    }

    /**
     * Hadoop settings for the Hadoop catalog and file IO. Local files are written without Hadoop's
     * {@code .crc} side files: a warehouse then holds exactly the files Iceberg knows about.
     */
    static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }
}
