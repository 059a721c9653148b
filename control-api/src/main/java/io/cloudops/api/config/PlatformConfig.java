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

    /** Slack settings shared by every project. */
    Slack slack();

    /** Production sign-in (docs/security.md); ignored in demo mode. */
    Oidc oidc();

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
         * {@code TEAMS_WEBHOOK_ALLOWED_HOSTS} (or the older {@code TEAMS_ALLOWED_WEBHOOK_HOSTS}): hosts a project's Teams webhook may point to
         * ({@code *.example.com} matches sub-domains). Stops the webhook from becoming a way to make
         * the server call arbitrary internal addresses.
         */
        @WithName("allowed-webhook-hosts")
        List<String> allowedWebhookHosts();
    }

    interface Slack {
        /**
         * {@code SLACK_WEBHOOK_ALLOWED_HOSTS}: hosts a project's Slack webhook may point to (default
         * {@code hooks.slack.com}, in application.properties like the Teams list).
         */
        @WithName("allowed-webhook-hosts")
        List<String> allowedWebhookHosts();
    }

    /**
     * The OIDC provider and how its tokens name our roles. {@code application.properties} maps these
     * onto {@code quarkus.oidc.*}; {@link io.cloudops.api.security.SecurityConfigSourceFactory} derives
     * the issuer and switches the provider off in demo mode.
     */
    interface Oidc {
        /** {@code OIDC_AUTH_SERVER_URL}: the issuer of any OIDC provider (Keycloak: {@code https://host/realms/name}). */
        Optional<String> authServerUrl();

        /** {@code AZURE_TENANT_ID}: Entra ID tenant, issuer {@code https://login.microsoftonline.com/<tenant>/v2.0}. */
        Optional<String> azureTenantId();

        /** {@code OIDC_CLIENT_ID} (or {@code AZURE_CLIENT_ID}): this application's client id at the provider. */
        Optional<String> clientId();

        /** {@code OIDC_CLIENT_SECRET} (or {@code AZURE_CLIENT_SECRET}): its secret, for the console's code flow. */
        Optional<String> clientSecret();

        /** {@code OIDC_ROLES_CLAIM}: the claim (or path, {@code resource_access/cloudops/roles}) holding the roles. */
        @WithDefault("roles")
        String rolesClaim();

        /**
         * {@code OIDC_ROLE_MAP}: token role = our role, comma separated
         * ({@code CloudOps.Admin=admin,CloudOps.Operator=operator,CloudOps.Viewer=viewer}). Token roles
         * not in the map grant nothing.
         */
        @WithDefault("viewer=viewer,operator=operator,admin=admin")
        String roleMap();

        /** The issuer named by {@link #authServerUrl()} or derived from {@link #azureTenantId()}, if any. */
        default Optional<String> issuer() {
            return issuer(authServerUrl(), azureTenantId());
        }

        static Optional<String> issuer(Optional<String> authServerUrl, Optional<String> azureTenantId) {
            Optional<String> url = authServerUrl.map(String::strip).filter(s -> !s.isEmpty());
            if (url.isPresent()) {
                return url;
            }
            return azureTenantId.map(String::strip).filter(s -> !s.isEmpty())
                    .map(tenant -> "https://login.microsoftonline.com/" + tenant + "/v2.0");
        }
    }

    /**
     * Reads this configuration before Quarkus starts (the launcher needs the database settings
     * first), from the same sources Quarkus will use: system properties, environment and
     * {@code application.properties}.
     */
    static PlatformConfig loadBeforeStart() {
        return loadConfigBeforeStart().getConfigMapping(PlatformConfig.class);
    }

    /** The whole configuration as Quarkus will see it (with the discovered sources), before Quarkus starts. */
    static SmallRyeConfig loadConfigBeforeStart() {
        // Logging is not configured before Quarkus starts: keep the config library's start-up chatter out.
        java.util.logging.Logger.getLogger("io.smallrye.config").setLevel(java.util.logging.Level.INFO);
        return new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDiscoveredSources()
                .addDefaultInterceptors()
                .withMapping(PlatformConfig.class)
                .withValidateUnknown(false)
                .build();
    }
}
