package io.cloudops.orchestrator.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudops.orchestrator.ops.ArtifactStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Azure Blob artifact store against Azurite: streaming, checksums, replacement, confinement. */
class AzureBlobArtifactStoreTest {

    private static Azurite azurite;
    private static AzureBlobArtifactStore store;
    private static final String CONTAINER = "test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startAzurite() throws Exception {
        azurite = Azurite.start(Path.of("target", "azurite").toAbsolutePath());
        store = new AzureBlobArtifactStore(azurite.connectionString(), CONTAINER, Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopAzurite() throws Exception {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void aLargeStreamIsUploadedInBlocksWithItsChecksumAndReadBack() throws IOException {
        long size = 9L * 1024 * 1024 + 123; // three blocks
        ArtifactStore.Stored expected = ArtifactStore.digest("expected", new GeneratedStream(size, 7));

        ArtifactStore.Stored stored = store.write("backups", "azure-postgres/db1/task.dump",
                new GeneratedStream(size, 7));

        assertThat(stored.uri()).isEqualTo("azure-blob:" + CONTAINER + "/backups/azure-postgres/db1/task.dump");
        assertThat(stored.sizeBytes()).isEqualTo(size);
        assertThat(stored.sha256()).isEqualTo(expected.sha256());
        assertThat(store.exists(stored.uri())).isTrue();
        try (InputStream in = store.open(stored.uri())) {
            assertThat(ArtifactStore.digest(stored.uri(), in).sha256()).isEqualTo(expected.sha256());
        }
        assertThat(store.describe(stored.uri())).isEqualTo(stored); // from the blob's metadata
        assertThat(store.uriOf("backups", "azure-postgres/db1/task.dump")).isEqualTo(stored.uri());
    }

    @Test
    void writingAKeyAgainReplacesItAndDeleteRemovesIt() throws IOException {
        store.write("artifacts", "t1/plan.yaml", stream("first"));
        ArtifactStore.Stored second = store.write("artifacts", "t1/plan.yaml", stream("second version"));

        try (InputStream in = store.open(second.uri())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second version");
        }
        store.delete(second.uri());
        assertThat(store.exists(second.uri())).isFalse();
        store.delete(second.uri()); // deleting what is gone is fine
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/absolute", "a//b", "./a", "a/.", "a\\..\\b", "a\u0000b",
            ""})
    void keysCannotEscapeTheStore(String key) {
        assertThatThrownBy(() -> store.write("backups", key, stream("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.uriOf("backups", key)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"azure-blob:" + "other-container/backups/x", "azure-blob:CONTAINER/secrets/x",
            "azure-blob:CONTAINER/backups/../artifacts/x", "azure-blob:CONTAINER/backups/../../x", "local:backups/x",
            "azure-blob:CONTAINER"})
    void urisOutsideTheContainersAreasDoNotExistAndCannotBeOpened(String template) {
        String uri = template.replace("CONTAINER", CONTAINER);
        assertThat(store.exists(uri)).isFalse();
        assertThatThrownBy(() -> store.open(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConfiguredStoreWritesToBlobAndStillReadsLocalUris() throws IOException {
        ArtifactStore local = new FakeLocalStore();
        RoutingArtifactStore routing = ArtifactStoreProducer.select(config(Optional.empty(),
                Optional.of(azurite.connectionString())), local);

        ArtifactStore.Stored stored = routing.write("backups", "r/1.dump", stream("via routing"));
        assertThat(stored.uri()).startsWith(AzureBlobArtifactStore.SCHEME);
        assertThat(routing.exists(stored.uri())).isTrue();
        try (InputStream in = routing.open("local:backups/old.dump")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("local content");
        }
        assertThat(routing.exists("ftp:backups/x")).isFalse();

        RoutingArtifactStore defaults = ArtifactStoreProducer.select(config(Optional.empty(), Optional.empty()), local);
        assertThat(defaults.writer()).isSameAs(local);
        RoutingArtifactStore forcedLocal = ArtifactStoreProducer.select(
                config(Optional.of("local"), Optional.of(azurite.connectionString())), local);
        assertThat(forcedLocal.writer()).isSameAs(local);
        assertThatThrownBy(
                () -> ArtifactStoreProducer.select(config(Optional.of("azure-blob"), Optional.empty()), local))
                .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ArtifactStoreConfig config(Optional<String> kind, Optional<String> connectionString) {
        return new ArtifactStoreConfig() {
            @Override
            public Optional<String> store() {
                return kind;
            }

            @Override
            public Azure azure() {
                return new Azure() {
                    @Override
                    public Optional<String> connectionString() {
                        return connectionString;
                    }

                    @Override
                    public String container() {
                        return CONTAINER;
                    }

                    @Override
                    public Duration connectTimeout() {
                        return Duration.ofSeconds(10);
                    }

                    @Override
                    public Duration requestTimeout() {
                        return Duration.ofSeconds(60);
                    }
                };
            }
        };
    }

    /** Deterministic bytes of a given length, produced on demand (never held in memory). */
    private static final class GeneratedStream extends InputStream {
        private final Random random;
        private long left;

        GeneratedStream(long size, long seed) {
            this.left = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            left -= n;
            return n;
        }
    }

    /** Stands in for the local store: one file, {@code local:backups/old.dump}. */
    private static final class FakeLocalStore implements ArtifactStore {
        @Override
        public Stored write(String area, String key, InputStream content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream open(String uri) {
            return stream(Map.of("local:backups/old.dump", "local content").get(uri));
        }

        @Override
        public boolean exists(String uri) {
            return uri.equals("local:backups/old.dump");
        }

        @Override
        public String uriOf(String area, String key) {
            return "local:" + area + "/" + key;
        }

        @Override
        public void delete(String uri) {
            throw new UnsupportedOperationException();
        }
    }
}
