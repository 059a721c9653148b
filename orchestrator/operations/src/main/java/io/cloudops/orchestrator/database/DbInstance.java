package io.cloudops.orchestrator.database;

import java.util.Optional;

import io.cloudops.common.dbops.DbEngine;
import io.cloudops.orchestrator.catalog.DatabasesConfig;

/**
 * A database instance as a task sees it: its id, its engine, and its settings when it is configured
 * for the real adapters (empty for a simulated instance).
 */
public record DbInstance(String id, DbEngine engine, Optional<DatabasesConfig.Instance> config) {

    /** The settings of a real instance; adapters of real tools call this. */
    public DatabasesConfig.Instance settings() {
        return config.orElseThrow(() -> new IllegalStateException("instance " + id + " is not configured"));
    }

    public int port() {
        return settings().port().orElse(engine == DbEngine.AZURE_SQL ? 1433 : 5432);
    }
}
