package io.cloudops.api.database;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On a platform without shipped PostgreSQL binaries the embedded default does not fail with zonky's
 * internals: it says to set PLATFORM_DB_CONN. The platform is really resolved by zonky (its
 * resolver reads {@code os.arch} when asked), here for an architecture nothing ships for.
 */
class EmbeddedPostgresPlatformTest {

    /** An architecture zonky knows but that we ship no binaries for. */
    @Test
    void aPlatformWithoutBinariesAsksForAnExternalServer(@TempDir Path dataDir) {
        assertAsksForAnExternalServer("i386", dataDir);
    }

    /** An architecture zonky does not know at all. */
    @Test
    void anUnknownArchitectureAsksForAnExternalServer(@TempDir Path dataDir) {
        assertAsksForAnExternalServer("riscv64", dataDir);
    }

    private static void assertAsksForAnExternalServer(String architecture, Path dataDir) {
        String arch = System.getProperty("os.arch");
        System.setProperty("os.arch", architecture);
        try {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 10))
                    .isInstanceOf(EmbeddedPostgresServer.UnsupportedPlatformException.class)
                    .hasMessageContaining(architecture)
                    .hasMessageContaining("Set PLATFORM_DB_CONN");
        } finally {
            System.setProperty("os.arch", arch);
        }
    }
}
