package io.cloudops.orchestrator.ops;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where task artifacts (plans, backups, logs) are kept: local files by default, Azure Blob
 * Storage in production. Artifacts are addressed by the URI the store returned; a URI never
 * reaches outside the store.
 */
public interface ArtifactStore {

    /** The stored artifact: its URI, size and SHA-256 (hex), computed while streaming. */
    record Stored(String uri, long sizeBytes, String sha256) {
    }

    /**
     * Streams {@code content} into {@code area/key} (area: {@code artifacts} or {@code backups}; key:
     * a relative path such as {@code <taskId>/plan.yaml}). Writing the same key again replaces it,
     * so a step that is retried is idempotent.
     */
    Stored write(String area, String key, InputStream content) throws IOException;

    /**
     * The URI that {@link #write} returns for {@code area/key}, without writing: lets a later step
     * find what an earlier step of the same task stored under a key both derive from the task id.
     */
    String uri(String area, String key);

    /** Opens a stored artifact for reading. */
    InputStream open(String uri) throws IOException;

    boolean exists(String uri);
}
