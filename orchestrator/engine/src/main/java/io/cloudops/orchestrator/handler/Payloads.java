package io.cloudops.orchestrator.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a task's payload into the handler's record. A payload that does not fit is not something a
 * retry can fix, so it fails the task permanently with a hint naming the way to submit it.
 */
public final class Payloads {

    private Payloads() {
    }

    public static <T> T read(ObjectMapper json, StepContext context, Class<T> type, String what, String hint) {
        try {
            return json.treeToValue(context.payload(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PermanentTaskException("the task payload is not " + what, hint);
        }
    }
}
