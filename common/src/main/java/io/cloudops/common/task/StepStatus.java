package io.cloudops.common.task;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Status of one step of a task, with its transition table (rendered into {@code docs/task-states.md}
 * next to the task's). A step that succeeded stays succeeded: a retried task resumes at its first
 * unfinished step, which is what makes a retry after a crash safe.
 */
public enum StepStatus {
    PENDING("pending"), RUNNING("running"), SUCCEEDED("succeeded"), FAILED("failed"),
    /** Not run: the task was cancelled or failed before reaching it. */
    SKIPPED("skipped");

    private static final Map<StepStatus, Set<StepStatus>> TRANSITIONS = Map.of(
            PENDING, EnumSet.of(RUNNING, SKIPPED),
            // RUNNING -> PENDING: the run crashed or will be retried; the step runs again (idempotently)
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, SKIPPED, PENDING),
            SUCCEEDED, EnumSet.noneOf(StepStatus.class),
            FAILED, EnumSet.of(PENDING),
            SKIPPED, EnumSet.of(PENDING));

    private final String value;

    StepStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }

    public boolean isRunning() {
        return this == RUNNING;
    }

    public boolean canTransitionTo(StepStatus next) {
        return TRANSITIONS.get(this).contains(next);
    }

    public StepStatus checkTransition(StepStatus next) {
        if (!canTransitionTo(next)) {
            throw new IllegalStateException("step cannot go from " + value + " to " + next.value);
        }
        return next;
    }

    public static StepStatus fromValue(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown step status " + value));
    }
}
