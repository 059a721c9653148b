package io.cloudops.api.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged control plane ({@code target/quarkus-app/quarkus-run.jar}) run as a separate JVM in
 * a working folder, the way a user runs it: for integration tests that restart it, stop it
 * gracefully or kill it with {@code kill -9} on the same data. Output goes to a log file under
 * {@code target/}.
 */
public final class PackagedApp implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    /** Environment variables that would configure the app; the child starts without any of them. */
    private static final List<String> CONFIG_PREFIXES = List.of("PLATFORM_", "QUARKUS_", "DEMO_MODE", "TEAMS_",
            "SENDGRID_", "AZURE_", "KUBECONFIG", "MAX_CONCURRENT_SESSIONS", "MAX_MESSAGES_PER_SESSION", "TASK_",
            "ORCHESTRATOR_", "OIDC_", "SIMULATED_OPERATIONS", "KUBERNETES_", "ARTIFACT_STORE");

    private final Path workDir;
    private final Path log;
    private final Map<String, String> env;
    private Process process;
    private int port;
    private int runs;

    /** {@code env}: configuration of the child on top of none at all. */
    public PackagedApp(Path workDir, Path log, Map<String, String> env) throws IOException {
        assertThat(JAR).as("packaged app (run mvn verify, which packages before the integration tests)")
                .isRegularFile();
        this.workDir = workDir;
        this.log = log;
        this.env = Map.copyOf(env);
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
    }

    /** Starts the app and waits until it is ready and live. */
    public void start() throws IOException {
        process = launch();
        Process started = process;
        // even when the test JVM exits without closing this (a crash in a @BeforeAll), the app goes with it
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "packaged-app-kill"));

        await("run " + runs + " ready and live (log: " + log + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .failFast("the app exited during start-up (log: " + log + ")", () -> !process.isAlive())
                .untilAsserted(() -> {
                    api().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
                    api().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
                });
    }

    /** Starts the app for a run that must end by itself (a refused configuration); its exit status. */
    public int runToExit() throws IOException, InterruptedException {
        process = launch();
        assertThat(process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("exited by itself within " + START_TIMEOUT + " (log: " + log + ")").isTrue();
        return process.exitValue();
    }

    private Process launch() throws IOException {
        port = Ports.freePort();
        runs++;
        Files.writeString(log, "%n==== run %d at %s on port %d in %s%n".formatted(runs, Instant.now(), port, workDir),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> childEnv = builder.environment();
        childEnv.keySet().removeIf(name -> CONFIG_PREFIXES.stream().anyMatch(name::startsWith));
        childEnv.putAll(env);
        childEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return builder.start();
    }

    /** SIGTERM: Quarkus shuts down, then the launcher stops PostgreSQL. */
    public void stopGracefully() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("stopped within " + STOP_TIMEOUT)
                .isTrue();
    }

    /** kill -9: no shutdown hook runs; the embedded PostgreSQL is left orphaned. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** The process id of the running app (the orchestrator's lease owner names it). */
    public long pid() {
        return process.pid();
    }

    /** The HTTP port of the running app. */
    public int port() {
        return port;
    }

    public RequestSpecification api() {
        return given().baseUri("http://localhost").port(port);
    }

    public Path log() {
        return log;
    }

    public Path pgData() {
        return workDir.resolve("data").resolve("postgres");
    }

    /** The live PostgreSQL postmaster named by {@code postmaster.pid} of the data folder, if any. */
    public Optional<ProcessHandle> postmaster() {
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
    public List<ProcessHandle> postgresProcessesOfTheDataFolder() {
        String folder = pgData().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(folder))
                        .orElse(false))
                .toList();
    }

    /** Stops the app and never leaks a PostgreSQL into the build machine, even after a failed test. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        postmaster().ifPresent(postgres -> {
            postgres.destroy();
            postgres.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        });
    }
}
