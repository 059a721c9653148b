package io.cloudops.api;

import java.util.Optional;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.database.DatabaseLauncher;
import io.cloudops.api.database.EmbeddedPostgresServer;
import io.cloudops.api.guardrail.GuardRailGuard;
import io.cloudops.api.security.DemoModeGuard;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the control plane. Before Quarkus starts it decides where the database is: the
 * server named by {@code PLATFORM_DB_CONN}, or, when that is unset, a PostgreSQL embedded in this
 * process with its data under {@code ./data}. Doing this ahead of Quarkus is what lets the
 * datasource, Flyway and Hibernate see an ordinary JDBC URL in both modes, and what tells the task
 * event relay that nobody else writes to an embedded database. Before that, {@link DemoModeGuard}
 * refuses a demo mode that would meet something real, and a production mode without OIDC, and
 * {@link GuardRailGuard} a guard-rail policy file that does not load.
 */
@QuarkusMain
public final class CloudOpsMain {

    /** {@link io.cloudops.orchestrator.client.TaskEventRelayConfig#embeddedDatabase()}. */
    static final String EMBEDDED_DATABASE = "cloudops.events.embedded-database";
    /** Dev mode only: set once the database is up, so that live reloads reuse it (outside the config roots). */
    private static final String DEV_DATABASE_KEPT = "io.cloudops.dev.database-kept";
    /**
     * Exit status when the configuration is refused ({@link DemoModeGuard}, or no embedded PostgreSQL for
     * this platform): distinct from a crash.
     */
    public static final int REFUSED = 78;

    private CloudOpsMain() {
    }

    public static void main(String... args) {
        if (Boolean.getBoolean(DEV_DATABASE_KEPT)) {
            // a live reload in dev mode: the database of the first start still runs, its settings still set
            Quarkus.run(args);
            return;
        }
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
        // a policy that does not parse or type-check refuses to start, before the database starts
        Optional<String> policyProblem = GuardRailGuard.problem(PlatformConfig.loadConfigBeforeStart());
        if (policyProblem.isPresent()) {
            System.err.println("ERROR [" + CloudOpsMain.class.getName() + "] " + policyProblem.get());
            System.exit(REFUSED);
        }
        DatabaseLauncher.RunningDatabase database;
        try {
            database = DatabaseLauncher.launch(PlatformConfig.loadBeforeStart());
        } catch (EmbeddedPostgresServer.UnsupportedPlatformException e) {
            // a setting the user must change, not a bug: say what to do, without a stack trace
            System.err.println("ERROR [" + CloudOpsMain.class.getName() + "] " + e.getMessage());
            System.exit(REFUSED);
            return;
        }
        database.datasourceProperties().forEach(System::setProperty);
        // TASK_EVENT_RELAY=auto relays events between processes unless the database is our own embedded one
        System.setProperty(EMBEDDED_DATABASE, Boolean.toString(database.embedded()));
        try {
            Quarkus.run(args);
        } finally {
            // The launch mode is known once the application ran. In dev mode Quarkus returns from run() to
            // restart the application in a fresh class loader (a live reload): keep the database for the
            // reloads to come and stop it when the JVM exits. Otherwise the application has stopped: stop it.
            if (LaunchMode.current() == LaunchMode.DEVELOPMENT && keepUntilExit(database)) {
                System.setProperty(DEV_DATABASE_KEPT, "true");
            } else {
                database.close();
            }
        }
    }

    private static boolean keepUntilExit(DatabaseLauncher.RunningDatabase database) {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "cloudops-dev-database"));
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
