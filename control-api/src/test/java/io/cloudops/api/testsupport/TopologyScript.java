package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives {@code scripts/topology.sh} (the distributed topology on one machine: a private PostgreSQL,
 * Artemis, two control-api and two orchestrator JVMs) from a test, so that the script a developer
 * runs is the one the test exercises. Every port is a free loopback port chosen here; the apps can
 * be sent to PostgreSQL through a proxy ({@code appDbPort}). The script's output is appended to
 * {@code script.log} beside the run folder.
 */
public final class TopologyScript implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopologyScript.class);

    /** The repository root (the integration tests run in the control-api module's folder). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    public static final Path SCRIPT = ROOT.resolve("scripts").resolve("topology.sh");
    public static final Path CONTROL_API_JAR = ROOT.resolve("control-api/target/quarkus-app/quarkus-run.jar");
    public static final Path ORCHESTRATOR_JAR = ROOT.resolve("orchestrator/target/quarkus-app/quarkus-run.jar");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    /** Variables that would configure the script or the apps; the script starts without them. */
    private static final List<String> CONFIG_PREFIXES = List.of("PLATFORM_", "QUARKUS_", "DEMO_MODE", "TASK_",
            "AMQP_", "ORCHESTRATOR_", "CONTROL_API_", "TOPOLOGY_", "MAX_CONCURRENT_SESSIONS",
            "MAX_MESSAGES_PER_SESSION", "SIMULAT");

    private final Path runDir;
    private final Path log;
    private final Map<String, String> env;
    private final int pgPort;
    private final int amqpPort = Ports.freePort();
    private final List<Integer> apiPorts;
    private final List<Integer> orchestratorPorts;

    /**
     * A topology in {@code runDir} whose apps reach PostgreSQL on {@code appDbPort} (its own port
     * or a proxy's) and run {@code orchestratorJar} as the orchestrators; {@code extraEnv} goes to
     * every app (lease duration, sessions).
     */
    public TopologyScript(Path runDir, int pgPort, int appDbPort, Path orchestratorJar, Map<String, String> extraEnv)
            throws IOException {
        assertThat(SCRIPT).isExecutable();
        assertThat(CONTROL_API_JAR).as("packaged control-api (mvn verify packages before the integration tests)")
                .isRegularFile();
        this.runDir = runDir;
        this.log = runDir.resolveSibling("script.log");
        this.pgPort = pgPort;
        this.apiPorts = IntStream.range(0, 2).mapToObj(i -> Ports.freePort()).toList();
        this.orchestratorPorts = IntStream.range(0, 2).mapToObj(i -> Ports.freePort()).toList();
        Files.createDirectories(log.getParent());
        this.env = new java.util.HashMap<>(extraEnv);
        env.put("TOPOLOGY_DIR", runDir.toString());
        env.put("TOPOLOGY_PG_PORT", Integer.toString(pgPort));
        env.put("TOPOLOGY_APP_DB_PORT", Integer.toString(appDbPort));
        env.put("TOPOLOGY_AMQP_PORT", Integer.toString(amqpPort));
        env.put("TOPOLOGY_API_PORTS", join(apiPorts));
        env.put("TOPOLOGY_ORCHESTRATOR_PORTS", join(orchestratorPorts));
        env.put("CONTROL_API_JAR", CONTROL_API_JAR.toString());
        env.put("ORCHESTRATOR_JAR", orchestratorJar.toString());
    }

    /** Runs {@code scripts/topology.sh args...} and asserts it exits 0. */
    public void run(String... args) {
        assertThat(runQuietly(args)).as("scripts/topology.sh %s (output in %s)", String.join(" ", args), log)
                .isZero();
    }

    /** Runs the script and returns its exit code. */
    public int runQuietly(String... args) {
        try {
            Files.writeString(log, "%n$ scripts/topology.sh %s   # %s%n".formatted(String.join(" ", args),
                    Instant.now()), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(SCRIPT.toString()),
                            java.util.Arrays.stream(args)).toList())
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(name -> CONFIG_PREFIXES.stream().anyMatch(name::startsWith));
            builder.environment().putAll(env);
            long started = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError("scripts/topology.sh " + String.join(" ", args) + " did not end within "
                        + COMMAND_TIMEOUT + " (output in " + log + ")");
            }
            LOG.infof("scripts/topology.sh %s: exit %d in %d ms", String.join(" ", args), process.exitValue(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The process id in {@code <component>.pid} (postgres, broker, control-api-N, orchestrator-N). */
    public long pid(String component) {
        try {
            return Long.parseLong(Files.readString(runDir.resolve(component + ".pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTTP port of control-api {@code n} (1-based). */
    public int apiPort(int n) {
        return apiPorts.get(n - 1);
    }

    /** Whether the broker accepts connections on its AMQP port. */
    public boolean brokerListening() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), amqpPort), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int orchestratorCount() {
        return orchestratorPorts.size();
    }

    /** JDBC URL of the private PostgreSQL itself (never through the apps' proxy). */
    public String directJdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    public Path runDir() {
        return runDir;
    }

    /** Stops everything the script started. */
    @Override
    public void close() {
        runQuietly("stop");
    }

    /** A free loopback port (closed again: the script's components bind it). */
    private static String join(List<Integer> ports) {
        return String.join(" ", ports.stream().map(String::valueOf).toList());
    }
}
