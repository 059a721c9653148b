package io.cloudops.api.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up decision of {@link DemoModeGuard} as a pure function of the settings, and how it
 * reads them from configuration laid out like the application's (application.properties mapping
 * the product's variables, the variables themselves from the environment).
 */
class DemoModeGuardTest {

    private static DemoModeGuard.Settings demo(boolean explicit, List<String> real) {
        return new DemoModeGuard.Settings(true, explicit, real, false, false, false, Optional.empty());
    }

    @Test
    void theEmbeddedDefaultStartsQuietly() {
        assertThat(DemoModeGuard.decide(demo(false, List.of()))).isEqualTo(new DemoModeGuard.Decision.Start(List.of()));
    }

    @Test
    void demoModeByDefaultNextToSomethingRealRefusesToStartAndNamesIt() {
        DemoModeGuard.Decision decision = DemoModeGuard.decide(demo(false,
                List.of("an external PostgreSQL (PLATFORM_DB_CONN)",
                        "HTTP bound to 0.0.0.0 (QUARKUS_HTTP_HOST), not loopback")));
        assertThat(decision).isInstanceOf(DemoModeGuard.Decision.Refuse.class);
        assertThat(((DemoModeGuard.Decision.Refuse) decision).message()).contains("PLATFORM_DB_CONN", "0.0.0.0",
                "Set DEMO_MODE=true explicitly", "DEMO_MODE=false with OIDC");
    }

    @Test
    void explicitDemoModeNextToSomethingRealStartsWithAWarningNamingIt() {
        DemoModeGuard.Decision decision = DemoModeGuard
                .decide(demo(true, List.of("real operations (SIMULATED_OPERATIONS=false)")));
        assertThat(decision).isInstanceOf(DemoModeGuard.Decision.Start.class);
        assertThat(((DemoModeGuard.Decision.Start) decision).warnings()).singleElement().asString()
                .contains("DEMO_MODE=true", "SIMULATED_OPERATIONS=false", "may switch to admin");
    }

    @Test
    void productionWithoutOidcRefusesNamingEveryMissingSetting() {
        DemoModeGuard.Decision none = DemoModeGuard.decide(
                new DemoModeGuard.Settings(false, true, List.of("x"), false, false, false, Optional.empty()));
        assertThat(((DemoModeGuard.Decision.Refuse) none).message()).contains(
                "OIDC_AUTH_SERVER_URL (or AZURE_TENANT_ID for Entra ID), OIDC_CLIENT_ID (or AZURE_CLIENT_ID), "
                        + "OIDC_CLIENT_SECRET (or AZURE_CLIENT_SECRET) are not set");
        DemoModeGuard.Decision secretOnly = DemoModeGuard.decide(
                new DemoModeGuard.Settings(false, true, List.of(), true, true, false, Optional.empty()));
        assertThat(((DemoModeGuard.Decision.Refuse) secretOnly).message())
                .contains("OIDC_CLIENT_SECRET (or AZURE_CLIENT_SECRET) is not set").doesNotContain("OIDC_CLIENT_ID");
        DemoModeGuard.Decision badMap = DemoModeGuard.decide(new DemoModeGuard.Settings(false, false, List.of(), true,
                true, true, Optional.of("OIDC_ROLE_MAP entry 'x' must be ...")));
        assertThat(badMap)
                .isEqualTo(new DemoModeGuard.Decision.Refuse("Refusing to start: OIDC_ROLE_MAP entry 'x' must be ..."));
        assertThat(DemoModeGuard.decide(new DemoModeGuard.Settings(false, false, List.of("anything real"), true, true,
                true, Optional.empty()))).isEqualTo(new DemoModeGuard.Decision.Start(List.of()));
    }

    @Test
    void readsNothingRealFromTheDefaults() {
        DemoModeGuard.Settings settings = DemoModeGuard.read(config(Map.of()));
        assertThat(settings.demoMode()).isTrue();
        assertThat(settings.demoModeExplicit()).isFalse();
        assertThat(settings.real()).isEmpty();
    }

