package io.cloudops.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cloudops.api.testsupport.PackagedApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app refuses a configuration before anything starts: demo mode by default next to
 * real operations, and {@code DEMO_MODE=false} without OIDC. It exits with {@link CloudOpsMain#REFUSED},
 * says why in its log, and has not started the embedded PostgreSQL (no data folder).
 */
class DemoModeRefusalIT {

    @TempDir
    Path workDir;

    @Test
    void demoModeByDefaultNextToRealOperationsDoesNotStart() throws Exception {
        Path log = Path.of("target", "demo-mode-refusal-it", "real-operations.log").toAbsolutePath();
        try (PackagedApp app = new PackagedApp(workDir, log, Map.of("SIMULATED_OPERATIONS", "false"))) {
            assertThat(app.runToExit()).isEqualTo(CloudOpsMain.REFUSED);
        }
        assertThat(Files.readString(log)).contains("Refusing to start", "real operations (SIMULATED_OPERATIONS=false)",
                "Set DEMO_MODE=true explicitly");
        assertThat(workDir.resolve("data")).doesNotExist();
    }

    @Test
    void productionWithoutOidcDoesNotStartAndNamesTheMissingSettings() throws Exception {
        Path log = Path.of("target", "demo-mode-refusal-it", "no-oidc.log").toAbsolutePath();
        try (PackagedApp app = new PackagedApp(workDir, log, Map.of("DEMO_MODE", "false"))) {
            assertThat(app.runToExit()).isEqualTo(CloudOpsMain.REFUSED);
        }
        assertThat(Files.readString(log)).contains("OIDC_AUTH_SERVER_URL (or AZURE_TENANT_ID for Entra ID)",
                "OIDC_CLIENT_ID (or AZURE_CLIENT_ID)", "OIDC_CLIENT_SECRET (or AZURE_CLIENT_SECRET)");
        assertThat(workDir.resolve("data")).doesNotExist();
    }
}
