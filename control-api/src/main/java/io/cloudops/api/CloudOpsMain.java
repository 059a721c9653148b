package io.cloudops.api;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.database.DatabaseLauncher;
import io.cloudops.api.security.DemoModeGuard;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the control plane. Before Quarkus starts it decides where the database is: the
 * server named by {@code PLATFORM_DB_CONN}, or, when that is unset, a PostgreSQL embedded in this
 * process with its data under {@code ./data}. Doing this ahead of Quarkus is what lets the
 * datasource, Flyway and Hibernate see an ordinary JDBC URL in both modes, and what tells the task
 * event relay that nobody else writes to an embedded database. Before that, {@link DemoModeGuard}
 * refuses a demo mode that would meet something real, and a production mode without OIDC.
 */
@QuarkusMain
public final class CloudOpsMain {

    /** {@link io.cloudops.orchestrator.client.TaskEventRelayConfig#embeddedDatabase()}. */
    static final String EMBEDDED_DATABASE = "cloudops.events.embedded-database";
    /** Exit status when {@link DemoModeGuard} refuses the configuration (distinct from a crash). */
    public static final int REFUSED = 78;

    private CloudOpsMain() {
    }

    public static void main(String... args) {
        // before the database or anything else starts: demo mode must not meet something real by accident
        switch (DemoModeGuard.decide(DemoModeGuard.read(PlatformConfig.loadConfigBeforeStart()))) {
            case DemoModeGuard.Decision.Refuse refuse -> {
                // logging is not set up before Quarkus starts: straight to the console
                System.err.println("ERROR [" + CloudOpsMain.class.getName() + "] " + refuse.message());
                System.exit(REFUSED);
            }
            // the warnings are logged once Quarkus has set up logging (DemoModeWarnings)
            case DemoModeGuard.Decision.Start start -> {
            }
        }
        try (DatabaseLauncher.RunningDatabase database = DatabaseLauncher.launch(PlatformConfig.loadBeforeStart())) {
            database.datasourceProperties().forEach(System::setProperty);
            // TASK_EVENT_RELAY=auto relays events between processes unless the database is our own embedded one
            System.setProperty(EMBEDDED_DATABASE, Boolean.toString(database.embedded()));
            Quarkus.run(args);
        }
    }
}
