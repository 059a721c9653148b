package io.cloudops.api.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seam between control-api and the engine: control-api's code reaches the engine only through
 * its client API ({@code io.cloudops.orchestrator.client}: submit, query, control, events) and the
 * catalogs requests are validated against ({@code io.cloudops.orchestrator.catalog}). Handlers and
 * adapters are out of reach already (a runtime-scoped dependency, for the embedded default);
 * this keeps the engine's runtime internals (dispatcher, executor, store, channels) out too.
 */
class EngineSeamTest {

    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
    private static final Pattern ENGINE_REFERENCE = Pattern.compile("\\bio\\.cloudops\\.orchestrator\\.([a-z]+)\\.");
    private static final List<String> ALLOWED = List.of("client", "catalog");

    @Test
    void controlApiUsesOnlyTheClientApiAndTheCatalogs() throws IOException {
        assertThat(MAIN_SOURCES).as("control-api's main sources (the test runs in the module folder)").isDirectory();
        List<String> crossings;
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            crossings = files.filter(f -> f.toString().endsWith(".java")).flatMap(EngineSeamTest::crossings).toList();
        }
        assertThat(crossings).as("references from control-api to engine packages other than %s", ALLOWED).isEmpty();
    }

    @Test
    void theRuleSeesAReferenceToTheRuntime() {
        // the pattern this test relies on does match what it must refuse
        Matcher matcher = ENGINE_REFERENCE.matcher("import io.cloudops.orchestrator.engine.SessionDispatcher;");
        assertThat(matcher.find()).isTrue();
        assertThat(matcher.group(1)).isEqualTo("engine").isNotIn(ALLOWED);
    }

    private static Stream<String> crossings(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Matcher matcher = ENGINE_REFERENCE.matcher(source);
        Stream.Builder<String> found = Stream.builder();
        while (matcher.find()) {
            if (!ALLOWED.contains(matcher.group(1))) {
                found.add(file + ": io.cloudops.orchestrator." + matcher.group(1));
            }
        }
        return found.build();
    }
}
