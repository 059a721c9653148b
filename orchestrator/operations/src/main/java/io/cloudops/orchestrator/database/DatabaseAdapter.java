package io.cloudops.orchestrator.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.ArtifactStore;

/**
 * How the backup and restore handlers talk to a database engine: a simulated implementation for
 * demo mode and one per real tool (pg_dump/pg_restore, SqlPackage). The handlers own the steps,
 * the artifact bookkeeping and the checksums; an adapter only moves bytes between the database and
 * the store. Every method must be safe to call again after a crash or a retry.
 */
public interface DatabaseAdapter {

    /** Opens an artifact's content; each call starts from the beginning. */
    @FunctionalInterface
    interface ArchiveSource {
        InputStream open() throws IOException;
    }

    /** Checks that the instance is reachable and the tools work, and logs what it found. */
    void prepare(StepContext context, DbInstance instance) throws Exception;

    /**
     * Streams a backup of the instance's database into {@code store} at {@code area/key} (never
     * buffering it whole in memory) and returns what was stored. Writing the same key again
     * replaces it.
     */
    ArtifactStore.Stored dump(StepContext context, DbInstance instance, ArtifactStore store, String area, String key)
            throws Exception;

    /**
     * Restores {@code archive} (a local copy whose checksum was verified) into database {@code target}
     * of the instance, creating it when missing and replacing the objects the archive holds.
     */
    void restore(StepContext context, DbInstance instance, Path archive, String target) throws Exception;

    /** Checks that {@code target} holds what the archive holds (its tables), and logs what it found. */
    void verify(StepContext context, DbInstance instance, ArchiveSource archive, String target) throws Exception;
}
