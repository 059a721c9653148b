package io.cloudops.orchestrator.ops;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local artifact store keeps every key and URI inside its two areas. */
class LocalArtifactStoreTest {

    @TempDir
    Path dataDir;

    private LocalArtifactStore store() {
        return new LocalArtifactStore(new OperationsConfig() {
            @Override
            public boolean simulated() {
                return true;
            }

            @Override
            public double simulationTimeScale() {
                return 1;
            }

            @Override
            public String dataDir() {
                return dataDir.toString();
            }
        });
    }

    @Test
    void writesReadsDescribesAndDeletes() throws IOException {
        LocalArtifactStore store = store();
        ArtifactStore.Stored stored = store.write("backups", "azure-sql/db/t.bacpac", stream("bacpac bytes"));

        assertThat(stored.uri()).isEqualTo("local:backups/azure-sql/db/t.bacpac");
        assertThat(dataDir.resolve("backups/azure-sql/db/t.bacpac")).hasContent("bacpac bytes");
        assertThat(store.describe(stored.uri())).isEqualTo(stored);
        try (InputStream in = store.open(stored.uri())) {
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("bacpac bytes");
        }
        store.delete(stored.uri());
        assertThat(store.exists(stored.uri())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "..", ".", "a/\u0000"})
    void keysCannotEscapeTheStore(String key) throws IOException {
        Files.writeString(dataDir.resolve("escape"), "outside");
        LocalArtifactStore store = store();
        assertThatThrownBy(() -> store.write("backups", key, stream("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(dataDir.resolve("escape")).hasContent("outside");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local:backups/../../escape", "local:backups/../artifacts/x", "local:../escape",
            "local:secrets/x", "local:backups", "file:/etc/passwd", "local:backups//etc/passwd/.."})
    void urisOutsideTheAreasDoNotExistAndCannotBeOpened(String uri) throws IOException {
        Files.writeString(dataDir.resolve("escape"), "outside");
        LocalArtifactStore store = store();
        assertThat(store.exists(uri)).isFalse();
        assertThatThrownBy(() -> store.open(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
