package io.cloudops.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.cloudops.api.testsupport.Ports;
import io.cloudops.api.testsupport.TopologyScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code make dev} works and keeps working: Quarkus dev mode ({@code quarkus:dev} with the
 * {@code dev-mode} profile, exactly what the Makefile runs) starts on a copy of this source tree,
 * serves the console, and after a page template is edited serves the edited page, on the same
 * embedded PostgreSQL (a live reload does not restart the database). The copy keeps the real source
 * tree untouched whatever happens to the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevModeIT {

    private static final Logger LOG = Logger.getLogger(DevModeIT.class);
    /** Compiling the reactor and a first dev-mode start; generous for a loaded 2-core CI machine. */
    private static final Duration STARTUP = Duration.ofMinutes(8);
    private static final Duration RELOAD = Duration.ofMinutes(3);
    private static final Set<String> NOT_COPIED = Set.of("target", "data", ".git", "node_modules");
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path tree;
    private Path log;
    private Process devMode;
    private int port;

    @BeforeAll
    void startDevMode() throws Exception {
        // like DistributedTopologyIT: once per build is enough (.ci/run's second run sets PLATFORM_DB_CONN)
        boolean embedded = System.getenv("PLATFORM_DB_CONN") == null || System.getenv("PLATFORM_DB_CONN").isBlank();
        if (!embedded) {
            LOG.warn("SKIPPED: DevModeIT runs only without PLATFORM_DB_CONN: it checks dev mode on the embedded"
                    + " default, and .ci/run's first run (embedded) has already run it");
        }
        Assumptions.assumeTrue(embedded, "runs only without PLATFORM_DB_CONN (dev mode on the embedded default)");

        Path work = TopologyScript.ROOT.resolve("control-api/target/dev-mode-it");
        deleteRecursively(work);
        tree = work.resolve("tree");
        copyTree(TopologyScript.ROOT, tree);
        log = work.resolve("dev-mode.log");
        port = Ports.freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of("./mvnw", "-B", "-Pdev-mode", "-pl", "control-api", "-am",
                "quarkus:dev", "-Ddebug=false", "-Dquarkus.console.enabled=false",
                "-Dquarkus.http.port=" + port, "-Dquarkus.analytics.disabled=true"))
                .directory(tree.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the JDK of this test JVM (>= 21), whatever `java` is on the PATH
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        builder.environment().remove("PLATFORM_DB_CONN");
        LOG.infof("Starting dev mode in %s on port %d (output in %s)", tree, port, log);
        devMode = builder.start();
    }

    @AfterAll
    void stopDevMode() throws Exception {
        if (devMode == null) {
            return;
        }
        // SIGTERM (not a kill), so that the dev JVM's shutdown hooks stop the embedded PostgreSQL
        List<ProcessHandle> children = devMode.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        devMode.destroy();
        if (!devMode.waitFor(60, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            devMode.destroyForcibly().waitFor();
        }
        for (ProcessHandle child : children) {
            child.onExit().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesAnEditedTemplateAfterALiveReloadOnTheSameDatabase() throws Exception {
        await("dev mode serving the console on port " + port + " (output in " + log + ")")
                .atMost(STARTUP).pollInterval(Duration.ofSeconds(2))
                .failFast("dev mode ended (output in " + log + ")", () -> !devMode.isAlive())
                .until(() -> title().isPresent());
        String before = title().orElseThrow();
        assertThat(before).contains("CloudOps").doesNotContain("edited in dev mode");

        Path layout = tree.resolve("control-api/src/main/resources/templates/layout.html");
        String template = Files.readString(layout);
        assertThat(template).contains("· CloudOps</title>");
        Files.writeString(layout, template.replace("· CloudOps</title>", "· CloudOps edited in dev mode</title>"));

        await("the edited template served after a live reload (output in " + log + ")")
                .atMost(RELOAD).pollInterval(Duration.ofSeconds(1))
                .failFast("dev mode ended (output in " + log + ")", () -> !devMode.isAlive())
                .until(() -> title().filter(t -> t.contains("edited in dev mode")).isPresent());

        String output = Files.readString(log);
        assertThat(Pattern.compile("Restarting quarkus due to changes in layout.html").matcher(output).find())
                .as("dev mode restarted the application for the template").isTrue();
        assertThat(Pattern.compile("Embedded PostgreSQL started").matcher(output).results().count())
                .as("the embedded PostgreSQL started once and was reused by the live reload").isEqualTo(1);
    }

    /** The console's page title, if dev mode answers 200 on {@code /}. */
    private Optional<String> title() {
        try {
            HttpResponse<String> response = http
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            Matcher matcher = TITLE.matcher(response.body());
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && NOT_COPIED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
