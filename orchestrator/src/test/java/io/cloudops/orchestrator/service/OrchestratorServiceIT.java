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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged orchestrator service ({@code target/quarkus-app/quarkus-run.jar}) as an operator
 * starts it: it refuses to start without the shared database, and with one it applies the schema,
 * reports ready, serves metrics, and has no REST API. Running tasks across the two services is
 * what control-api's DistributedTopologyIT checks; here a task accepted elsewhere (written to the
 * database with its request's traceparent, as control-api does) shows what this service adds to it:
 * metrics, JSON log lines carrying the task and the accepting request's trace id, and the run's
 * spans in that trace, exported over OTLP/HTTP to a collector the test stands in for.
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
            assertThat(metrics.body()).contains("cloudops_sessions_max").contains("cloudops_queue_depth");
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the one schema history, applied by the service").isGreaterThanOrEqualTo(3);
            }
            assertThat(Files.readString(work.resolve("with-db.log")))
                    .as("no OTEL_EXPORTER_OTLP_ENDPOINT: nothing exported, no export error")
                    .doesNotContainIgnoringCase("failed to export").doesNotContain(":4317");
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aTaskAcceptedElsewhereRunsHereCountedInItsMetricsAndLoggedAsJsonInTheAcceptingRequestsTrace()
            throws Exception {
        int port = freePort();
        String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
        Path log = work.resolve("telemetry.log");
        FakeCollector collector = FakeCollector.start();
        Process process = start(Map.of("PLATFORM_DB_CONN", url, "LOG_FORMAT", "json", "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + collector.port(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), log, port);
        try {
            await("ready (log: " + log + ")").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> get(port, "/q/health/ready").statusCode() == 200);
            String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
            UUID task = UUID.randomUUID();
            String entity = "telemetry-" + task;
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                // what control-api's TaskSubmitter writes; the orchestrator's sweeper finds it within seconds
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO task (id, type, status, entity_id, queue_position, payload, attempt, max_attempts,
                                          created_at, next_attempt_at, event_seq, traceparent)
                        VALUES (?, 'diagnostic', 'queued', ?, nextval('task_queue_position'),
                                '{"steps":1,"stepMillis":1,"fail":"times:1"}'::jsonb, 0, 3, now(), now(), 1, ?)""")) {
                    insert.setObject(1, task);
                    insert.setString(2, entity);
                    insert.setString(3, "00-" + traceId + "-00f067aa0ba902b7-01");
                    insert.executeUpdate();
                }
                try (PreparedStatement step = c.prepareStatement(
                        "INSERT INTO task_step (task_id, idx, name, status) VALUES (?, 0, 'step-1', 'pending')")) {
                    step.setObject(1, task);
                    step.executeUpdate();
                }
            }
            await("task " + task + " succeeded").atMost(Duration.ofSeconds(60)).until(() -> taskStatus(task)
                    .equals("succeeded"));

            String scrape = await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/q/metrics").body(),
                    body -> body.contains(
                            "cloudops_task_duration_seconds_count{outcome=\"succeeded\",type=\"diagnostic\"} 1.0"));
            assertThat(scrape).contains("cloudops_tasks_started_total{type=\"diagnostic\"} 2.0")
                    .contains("cloudops_task_retries_total{type=\"diagnostic\"} 1.0")
                    .contains("cloudops_sessions_max 8.0")
                    .contains("cloudops_database_up 1.0")
                    .containsPattern("cloudops_recovery_signalled_entities_total [1-9]");

            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).map(l -> {
                try {
                    return json.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON log line: " + l, e);
                }
            }).toList();
            assertThat(lines).as("JSON log lines").isNotEmpty();
            JsonNode failed = lines.stream().filter(l -> l.path("message").asText().contains("step step-1 failed"))
                    .findFirst().orElseThrow(() -> new AssertionError("no step failure line in " + log));
            assertThat(failed.path("mdc").path("taskId").asText()).isEqualTo(task.toString());
            assertThat(failed.path("mdc").path("entityId").asText()).isEqualTo(entity);
            assertThat(failed.path("mdc").path("traceId").asText()).as("the accepting request's trace")
                    .isEqualTo(traceId);
            assertThat(failed.path("mdc").path("spanId").asText()).matches("[0-9a-f]{16}");
            byte[] traceBytes = java.util.HexFormat.of().parseHex(traceId);
            await("spans of the run exported to the collector").atMost(Duration.ofSeconds(30))
                    .until(() -> collector.received().stream().anyMatch(body -> contains(body, traceBytes)
                            && contains(body, task.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            assertThat(collector.paths()).as("OTLP over http/protobuf").allMatch(path -> path.equals("/v1/traces"));
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** An OTLP/HTTP endpoint that keeps what it is sent (protobuf bodies) and answers with an empty success. */
    private record FakeCollector(com.sun.net.httpserver.HttpServer server, List<byte[]> received, List<String> paths) {
        static FakeCollector start() throws IOException {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer
                    .create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            FakeCollector collector = new FakeCollector(server, new java.util.concurrent.CopyOnWriteArrayList<>(),
                    new java.util.concurrent.CopyOnWriteArrayList<>());
            server.createContext("/", exchange -> {
                collector.paths().add(exchange.getRequestURI().getPath());
                collector.received().add(exchange.getRequestBody().readAllBytes());
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return collector;
        }

        int port() {
            return server.getAddress().getPort();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String taskStatus(UUID task) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT status FROM task WHERE id = ?")) {
            select.setObject(1, task);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : "missing";
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
                || name.startsWith("TASK_") || name.startsWith("AMQP_") || name.startsWith("OTEL_")
                || name.equals("LOG_FORMAT"));
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
