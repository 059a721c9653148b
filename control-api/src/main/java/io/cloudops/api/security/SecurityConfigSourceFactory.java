package io.cloudops.api.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.cloudops.api.config.PlatformConfig;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Settings that follow from demo mode and cannot be written as property expressions: OIDC is off
 * in demo mode and on otherwise ({@code quarkus.oidc.tenant-enabled}), its issuer is
 * {@code OIDC_AUTH_SERVER_URL} or the Entra ID issuer of {@code AZURE_TENANT_ID}, and demo mode
 * listens on loopback only. The source ranks below {@code application.properties} and the
 * environment, so an explicit {@code QUARKUS_HTTP_HOST} or {@code QUARKUS_OIDC_*} still wins.
 */
public class SecurityConfigSourceFactory implements ConfigSourceFactory {

    /** Below application.properties (250), the environment (300) and system properties (400). */
    static final int ORDINAL = 150;
    static final String NAME = "cloudops-security-defaults";
    public static final String LOOPBACK = "127.0.0.1";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new MapBackedConfigSource(NAME, derive(context), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    static Map<String, String> derive(ConfigSourceContext context) {
        boolean demoMode = demoMode(value(context, "cloudops.demo-mode"), value(context, "DEMO_MODE"));
        Map<String, String> derived = new HashMap<>();
        derived.put("quarkus.oidc.tenant-enabled", Boolean.toString(!demoMode));
        if (demoMode) {
            derived.put("quarkus.http.host", LOOPBACK);
        }
        PlatformConfig.Oidc.issuer(value(context, "cloudops.oidc.auth-server-url").or(() -> value(context,
                "OIDC_AUTH_SERVER_URL")), value(context, "cloudops.oidc.azure-tenant-id").or(
                        () -> value(context,
                                "AZURE_TENANT_ID")))
                .ifPresent(issuer -> derived.put("quarkus.oidc.auth-server-url", issuer));
        return derived;
    }

    /** {@code cloudops.demo-mode} as resolved, else the raw {@code DEMO_MODE}, else the default (true). */
    static boolean demoMode(Optional<String> resolved, Optional<String> raw) {
        return resolved.filter(v -> !v.contains("${")).or(() -> raw).map(v -> !"false".equalsIgnoreCase(v.strip()))
                .orElse(true);
    }

    /** A value of the other sources; unexpanded expressions count as unset. */
    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).map(String::strip)
                .filter(v -> !v.isEmpty() && !v.startsWith("${"));
    }
}
