package io.cloudops.orchestrator.client;

import java.sql.SQLException;
import java.util.UUID;

/** Failures of engine calls that a client caused and can act on; the REST layer maps them to problems. */
public final class TaskErrors {

    private TaskErrors() {
    }

    /** No task (or dead letter) with that id. */
    public static class NotFound extends RuntimeException {
        public NotFound(String what, UUID id) {
            super(what + " " + id + " does not exist", null, false, false);
        }
    }

    /** The request does not fit the task's current state (e.g. cancelling a finished task). */
    public static class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The caller may not do this to this task, whatever its role allows elsewhere (an approver
     * approving their own task, or one without the approver role the task asks for): a 403.
     */
    public static class NotAllowed extends RuntimeException {
        public NotAllowed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Busy policy {@code skip-if-busy}: the entity already has a running or queued task; names it
     * (the 409 problem's detail carries its id).
     */
    public static class EntityBusy extends Conflict {
        private final UUID busyTaskId;

        public EntityBusy(String entityId, String type, UUID busyTaskId, io.cloudops.common.task.TaskStatus status) {
            super("entity " + entityId + " is busy with task " + busyTaskId + " (" + status.value()
                    + "); the busy policy of " + type + " is skip-if-busy, so this request was not queued");
            this.busyTaskId = busyTaskId;
        }

        public UUID busyTaskId() {
            return busyTaskId;
        }
    }

    /** The same Idempotency-Key was used before with a different request. */
    public static class IdempotencyKeyReused extends RuntimeException {
        public IdempotencyKeyReused(String key) {
            super("Idempotency-Key '" + key + "' was already used for a different request; use a new key", null, false,
                    false);
        }
    }

    /** No handler for the requested task type. */
    public static class UnknownType extends RuntimeException {
        public UnknownType(String type) {
            super("unknown task type " + type, null, false, false);
        }
    }

    /**
     * The transaction was sent to be committed but its outcome never came back (connection lost
     * during COMMIT, or a group commit still writing when its caller stopped waiting): the changes
     * may or may not be in the database. Repeating the work blindly could do it twice.
     */
    public static class CommitOutcomeUnknown extends RuntimeException {
        public CommitOutcomeUnknown(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
