package io.cloudops.orchestrator.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /** Opens a stored artifact for reading. */
    InputStream open(String uri) throws IOException;

    boolean exists(String uri);

    /**
     * The URI that {@link #write} returns for {@code area/key}, without writing: lets a later step (or
     * a retry) find what an earlier step of the same task stored under a key derived from the task id.
     */
    String uriOf(String area, String key);

    /** Removes an artifact (a partial dump that failed); nothing happens when it does not exist. */
    void delete(String uri) throws IOException;

    /**
     * Size and SHA-256 of a stored artifact. This default reads it whole; stores that keep the
     * checksum beside the content answer without reading.
     */
    default Stored describe(String uri) throws IOException {
        try (InputStream in = open(uri)) {
            return digest(uri, in);
        }
    }

    /** SHA-256 (hex) and size of a stream, read to its end; the way every checksum here is computed. */
    static Stored digest(String uri, InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size;
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            size = in.transferTo(sink);
        }
        return new Stored(uri, size, HexFormat.of().formatHex(sha.digest()));
    }
}
