package io.cloudops.orchestrator.handler;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One kind of operation (deployment, backup, ...). A handler declares its ordered steps and runs
 * one step per {@link #run(StepContext)} call; the engine records status, timing and progress
 * around each call and resumes a retried task at its first unfinished step.
 *
 * <p>
 * Contract: each step must be safe to run again after a crash (use
 * {@link StepContext#idempotencyKey()} for side effects that must happen once); throw
 * {@link PermanentTaskException} for errors a retry cannot fix (invalid input); any other
 * exception is retried with back-off. Handlers are CDI beans, looked up by {@link #type()}.
 */
public interface TaskHandler {

    /** The task type this handler runs, e.g. {@code deployment}. */
    String type();

    /** The ordered step names for a task with this payload. */
    List<String> steps(JsonNode payload);

    /** Runs the step named by {@link StepContext#step()}. */
    void run(StepContext context) throws Exception;
}
