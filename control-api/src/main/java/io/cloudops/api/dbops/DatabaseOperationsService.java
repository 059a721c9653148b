package io.cloudops.api.dbops;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.dbops.DbBackupRequest;
import io.cloudops.common.dbops.DbEngine;
import io.cloudops.common.dbops.DbRestoreRequest;
import io.cloudops.common.dbops.DbTaskPayload;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.orchestrator.catalog.DatabasesConfig;
import io.cloudops.orchestrator.client.TaskQueries;

/**
 * The checks a database request must pass before it becomes a task, so that a client learns about
 * a wrong engine, instance or artifact at once (400/422 naming the field) instead of from a failed
 * task, and nothing is enqueued for it. Backups and restores are accepted here, for the API and the
 * console's quick actions alike.
 */
@ApplicationScoped
public class DatabaseOperationsService {

    private final TaskQueries queries;
    private final DatabasesConfig databases;
    private final TaskAcceptance acceptance;

    DatabaseOperationsService(TaskQueries queries, DatabasesConfig databases, TaskAcceptance acceptance) {
        this.queries = queries;
        this.databases = databases;
        this.acceptance = acceptance;
    }

    /**
     * Checks the target and the optional body ({@code null}: none) and accepts the backup task in
     * the database's session. {@code path} is the API path the request stands for (the
     * Idempotency-Key fingerprint's scope, see {@link TaskAcceptance}).
     */
    public TaskAcceptance.Accepted<TaskAccepted> backup(String engine, String instanceId,
            @Valid DbBackupRequest request, String idempotencyKey, String path) {
        DbEngine dbEngine = checkTarget(engine, instanceId);
        DbTaskPayload payload = DbTaskPayload.backup(dbEngine, instanceId, request == null ? null : request.simulate());
        return acceptance.accept(DbTaskPayload.BACKUP_TYPE, DbTaskPayload.entityId(dbEngine, instanceId), payload,
                idempotencyKey, path);
    }

    /** Checks the target and the backup to restore, and accepts the restore task in the database's session. */
    public TaskAcceptance.Accepted<TaskAccepted> restore(String engine, String instanceId,
            @Valid DbRestoreRequest request, String idempotencyKey, String path) {
        DbEngine dbEngine = checkTarget(engine, instanceId);
        TaskQueries.StoredArtifact backup = checkBackup(dbEngine, request.artifactId());
        DbTaskPayload payload = DbTaskPayload.restore(dbEngine, instanceId, request.artifactId(), request.target(),
                request.simulate());
        return acceptance.accept(DbTaskPayload.RESTORE_TYPE, DbTaskPayload.entityId(dbEngine, instanceId), payload,
                payload, idempotencyKey, path, accepted -> new TaskAccepted(accepted.taskId()),
                Map.of("artifactSha256", backup.view().sha256()));
    }

    /** The engine of the path; the instance id's shape; a configured instance's engine. */
    DbEngine checkTarget(String engine, String instanceId) {
        DbEngine dbEngine = DbEngine.find(engine).orElseThrow(() -> ApiException.invalidParameter("engine",
                "must be one of " + String.join(", ", DbEngine.allowedValues())));
        if (instanceId == null || !instanceId.matches(DbTaskPayload.INSTANCE_ID_PATTERN)) {
            throw ApiException.invalidParameter("instanceId",
                    "must be 1 to 63 letters, digits, - or _, starting with a letter or digit");
        }
        Optional.ofNullable(databases.instances().get(instanceId)).map(DatabasesConfig.Instance::engine)
                .filter(configured -> !configured.equals(engine))
                .ifPresent(configured -> {
                    throw ApiException.invalidField("engine",
                            "does not match instance " + instanceId + ", which is an " + configured + " database");
                });
        return dbEngine;
    }

    /** The artifact exists, is a backup, and was taken from a database of the same engine. */
    TaskQueries.StoredArtifact checkBackup(DbEngine engine, UUID artifactId) {
        TaskQueries.StoredArtifact artifact = queries.artifact(artifactId)
                .orElseThrow(() -> ApiException.invalidField("artifactId", "names no artifact (" + artifactId + ")"));
        if (!"backup".equals(artifact.view().kind())) {
            throw ApiException.invalidField("artifactId", "is a " + artifact.view().kind() + " artifact, not a backup");
        }
        String backupEngine = artifact.metadata().get("engine");
        if (!engine.value().equals(backupEngine)) {
            throw ApiException.invalidField("artifactId", "is a backup of an " + backupEngine
                    + " database; it cannot be restored into " + engine.value());
        }
        return artifact;
    }
}
