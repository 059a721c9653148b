package io.cloudops.orchestrator.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged orchestrator service ({@code target/quarkus-app/quarkus-run.jar}) as an operator
 * starts it: it refuses to start without the shared database, and with one it applies the schema,
 * reports ready, serves metrics, and has no REST API. Running tasks across the two services is
 * what control-api's DistributedTopologyIT checks.
 */
class OrchestratorServiceIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path work;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        assertThat(JAR).as("packaged service (mvn verify packages before the integration tests)").isRegularFile();
        postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void refusesToStartWithoutTheSharedDatabase() throws Exception {
        Path log = work.resolve("no-db.log");
        Process process = start(Map.of(), log, freePort());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits on its own").isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("needs PLATFORM_DB_CONN");
    }

    @Test
    void withTheDatabaseItMigratesReportsReadyAndServesOnlyManagementEndpoints() throws Exception {
        int port = freePort();
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
        Process process = start(Map.of("PLATFORM_DB_CONN", url, "TASK_LEASE_DURATION", "5s"),
                work.resolve("with-db.log"), port);
        try {
            await("ready (log: " + work.resolve("with-db.log") + ")").atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(get(port, "/q/health/ready"))
                            .satisfies(r -> assertThat(r.statusCode()).isEqualTo(200))
                            .satisfies(r -> assertThat(r.body()).contains("\"status\": \"UP\"")));
            assertThat(get(port, "/q/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(port, "/q/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_threads");
            assertThat(get(port, "/api/tasks").statusCode()).as("no REST API").isEqualTo(404);
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the one schema history, applied by the service").isGreaterThanOrEqualTo(3);
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Process start(Map<String, String> env, Path log, int port) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PLATFORM_") || name.startsWith("QUARKUS_")
                || name.startsWith("TASK_") || name.startsWith("AMQP_"));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
