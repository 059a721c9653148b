package io.cloudops.api.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

/**
 * Decides, before anything starts, whether the control plane may start in the sign-in mode it is
 * configured for. Demo mode makes everyone an administrator without signing in, so it must not
 * meet anything real by accident: real operations, a configured database instance, an Azure
 * artifact store, an external PostgreSQL, or an HTTP bind address other than loopback each need
 * {@code DEMO_MODE=true} set explicitly (and are then named in a warning). Outside demo mode OIDC
 * must be configured. {@link #decide} is a pure function of {@link Settings}; {@link #read} takes
 * them from the configuration ({@link io.cloudops.api.CloudOpsMain} calls both).
 */
public final class DemoModeGuard {

    private DemoModeGuard() {
    }

    /**
     * What the decision depends on.
     *
     * @param demoMode          the effective {@code DEMO_MODE}
     * @param demoModeExplicit  whether {@code DEMO_MODE} was set (environment or system property), not defaulted
     * @param real              what demo auth would meet that is real, one phrase each (empty: nothing)
     * @param oidcIssuer        {@code OIDC_AUTH_SERVER_URL} or the issuer of {@code AZURE_TENANT_ID}
     * @param oidcClientId      {@code OIDC_CLIENT_ID} or {@code AZURE_CLIENT_ID}
     * @param oidcClientSecret  {@code OIDC_CLIENT_SECRET} or {@code AZURE_CLIENT_SECRET}
     * @param roleMapProblem    why {@code OIDC_ROLE_MAP} cannot be read, if it cannot
     */
    public record Settings(boolean demoMode, boolean demoModeExplicit, List<String> real, boolean oidcIssuer,
            boolean oidcClientId, boolean oidcClientSecret, Optional<String> roleMapProblem) {
        public Settings {
            real = List.copyOf(real);
        }
    }

    /** Start (with warnings to log), or refuse with a message that says what to set. */
    public sealed interface Decision {
        record Start(List<String> warnings) implements Decision {
        }

        record Refuse(String message) implements Decision {
        }
    }

    public static Decision decide(Settings settings) {
        if (settings.demoMode()) {
            if (settings.real().isEmpty()) {
                return new Decision.Start(List.of());
            }
            String what = String.join("; ", settings.real());
            if (!settings.demoModeExplicit()) {
                return new Decision.Refuse("Refusing to start: demo mode (the default: everyone is an administrator "
                        + "without signing in) would meet something real: " + what + ". Set DEMO_MODE=true explicitly "
                        + "to accept that, or DEMO_MODE=false with OIDC sign-in (docs/security.md).");
            }
            return new Decision.Start(List.of("DEMO_MODE=true with real systems: " + what
                    + ". Everyone who can reach this server is signed in without a password and may switch to admin."));
        }
        List<String> missing = new ArrayList<>();
        if (!settings.oidcIssuer()) {
            missing.add("OIDC_AUTH_SERVER_URL (or AZURE_TENANT_ID for Entra ID)");
        }
        if (!settings.oidcClientId()) {
            missing.add("OIDC_CLIENT_ID (or AZURE_CLIENT_ID)");
        }
        if (!settings.oidcClientSecret()) {
            missing.add("OIDC_CLIENT_SECRET (or AZURE_CLIENT_SECRET)");
        }
        if (!missing.isEmpty()) {
            return new Decision.Refuse("Refusing to start: DEMO_MODE=false signs users in with OIDC, but "
                    + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not set (docs/security.md). Or run DEMO_MODE=true on one machine.");
        }
        if (settings.roleMapProblem().isPresent()) {
            return new Decision.Refuse("Refusing to start: " + settings.roleMapProblem().get());
        }
        return new Decision.Start(List.of());
    }

    /** The settings as configured (environment, system properties, application.properties, library defaults). */
    public static Settings read(SmallRyeConfig config) {
        boolean demoMode = config.getOptionalValue("cloudops.demo-mode", Boolean.class).orElse(true);
        ConfigValue demoValue = config.getConfigValue("cloudops.demo-mode");
        boolean explicit = present(config, "DEMO_MODE") || (demoValue.getSourceName() != null
                && !demoValue.getSourceName().contains("application.properties"));
        List<String> real = new ArrayList<>();
        if (present(config, "cloudops.db.conn")) {
            real.add("an external PostgreSQL (PLATFORM_DB_CONN)");
        }
        boolean simulated = config.getOptionalValue("cloudops.operations.simulated", Boolean.class).orElse(demoMode);
        if (!simulated) {
            boolean cluster = config.getOptionalValue("cloudops.operations.kubernetes.enabled", Boolean.class)
                    .orElse(present(config, "cloudops.operations.kubernetes.kubeconfig")
                            || present(config, "cloudops.operations.kubernetes.service-host"));
            real.add("real operations (SIMULATED_OPERATIONS=false)"
                    + (cluster ? ", with a Kubernetes cluster (KUBECONFIG, in-cluster or KUBERNETES_ENABLED)" : ""));
        }
        TreeSet<String> databases = new TreeSet<>();
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith("cloudops.databases.") && name.endsWith(".engine"))
                .map(name -> name.substring("cloudops.databases.".length(), name.length() - ".engine".length()))
                .forEach(databases::add);
        if (!databases.isEmpty()) {
            real.add("configured database instances (cloudops.databases." + String.join(", cloudops.databases.",
                    databases) + ")");
        }
        if (present(config, "cloudops.artifacts.azure.connection-string")
                || "azure-blob".equals(config.getOptionalValue("cloudops.artifacts.store", String.class).orElse(""))) {
            real.add("an Azure Blob artifact store (ARTIFACT_STORE / AZURE_STORAGE_CONNECTION_STRING)");
        }
        String host = config.getOptionalValue("quarkus.http.host", String.class)
                .orElse(SecurityConfigSourceFactory.LOOPBACK);
        if (!isLoopback(host)) {
            real.add("HTTP bound to " + host + " (QUARKUS_HTTP_HOST), not loopback");
        }
        Optional<String> roleMapProblem;
        try {
            RoleMap.parse(config.getOptionalValue("cloudops.oidc.role-map", String.class).orElse(""));
            roleMapProblem = Optional.empty();
        } catch (IllegalArgumentException e) {
            roleMapProblem = Optional.of(e.getMessage());
        }
        return new Settings(demoMode, explicit, real, present(config, "quarkus.oidc.auth-server-url"),
                present(config, "quarkus.oidc.client-id"), present(config, "quarkus.oidc.credentials.secret"),
                roleMapProblem);
    }

    /** 127.0.0.0/8, ::1 and localhost. */
    static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    private static boolean present(SmallRyeConfig config, String name) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).isPresent();
    }
}
