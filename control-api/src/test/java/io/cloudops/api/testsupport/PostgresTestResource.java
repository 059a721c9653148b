package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.database.EmbeddedPostgresServer;
import io.cloudops.common.config.DatabaseConnection;
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

    /** Where the test PostgreSQL server listens and who to connect as (for tests that create databases on it). */
    public record Server(String host, int port, String user, java.util.Optional<String> password) {

        /** A JDBC URL of a database on this server. */
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public java.sql.Connection connect(String database) throws java.sql.SQLException {
            java.util.Properties properties = new java.util.Properties();
            properties.setProperty("user", user);
            password.ifPresent(p -> properties.setProperty("password", p));
            return java.sql.DriverManager.getConnection(jdbcUrl(database), properties);
        }
    }

    /** The server of this JVM's tests: {@code PLATFORM_DB_CONN}'s, or the embedded one. */
    public static synchronized Server server() {
        PlatformConfig config = PlatformConfig.loadBeforeStart();
        if (config.db().conn().filter(c -> !c.isBlank()).isPresent()) {
            DatabaseConnection connection = DatabaseConnection.parse(config.db().conn().get());
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/[^?]*(?:\\?(.*))?")
                    .matcher(connection.jdbcUrl());
            if (!m.matches()) {
                throw new IllegalStateException("cannot read host and port from " + connection.jdbcUrl());
            }
            java.util.Map<String, String> query = new java.util.HashMap<>();
            if (m.group(3) != null) {
                for (String pair : m.group(3).split("&")) {
                    String[] kv = pair.split("=", 2);
                    query.put(kv[0], kv.length == 2 ? kv[1] : "");
                }
            }
            return new Server(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)),
                    connection.username().orElse(query.getOrDefault("user", "postgres")),
                    connection.password().or(() -> java.util.Optional.ofNullable(query.get("password"))));
        }
        return new Server("localhost", embedded().port(), "postgres", java.util.Optional.empty());
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
