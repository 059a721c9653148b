package io.cloudops.orchestrator.database;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.dbops.DbEngine;
import io.cloudops.common.dbops.DbTaskPayload;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;

/**
 * Reads the payload of database tasks. The API validated it; a payload that still does not parse
 * (written by another version, or by hand) fails the task permanently instead of retrying it.
 */
@ApplicationScoped
public class DbPayloads {

    private final ObjectMapper json;

    DbPayloads(ObjectMapper json) {
        this.json = json;
    }

    DbTaskPayload read(StepContext context) {
        try {
            DbTaskPayload payload = json.treeToValue(context.payload(), DbTaskPayload.class);
            if (payload.instanceId() == null || !payload.instanceId().matches(DbTaskPayload.INSTANCE_ID_PATTERN)) {
                throw new PermanentTaskException("the task names no valid instanceId",
                        "Submit it again through the API");
            }
            return payload;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new PermanentTaskException("the task's payload is not a database task: " + why,
                    "Submit it again through the API");
        }
    }

    DbEngine engine(DbTaskPayload payload) {
        return DbEngine.find(payload.engine()).orElseThrow(() -> new PermanentTaskException(
                "unknown engine " + payload.engine(), "Use one of " + DbEngine.allowedValues()));
    }

    JsonNode json(StepContext context) {
        return context.payload();
    }
}
