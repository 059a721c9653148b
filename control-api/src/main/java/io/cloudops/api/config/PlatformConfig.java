package io.cloudops.api.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Product-level settings of the control plane. {@code application.properties} maps the product's
 * environment variable names (README, configuration matrix) onto these keys.
 */
@ConfigMapping(prefix = "cloudops")
public interface PlatformConfig {

    /** {@code DEMO_MODE}: demo user with a switchable role, simulated adapters, console email. */
    @WithDefault("true")
    boolean demoMode();

    /** {@code PLATFORM_DATA_DIR}: folder for the embedded database, artifacts and backups. */
    @WithDefault("data")
    String dataDir();

    /** Where the database is. */
    Db db();

    /** Notification settings shared by every project. */
    Teams teams();

    interface Db {
        /**
         * {@code PLATFORM_DB_CONN}: a JDBC URL ({@code jdbc:postgresql://...}) or a
         * {@code postgres://user:pass@host:port/db} URL. Unset: run the embedded PostgreSQL.
         */
        Optional<String> conn();

        /** {@code PLATFORM_DB_STARTUP_TIMEOUT_SECONDS}: how long to wait for the embedded PostgreSQL to start. */
        @WithDefault("120")
        int startupTimeoutSeconds();

        /*
         * Bounded waits: a database that stops answering (stalled network, frozen server) must make
         * calls fail within seconds, never hang them. The socket timeout also bounds a lease renewal,
         * so it should stay below the engine's lease safety margin (checked at start, DatabaseTimeouts).
         */

        /** {@code PLATFORM_DB_CONNECT_TIMEOUT_SECONDS}: pgjdbc {@code connectTimeout}, to open the TCP connection. */
        @WithDefault("3")
        int connectTimeoutSeconds();

        /**
         * {@code PLATFORM_DB_LOGIN_TIMEOUT_SECONDS}: pgjdbc {@code loginTimeout}, to connect and authenticate.
         * Shorter than the acquisition timeout, so that a hung login ends with the driver's own error.
         */
        @WithDefault("4")
        int loginTimeoutSeconds();

        /**
         * {@code PLATFORM_DB_SOCKET_TIMEOUT_SECONDS}: pgjdbc {@code socketTimeout}, the longest the driver
         * waits for the server's next bytes; then the connection is dropped and the call fails (SQLSTATE 08006).
         * Keep it shorter than {@code TASK_LEASE_SAFETY_MARGIN} (a warning at start otherwise).
         */
        @WithDefault("4")
        int socketTimeoutSeconds();

        /**
         * {@code PLATFORM_DB_STATEMENT_TIMEOUT_MS}: PostgreSQL {@code statement_timeout} of every pooled
         * connection (the server cancels a statement running longer, SQLSTATE 57014). Shorter than the socket
         * timeout, so that a slow statement ends with the server's clean error rather than a dropped connection.
         * Raise it (or run it separately) for a migration with long statements.
         */
        @WithDefault("3000")
        int statementTimeoutMs();

        /** {@code PLATFORM_DB_ACQUISITION_TIMEOUT_SECONDS}: the longest a call waits for a pooled connection. */
        @WithDefault("5")
        int acquisitionTimeoutSeconds();
    }

    interface Teams {
        /**
         * {@code TEAMS_ALLOWED_WEBHOOK_HOSTS}: hosts a project's Teams webhook may point to
         * ({@code *.example.com} matches sub-domains). Stops the webhook from becoming a way to make
         * the server call arbitrary internal addresses.
         */
        @WithName("allowed-webhook-hosts")
        List<String> allowedWebhookHosts();
    }

    /**
     * Reads this configuration before Quarkus starts (the launcher needs the database settings
     * first), from the same sources Quarkus will use: system properties, environment and
     * {@code application.properties}.
     */
    static PlatformConfig loadBeforeStart() {
        // Logging is not configured before Quarkus starts: keep the config library's start-up chatter out.
        java.util.logging.Logger.getLogger("io.smallrye.config").setLevel(java.util.logging.Level.INFO);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withMapping(PlatformConfig.class)
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(PlatformConfig.class);
    }
}
