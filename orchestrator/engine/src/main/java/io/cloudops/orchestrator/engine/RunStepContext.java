package io.cloudops.orchestrator.engine;

import java.util.Map;
import java.util.UUID;

import io.cloudops.orchestrator.handler.StepContext;

/** The step context the executor hands to a handler: one step of one run, recording into its journal. */
final class RunStepContext implements StepContext {
    private final RunJournal run;
    private final RunJournal.Step step;

    RunStepContext(RunJournal run, RunJournal.Step step) {
        this.run = run;
        this.step = step;
    }

    @Override
    public UUID taskId() {
        return run.taskId;
    }

    @Override
    public String entityId() {
        return run.entityId;
    }

    @Override
    public String step() {
        return step.name();
    }

    @Override
    public int attempt() {
        return run.attempt;
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode payload() {
        return run.payload;
    }

    @Override
    public String idempotencyKey() {
        return run.taskId + ":" + step.name();
    }

    @Override
    public void progress(int percent, String message) {
        run.progress(step, percent, message);
    }

    @Override
    public void log(String line) {
        run.log(step.name(), line);
    }

    @Override
    public UUID artifact(String kind, String uri, long sizeBytes, String sha256, Map<String, String> metadata) {
        return run.artifact(kind, uri, sizeBytes, sha256, metadata);
    }

    @Override
    public boolean isCancelRequested() {
        return run.isCancelRequested();
    }
}
