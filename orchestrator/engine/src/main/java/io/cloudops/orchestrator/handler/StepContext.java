package io.cloudops.orchestrator.handler;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** What a step sees of its task, and how it reports back. Not thread-safe: one step, one thread. */
public interface StepContext {

    UUID taskId();

    String entityId();

    /** The step being run. */
    String step();

    /** 1 for the first attempt of the task. */
    int attempt();

    JsonNode payload();

    /**
     * Stable across attempts and crashes ({@code taskId:step}): pass it to external systems that
     * deduplicate requests, or use it to recognise work this step already did.
     */
    String idempotencyKey();

    /** Progress of this step, 0..100, with a short message for the timeline. */
    void progress(int percent, String message);

    /** A log line of this step (the task keeps a bounded tail). */
    void log(String line);

    /** Records a file this step produced. */
    default void artifact(String kind, String uri, long sizeBytes, String sha256) {
        artifact(kind, uri, sizeBytes, sha256, java.util.Map.of());
    }

    /**
     * Records a file this step produced, with metadata that later tasks look it up by (a backup's
     * {@code engine} and {@code instanceId}, for example). Returns the artifact's id.
     */
    java.util.UUID artifact(String kind, String uri, long sizeBytes, String sha256,
            java.util.Map<String, String> metadata);

    /** True once someone asked to cancel the task; long steps should check it and stop early. */
    boolean isCancelRequested();

    /** Throws {@link TaskCancelledException} when cancellation was requested. */
    default void checkCancelled() {
        if (isCancelRequested()) {
            throw new TaskCancelledException();
        }
    }
}
