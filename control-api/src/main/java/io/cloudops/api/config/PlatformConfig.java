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
