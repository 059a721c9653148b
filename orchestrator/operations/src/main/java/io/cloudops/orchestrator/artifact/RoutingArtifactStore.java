package io.cloudops.orchestrator.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.cloudops.orchestrator.ops.ArtifactStore;

/**
 * The artifact store the handlers see: new artifacts go to the configured store, and every URI is
 * read from the store its scheme names, so backups taken before a switch from local files to Blob
 * Storage can still be restored. A URI of no known scheme does not exist.
 */
final class RoutingArtifactStore implements ArtifactStore {

    private final ArtifactStore writer;
    private final Map<String, ArtifactStore> readersByScheme;

    RoutingArtifactStore(ArtifactStore writer, Map<String, ArtifactStore> readersByScheme) {
        this.writer = writer;
        this.readersByScheme = Map.copyOf(readersByScheme);
    }

    ArtifactStore writer() {
        return writer;
    }

    @Override
    public Stored write(String area, String key, InputStream content) throws IOException {
        return writer.write(area, key, content);
    }

    @Override
    public InputStream open(String uri) throws IOException {
        return reader(uri).open(uri);
    }

    @Override
    public boolean exists(String uri) {
        try {
            return reader(uri).exists(uri);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String uriOf(String area, String key) {
        return writer.uriOf(area, key);
    }

    @Override
    public void delete(String uri) throws IOException {
        reader(uri).delete(uri);
    }

    @Override
    public Stored describe(String uri) throws IOException {
        return reader(uri).describe(uri);
    }

    private ArtifactStore reader(String uri) {
        if (uri != null) {
            for (Map.Entry<String, ArtifactStore> e : readersByScheme.entrySet()) {
                if (uri.startsWith(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        throw new IllegalArgumentException("no artifact store for " + uri);
    }
}
