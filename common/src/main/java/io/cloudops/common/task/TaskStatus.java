package io.cloudops.common.task;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Status of a task, with the allowed transitions declared as a table. Nothing changes a task's
 * status except through {@link #checkTransition(TaskStatus)}; the table is rendered into
 * {@code docs/task-states.md} by a test, so the diagram cannot drift from the code.
 */
public enum TaskStatus {
    /**
     * Accepted, but it needs approval first (docs/change-safety.md): it holds its place at the head
     * of its entity's queue, without a worker, until approved (queued), rejected or timed out.
     */
    AWAITING_APPROVAL("awaiting_approval"),
    /** Accepted and waiting for its turn in its entity's queue (possibly for a retry's back-off). */
    QUEUED("queued"),
    /** An orchestrator holds the entity's lease and runs the task's steps. */
    RUNNING("running"), SUCCEEDED("succeeded"),
    /** A permanent error (e.g. validation): not retried automatically. */
    FAILED("failed"), CANCELLED("cancelled"),
    /** Retries exhausted; a dead letter records it for an operator. */
    DEAD_LETTERED("dead_lettered"),
    /** Replaced, before it started, by a newer request of its type on its entity (busy policy {@code replace-pending}). */
    SUPERSEDED("superseded"),
    /** Waited in its queue longer than {@code QUEUE_MAX_AGE} without starting. */
    EXPIRED("expired"),
    /** Refused by an approver, or no decision within {@code APPROVAL_TIMEOUT} (a timeout never approves). */
    REJECTED("rejected");

    private static final Map<TaskStatus, Set<TaskStatus>> TRANSITIONS = Map.ofEntries(
            // approved (enough approvals: it keeps its queue position), rejected or timed out, or withdrawn
            Map.entry(AWAITING_APPROVAL, EnumSet.of(QUEUED, REJECTED, CANCELLED)),
            Map.entry(QUEUED, EnumSet.of(RUNNING, CANCELLED, SUPERSEDED, EXPIRED)),
            // RUNNING -> QUEUED: a transient failure waits for its retry, or a crashed run is recovered
            Map.entry(RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED, QUEUED)),
            Map.entry(SUCCEEDED, EnumSet.noneOf(TaskStatus.class)),
            // terminal but re-runnable by an operator (task retry / dead-letter retry): back to the queue's tail
            Map.entry(FAILED, EnumSet.of(QUEUED)),
            // a task cancelled before its approvals came waits for them again when it is retried
            Map.entry(CANCELLED, EnumSet.of(QUEUED, AWAITING_APPROVAL)),
            Map.entry(DEAD_LETTERED, EnumSet.of(QUEUED)),
            // final: the replacement (superseded) or a fresh request (expired, rejected) is the way forward
            Map.entry(SUPERSEDED, EnumSet.noneOf(TaskStatus.class)),
            Map.entry(EXPIRED, EnumSet.noneOf(TaskStatus.class)),
            Map.entry(REJECTED, EnumSet.noneOf(TaskStatus.class)));

    private final String value;

    TaskStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == DEAD_LETTERED || this == SUPERSEDED
                || this == EXPIRED || this == REJECTED;
    }

    public boolean isRunning() {
        return this == RUNNING;
    }

    /** Statuses an operator may re-run as a new attempt. */
    public boolean isRetryable() {
        return this == FAILED || this == CANCELLED || this == DEAD_LETTERED;
    }

    public boolean canTransitionTo(TaskStatus next) {
        return TRANSITIONS.get(this).contains(next);
    }

    /** Returns {@code next} when the table allows it; otherwise throws. */
    public TaskStatus checkTransition(TaskStatus next) {
        if (!canTransitionTo(next)) {
            throw new IllegalStateException("task cannot go from " + value + " to " + next.value);
        }
        return next;
    }

    /** The statuses from which {@code next} may be entered (used to guard SQL updates). */
    public static Set<TaskStatus> sourcesOf(TaskStatus next) {
        EnumSet<TaskStatus> sources = EnumSet.noneOf(TaskStatus.class);
        for (TaskStatus s : values()) {
            if (s.canTransitionTo(next)) {
                sources.add(s);
            }
        }
        return sources;
    }

    public static TaskStatus fromValue(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown task status " + value));
    }
}
