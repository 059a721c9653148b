package io.cloudops.orchestrator.service;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service-level settings of the orchestrator; the engine's and the operations' own settings
 * are mapped by their libraries. The keys are control-api's, so one environment configures both.
 */
@ConfigMapping(prefix = "cloudops")
public interface OrchestratorConfig {

    /** {@code DEMO_MODE}: simulated operations unless {@code SIMULATED_OPERATIONS=false}. */
    @WithDefault("true")
    boolean demoMode();

    /** {@code PLATFORM_DATA_DIR}: folder for local artifacts, backups and work files. */
    @WithDefault("data")
    String dataDir();

    /** Where the database is. */
    Db db();

    interface Db {
        /** {@code PLATFORM_DB_CONN}: required; a {@code jdbc:postgresql://} or {@code postgres://user:pass@host/db} URL. */
        Optional<String> conn();
    }
}
