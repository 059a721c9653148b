package io.cloudops.api.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * axe-core's browser script, from the pinned {@code tools/axe-core/package-lock.json}: installed
 * with {@code npm ci} when missing ({@code make test} does the same ahead of the build). Without
 * Node.js the accessibility check is skipped, and says so; in CI ({@code CI=true}) that fails.
 */
public final class AxeCore {

    private static final Path TOOLS = Path.of("..", "tools", "axe-core").toAbsolutePath().normalize();

    private AxeCore() {
    }

    public static Path script() throws IOException, InterruptedException {
        Path script = TOOLS.resolve("node_modules/axe-core/axe.min.js");
        if (Files.isRegularFile(script)) {
            return script;
        }
        boolean npm = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "npm")));
        if (!npm) {
            assertThat(System.getenv("CI")).as("Node.js and npm are required in CI (axe-core)").isNotEqualTo("true");
            abort("SKIPPED LOUDLY: the accessibility check needs Node.js and npm to install axe-core "
                    + "(Debian: apt-get install nodejs npm)");
        }
        Process process = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TOOLS.toFile())
                .redirectErrorStream(true).redirectOutput(TOOLS.resolve("npm-ci.log").toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("npm ci in " + TOOLS + " finished").isTrue();
        assertThat(process.exitValue()).as("npm ci in " + TOOLS + " (see npm-ci.log there)").isZero();
        assertThat(script).isRegularFile();
        return script;
    }
}
