package io.cloudops.orchestrator.service;

import io.cloudops.common.config.DatabaseConnection;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Entry point of the orchestrator service. It shares the PostgreSQL server of the control-api
 * instances (the database is the queue), so it needs {@code PLATFORM_DB_CONN}, in either spelling
 * control-api accepts; an orchestrator with a database of its own would run tasks nobody can see,
 * so it refuses to start without one instead of starting an embedded server.
 */
@QuarkusMain
public final class OrchestratorMain {

    private OrchestratorMain() {
    }

    public static void main(String... args) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withMapping(OrchestratorConfig.class)
                .withValidateUnknown(false)
                .build();
        String conn = config.getConfigMapping(OrchestratorConfig.class).db().conn().filter(c -> !c.isBlank())
                .orElse(null);
        if (conn == null) {
            System.err.println("The orchestrator service needs PLATFORM_DB_CONN: the PostgreSQL server its control-api"
                    + " instances use (jdbc:postgresql://host:5432/db?user=... or postgres://user:pass@host:5432/db)."
                    + " For one process with an embedded database, run control-api alone (the embedded default).");
            System.exit(2);
        }
        DatabaseConnection.parse(conn).datasourceProperties().forEach(System::setProperty);
        Quarkus.run(args);
    }
}
