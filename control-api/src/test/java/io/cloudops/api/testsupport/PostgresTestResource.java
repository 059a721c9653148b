package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.database.DatabaseConnection;
import io.cloudops.api.database.EmbeddedPostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database of the test JVM: the PostgreSQL server named by {@code PLATFORM_DB_CONN} when it is
 * set (CI runs the suite once that way against the machine's server), otherwise one embedded
 * PostgreSQL shared by every test of the JVM, started on first use and stopped when the JVM exits.
 * Flyway cleans the schema at start in the test profile, so each run begins empty.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer embedded;

    @Override
    public synchronized Map<String, String> start() {
        PlatformConfig config = PlatformConfig.loadBeforeStart();
        if (config.db().conn().filter(c -> !c.isBlank()).isPresent()) {
            return DatabaseConnection.parse(config.db().conn().get()).datasourceProperties();
        }
        return embedded().connection().datasourceProperties();
    }

    /** The embedded server of this JVM (for tests that need a second database connection). */
    public static synchronized EmbeddedPostgresServer embedded() {
        if (embedded == null) {
            Path dir = Path.of("target", "test-postgres").toAbsolutePath();
            deleteRecursively(dir);
            embedded = EmbeddedPostgresServer.start(dir, 120);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-postgres-stop"));
        }
        return embedded;
    }

    @Override
    public void stop() {
        // shared by every test profile of this JVM; stopped by the shutdown hook
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