    @Test
    void readsEveryRealThingFromTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PLATFORM_DB_CONN", "jdbc:postgresql://db:5432/cloudops");
        env.put("SIMULATED_OPERATIONS", "false");
        env.put("KUBECONFIG", "/home/me/.kube/config");
        env.put("cloudops.databases.orders.engine", "azure-postgres");
        env.put("cloudops.databases.orders.host", "orders.postgres.database.azure.com");
        env.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=a");
        env.put("QUARKUS_HTTP_HOST", "0.0.0.0");
        DemoModeGuard.Settings settings = DemoModeGuard.read(config(env));
        assertThat(settings.demoModeExplicit()).isFalse();
        assertThat(settings.real()).containsExactly("an external PostgreSQL (PLATFORM_DB_CONN)",
                "real operations (SIMULATED_OPERATIONS=false), with a Kubernetes cluster (KUBECONFIG, in-cluster or KUBERNETES_ENABLED)",
                "configured database instances (cloudops.databases.orders)",
                "an Azure Blob artifact store (ARTIFACT_STORE / AZURE_STORAGE_CONNECTION_STRING)",
                "HTTP bound to 0.0.0.0 (QUARKUS_HTTP_HOST), not loopback");
        assertThat(DemoModeGuard.read(config(Map.of("QUARKUS_HTTP_HOST", "127.0.0.1"))).real()).isEmpty();
    }

    @Test
    void demoModeIsExplicitOnlyWhenDemoModeIsSet() {
        assertThat(DemoModeGuard.read(config(Map.of("DEMO_MODE", "true"))).demoModeExplicit()).isTrue();
        DemoModeGuard.Settings production = DemoModeGuard.read(config(Map.of("DEMO_MODE", "false",
                "AZURE_TENANT_ID", "contoso", "AZURE_CLIENT_ID", "app", "AZURE_CLIENT_SECRET", "s")));
        assertThat(production.demoMode()).isFalse();
        // demo mode off means real operations by default: that is fine outside demo mode
        assertThat(DemoModeGuard.decide(production)).isEqualTo(new DemoModeGuard.Decision.Start(List.of()));
        assertThat(DemoModeGuard.decide(DemoModeGuard.read(config(Map.of("DEMO_MODE", "false")))))
                .isInstanceOf(DemoModeGuard.Decision.Refuse.class);
    }

    @Test
    void theEntraIssuerFollowsFromTheTenant() {
        SmallRyeConfig config = config(Map.of("DEMO_MODE", "false", "AZURE_TENANT_ID", "contoso"));
        assertThat(config.getValue("quarkus.oidc.auth-server-url", String.class))
                .isEqualTo("https://login.microsoftonline.com/contoso/v2.0");
        assertThat(config.getValue("quarkus.oidc.tenant-enabled", Boolean.class)).isTrue();
        assertThat(config(Map.of()).getValue("quarkus.oidc.tenant-enabled", Boolean.class)).isFalse();
        assertThat(config(Map.of()).getValue("quarkus.http.host", String.class)).isEqualTo("127.0.0.1");
        assertThat(config(Map.of("OIDC_AUTH_SERVER_URL", "https://kc/realms/x", "AZURE_TENANT_ID", "contoso"))
                .getValue("quarkus.oidc.auth-server-url", String.class)).isEqualTo("https://kc/realms/x");
    }

    /**
     * The application's own application.properties and the operations library's defaults (both on
     * the test classpath), the security factory, and {@code env} standing for the environment.
     */
    private static SmallRyeConfig config(Map<String, String> env) {
        try {
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withSources(new EnvConfigSource(Map.copyOf(env), 300))
                    .withSources(new PropertiesConfigSource(
                            DemoModeGuardTest.class.getClassLoader().getResource("application.properties"), 250))
                    .withSources(new SecurityConfigSourceFactory())
                    .withValidateUnknown(false);
            for (URL url : Collections.list(DemoModeGuardTest.class.getClassLoader()
                    .getResources("META-INF/microprofile-config.properties"))) {
                builder.withSources(new PropertiesConfigSource(url, 100));
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
