package io.cloudops.orchestrator.handler;

/**
 * One kind of operation (deployment, backup, ...). A handler runs one step per
 * {@link #run(StepContext)} call, the steps being those of the {@link io.cloudops.common.task.TaskPlan}
 * of its type (written when the task was accepted); the engine records status, timing and progress
 * around each call and resumes a retried task at its first unfinished step.
 *
 * <p>
 * Contract: steps run at least once and never concurrently for one entity, so each step must be
 * safe to run again after a crash (use {@link StepContext#idempotencyKey()} for side effects that
 * must happen once); throw {@link PermanentTaskException} for errors a retry cannot fix (invalid
 * input); any other exception is retried with back-off. A handler must stop promptly when its
 * thread is interrupted (the engine interrupts a run whose lease it can no longer renew). Handlers
 * are CDI beans, looked up by {@link #type()}.
 */
public interface TaskHandler {

    /** The task type this handler runs, e.g. {@code deployment}. */
    String type();

    /** Runs the step named by {@link StepContext#step()}. */
    void run(StepContext context) throws Exception;
}
