package io.cloudops.orchestrator.handler;

/** Thrown by a step that noticed a cancel request; the task ends {@code cancelled}. */
public class TaskCancelledException extends RuntimeException {

    public TaskCancelledException() {
        super("cancelled", null, false, false);
    }
}
