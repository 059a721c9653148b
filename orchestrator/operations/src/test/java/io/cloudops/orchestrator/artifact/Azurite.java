package io.cloudops.orchestrator.artifact;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Azurite, Microsoft's Azure Storage emulator (blob service only), as a child process of the test on
 * a free loopback port with in-memory storage. It is installed from the pinned
 * {@code tools/azurite/package-lock.json} with {@code npm ci} when missing ({@code .ci/run} does the
 * same ahead of the build); a test is skipped only when node or npm is not installed at all.
 */
final class Azurite implements AutoCloseable {

    static final Path TOOLS = Path.of("..", "..", "tools", "azurite").toAbsolutePath().normalize();
    /** The emulator's documented, public development account (not a secret). */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;

    private Azurite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Azurite start(Path workDir) throws IOException, InterruptedException {
        Path executable = TOOLS.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
        if (!onPath("node") || !onPath("npm")) {
            abort("Azurite needs Node.js and npm, which are not installed (Debian: apt-get install nodejs npm)");
        }
        if (!Files.isExecutable(executable)) {
            install();
        }
        Files.createDirectories(workDir);
        int port = freePort();
        Path log = workDir.resolve("azurite.log");
        Process process = new ProcessBuilder(executable.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                Integer.toString(port), "--inMemoryPersistence", "--extentMemoryLimit", "256",
                "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Azurite azurite = new Azurite(process, port);
        await("Azurite listening on " + port + " (log: " + log + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .failFast("Azurite exited (log: " + log + ")", () -> !process.isAlive())
                .until(azurite::accepting);
        return azurite;
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static void install() throws IOException, InterruptedException {
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TOOLS.toFile())
                .redirectErrorStream(true).redirectOutput(TOOLS.resolve("npm-ci.log").toFile()).start();
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci in " + TOOLS + " finished").isTrue();
        assertThat(npm.exitValue()).as("npm ci in " + TOOLS + " (see npm-ci.log there)").isZero();
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
