package io.cloudops.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The embedded default as a user runs it: the packaged jar started with no configuration at all in
 * an empty folder. It must create its PostgreSQL under {@code ./data}, seed the demo project once,
 * keep data across a graceful stop and across a {@code kill -9} (whose orphaned PostgreSQL the next
 * start has to stop), and leave no PostgreSQL behind when it stops. Several runs share one folder,
 * which is why this is a plain test driving a child JVM rather than a {@code @QuarkusIntegrationTest}.
 */
class EmbeddedDefaultIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final Path LOG = Path.of("target", "embedded-default-it", "app.log").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    /** Environment variables that would configure the app; the child starts without any of them. */
    private static final List<String> CONFIG_PREFIXES = List.of("PLATFORM_", "QUARKUS_", "DEMO_MODE", "TEAMS_",
            "SENDGRID_", "AZURE_", "KUBECONFIG", "MAX_CONCURRENT_SESSIONS", "MAX_MESSAGES_PER_SESSION");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private static Process app;
    private static int port;
    private static int runs;

    @BeforeAll
    static void checkThePackagedApp() throws IOException {
        assertThat(JAR).as("packaged app (run mvn verify, which packages before the integration tests)")
                .isRegularFile();
        Files.createDirectories(LOG.getParent());
        Files.deleteIfExists(LOG);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            if (!app.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
        if (workDir != null) {
            // a failed run may have left an orphaned server behind: never leak it into the build machine
            postmaster().ifPresent(postgres -> {
                postgres.destroy();
                postgres.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
            });
        }
    }

    @Test
    void runsWithoutConfigurationAndKeepsItsDataAcrossGracefulAndHardRestarts() throws Exception {
        start();
        assertThat(pgData().resolve("PG_VERSION")).as("embedded PostgreSQL data under ./data/postgres")
                .isRegularFile();
        assertThat(postmaster()).as("PostgreSQL serving ./data/postgres").isPresent();
        assertDemoSeededOnce();
        api().get("/swagger").then().statusCode(200);
        api().get("/q/openapi").then().statusCode(200).body(containsString("/api/projects"));
        String survivor = createProjectWithAnEnvironment("survivor");

        stopGracefully();
        assertNoPostgresLeft();

        start();
        assertProjectSurvived(survivor, "survivor");
        assertDemoSeededOnce();

        app.destroyForcibly();
        assertThat(app.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("killed").isTrue();
        assertThat(postmaster()).as("kill -9 leaves the embedded PostgreSQL running, orphaned").isPresent();

        start();
        assertProjectSurvived(survivor, "survivor");
        assertDemoSeededOnce();

        stopGracefully();
        assertNoPostgresLeft();
    }

    private static void start() throws IOException {
        port = freePort();
        runs++;
        Files.writeString(LOG, "%n==== run %d at %s on port %d in %s%n".formatted(runs, Instant.now(), port, workDir),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> CONFIG_PREFIXES.stream().anyMatch(name::startsWith));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        app = builder.start();

        await("run " + runs + " ready and live (log: " + LOG + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .failFast("the app exited during start-up (log: " + LOG + ")", () -> !app.isAlive())
                .untilAsserted(() -> {
                    api().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
                    api().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
                });
    }

    private static void stopGracefully() throws InterruptedException {
        app.destroy(); // SIGTERM: Quarkus shuts down, then the launcher stops PostgreSQL
        assertThat(app.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("stopped within " + STOP_TIMEOUT)
                .isTrue();
    }

    private static void assertNoPostgresLeft() {
        await("no PostgreSQL left running for " + pgData())
                .atMost(Duration.ofSeconds(30))
                .until(() -> postmaster().isEmpty() && postgresProcessesOfTheDataFolder().isEmpty());
    }

    private static void assertDemoSeededOnce() {
        List<String> demoIds = api().queryParam("size", 200).get("/api/projects")
                .then().statusCode(200)
                .extract().path("items.findAll { it.name == 'demo' }.id");
        assertThat(demoIds).as("projects named demo").hasSize(1);
        api().get("/api/projects/{id}", demoIds.get(0))
                .then().statusCode(200)
                .body("environments.name", containsInAnyOrder("dev", "stage", "prod"));
    }

    private static String createProjectWithAnEnvironment(String name) {
        String id = api().contentType(ContentType.JSON).body(Map.of("name", name, "description", "must survive"))
                .post("/api/projects")
                .then().statusCode(201)
                .extract().path("id");
        api().contentType(ContentType.JSON).body(Map.of("name", "dev", "type", "dev"))
                .post("/api/projects/{id}/environments", id)
                .then().statusCode(201);
        return id;
    }

    private static void assertProjectSurvived(String id, String name) {
        api().get("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("name", equalTo(name))
                .body("description", equalTo("must survive"))
                .body("environments.name", containsInAnyOrder("dev"));
    }

    private static RequestSpecification api() {
        return given().baseUri("http://localhost").port(port);
    }

    private static Path pgData() {
        return workDir.resolve("data").resolve("postgres");
    }

    /** The live PostgreSQL postmaster named by {@code postmaster.pid} of the data folder, if any. */
    private static Optional<ProcessHandle> postmaster() {
        Path pidFile = pgData().resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException e) {
            // the server removes the file while stopping
            return Optional.empty();
        }
    }

    /** Any process whose command line names the data folder (a postmaster, whatever its pid file says). */
    private static List<ProcessHandle> postgresProcessesOfTheDataFolder() {
        String folder = pgData().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(folder))
                        .orElse(false))
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
