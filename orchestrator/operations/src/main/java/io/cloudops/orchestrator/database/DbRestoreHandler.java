package io.cloudops.orchestrator.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.dbops.DbEngine;
import io.cloudops.common.dbops.DbTaskPayload;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.OperationsConfig;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * {@code db_restore}: validate (the artifact exists, is a backup of the same engine, and its
 * SHA-256 recomputed from the store equals the recorded one) → restore (a local copy, checksummed
 * again while it is fetched, restored into the target database) → verify (the target has the
 * backup's tables). Each step can run again: validation only reads, the restore replaces what the
 * backup holds, verification only reads. A mismatch of engine or checksum fails permanently:
 * retrying cannot make a corrupt backup whole.
 */
@ApplicationScoped
public class DbRestoreHandler implements TaskHandler {

    private final DatabaseInstances instances;
    private final ArtifactStore store;
    private final TaskQueries queries;
    private final Simulation simulation;
    private final DbPayloads payloads;
    private final Path workRoot;

    DbRestoreHandler(DatabaseInstances instances, ArtifactStore store, TaskQueries queries, Simulation simulation,
            DbPayloads payloads, OperationsConfig operations) {
        this.instances = instances;
        this.store = store;
        this.queries = queries;
        this.simulation = simulation;
        this.payloads = payloads;
        this.workRoot = WorkFolders.root(operations.dataDir());
    }

    @Override
    public String type() {
        return TaskType.DB_RESTORE.type();
    }

    @Override
    public void run(StepContext context) throws Exception {
        DbTaskPayload payload = payloads.read(context);
        DbEngine engine = payloads.engine(payload);
        if (payload.artifactId() == null || payload.target() == null) {
            throw new PermanentTaskException("the restore names no artifactId or target",
                    "Submit it again through the API");
        }
        DatabaseInstances.Resolved resolved = instances.resolve(engine, payload.instanceId());
        TaskQueries.StoredArtifact artifact = backup(engine, payload);
        switch (context.step()) {
            case "validate" -> validate(context, artifact);
            case "restore" -> {
                if (resolved.simulated()) {
                    simulation.maybeFail(context, payloads.json(context));
                }
                restore(context, resolved, artifact, payload.target());
            }
            case "verify" -> resolved.adapter().verify(context, resolved.instance(),
                    () -> store.open(artifact.view().uri()), payload.target());
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
    }

    /** The backup artifact the restore names, checked against the request's engine. */
    private TaskQueries.StoredArtifact backup(DbEngine engine, DbTaskPayload payload) {
        TaskQueries.StoredArtifact artifact = queries.artifact(payload.artifactId())
                .orElseThrow(() -> new PermanentTaskException("artifact " + payload.artifactId() + " does not exist",
                        "Restore from the artifactId of a succeeded db_backup task"));
        if (!"backup".equals(artifact.view().kind())) {
            throw new PermanentTaskException("artifact " + payload.artifactId() + " is a " + artifact.view().kind()
                    + ", not a backup", "Restore from the artifactId of a succeeded db_backup task");
        }
        String artifactEngine = artifact.metadata().get("engine");
        if (!engine.value().equals(artifactEngine)) {
            throw new PermanentTaskException("artifact " + payload.artifactId() + " is a backup of an " + artifactEngine
                    + " database, not " + engine.value(), "Restore it with /api/db/" + artifactEngine + "/...");
        }
        return artifact;
    }

    private void validate(StepContext context, TaskQueries.StoredArtifact artifact) throws IOException {
        String uri = artifact.view().uri();
        if (!store.exists(uri)) {
            throw new PermanentTaskException("the backup file " + uri + " is missing from the artifact store",
                    "The backup was deleted or the artifact store changed; restore from another backup");
        }
        context.log("backup " + artifact.view().id() + " of " + artifact.metadata().get("engine") + " instance "
                + artifact.metadata().get("instanceId") + ", " + artifact.view().sizeBytes() + " bytes, taken "
                + artifact.view().createdAt());
        context.progress(10, "recomputing the checksum");
        ArtifactStore.Stored actual;
        try (InputStream in = store.open(uri)) {
            actual = ArtifactStore.digest(uri, in);
        }
        requireChecksum(artifact, actual.sha256(), actual.sizeBytes());
        context.log("checksum verified: sha256 " + actual.sha256());
        context.progress(100, "checksum verified");
    }

    private void restore(StepContext context, DatabaseInstances.Resolved resolved, TaskQueries.StoredArtifact artifact,
            String target) throws Exception {
        Path work = workRoot.resolve(context.taskId() + "-restore");
        Files.createDirectories(work);
        Path archive = work.resolve("backup." + resolved.instance().engine().fileExtension());
        try {
            context.log("fetching " + artifact.view().uri());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size;
            try (InputStream in = store.open(artifact.view().uri());
                    OutputStream out = new DigestOutputStream(Files.newOutputStream(archive), sha)) {
                size = in.transferTo(out);
            }
            requireChecksum(artifact, HexFormat.of().formatHex(sha.digest()), size);
            context.progress(10, "backup fetched and checksummed");
            resolved.adapter().restore(context, resolved.instance(), archive, target);
            context.log("restored into " + target);
            context.progress(100, "restored into " + target);
        } finally {
            WorkFolders.deleteRecursively(work);
        }
    }

    private static void requireChecksum(TaskQueries.StoredArtifact artifact, String sha256, long size) {
        if (!artifact.view().sha256().equals(sha256) || artifact.view().sizeBytes() != size) {
            throw new PermanentTaskException(
                    "backup " + artifact.view().id() + " is corrupt: sha256 " + sha256 + " (" + size
                            + " bytes), recorded " + artifact.view().sha256() + " (" + artifact.view().sizeBytes()
                            + " bytes)",
                    "Do not restore this file; restore from another backup");
        }
    }
}
