package io.cloudops.common.dbops;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cloudops.common.task.TaskType;

/**
 * The payload of {@code db_backup} and {@code db_restore} tasks, as the API writes it and the
 * handlers read it. {@code artifactId} and {@code target} are set for restores only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DbTaskPayload(String engine, String instanceId, UUID artifactId, String target, String simulate) {

    public static final String BACKUP_TYPE = TaskType.DB_BACKUP.type();
    public static final String RESTORE_TYPE = TaskType.DB_RESTORE.type();
    /** Instance ids become config keys, storage paths and session keys: keep them plain. */
    public static final String INSTANCE_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,62}";

    public static DbTaskPayload backup(DbEngine engine, String instanceId, String simulate) {
        return new DbTaskPayload(engine.value(), instanceId, null, null, simulate);
    }

    public static DbTaskPayload restore(DbEngine engine, String instanceId, UUID artifactId, String target,
            String simulate) {
        return new DbTaskPayload(engine.value(), instanceId, artifactId, target, simulate);
    }

    /** Session key of both operations: a backup and a restore of one database queue behind each other. */
    public static String entityId(DbEngine engine, String instanceId) {
        return engine.value() + "/" + instanceId;
    }
}
