package io.cloudops.orchestrator.database;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.dbops.DbEngine;
import io.cloudops.orchestrator.catalog.DatabasesConfig;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.ops.OperationsConfig;

/**
 * Decides which adapter serves a database instance: an instance configured in
 * {@code cloudops.databases.<id>} uses the real tools of its engine (in demo mode too, which is how
 * a demo or a test points one instance at a real server); any other instance is simulated in demo
 * mode and refused otherwise, so production never pretends to back up a database it does not know.
 */
@ApplicationScoped
public class DatabaseInstances {

    /** The instance with the adapter that serves it. */
    public record Resolved(DbInstance instance, DatabaseAdapter adapter, boolean simulated) {
    }

    private final Map<String, DatabasesConfig.Instance> configured;
    private final boolean simulatedMode;
    private final SimulatedDatabaseAdapter simulated;
    private final PostgresDatabaseAdapter postgres;
    private final AzureSqlDatabaseAdapter azureSql;

    DatabaseInstances(DatabasesConfig config, OperationsConfig operations, SimulatedDatabaseAdapter simulated,
            PostgresDatabaseAdapter postgres, AzureSqlDatabaseAdapter azureSql) {
        this.configured = config.instances();
        this.simulatedMode = operations.simulated();
        this.simulated = simulated;
        this.postgres = postgres;
        this.azureSql = azureSql;
    }

    /** Resolves an instance for a task; throws {@link PermanentTaskException} when no adapter may serve it. */
    public Resolved resolve(DbEngine engine, String instanceId) {
        DatabasesConfig.Instance settings = configured.get(instanceId);
        if (settings == null) {
            if (!simulatedMode) {
                throw new PermanentTaskException("database instance " + instanceId + " is not configured",
                        "Configure it as cloudops.databases." + instanceId
                                + ".engine/host/database/... on the orchestrator (see docs/operations-db.md)");
            }
            return new Resolved(new DbInstance(instanceId, engine, Optional.empty()), simulated, true);
        }
        if (!settings.engine().equals(engine.value())) {
            throw new PermanentTaskException(
                    "instance " + instanceId + " is configured as " + settings.engine() + ", not " + engine.value(),
                    "Use /api/db/" + settings.engine() + "/" + instanceId);
        }
        DatabaseAdapter adapter = engine == DbEngine.AZURE_POSTGRES ? postgres : azureSql;
        return new Resolved(new DbInstance(instanceId, engine, Optional.of(settings)), adapter, false);
    }
}
