package io.cloudops.api.task;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.schedule.OperationRequests;
import io.cloudops.api.schedule.ScheduledOperation;
import io.cloudops.common.task.DiagnosticRequest;
import io.cloudops.common.task.TaskType;

/**
 * The diagnostic task on a schedule (a heartbeat through the engine): the body of
 * {@code POST /api/tasks/diagnostic}, accepted by {@link DiagnosticService}.
 */
@ApplicationScoped
class DiagnosticSchedule implements ScheduledOperation {

    private static final String ENDPOINT = "/api/tasks/diagnostic";

    private final DiagnosticService service;
    private final ObjectMapper json;
    private final Validator validator;

    DiagnosticSchedule(DiagnosticService service, ObjectMapper json, Validator validator) {
        this.service = service;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public String name() {
        return TaskType.DIAGNOSTIC.type();
    }

    @Override
    public String endpoint() {
        return "POST " + ENDPOINT;
    }

    @Override
    public void validate(ObjectNode request) throws Exception {
        body(request);
    }

    @Override
    public UUID submit(ObjectNode request, String idempotencyKey) throws Exception {
        return service.submit(body(request), idempotencyKey, ENDPOINT).taskId();
    }

    private DiagnosticRequest body(ObjectNode request) throws Exception {
        return OperationRequests.body(json, validator, request, DiagnosticRequest.class, false);
    }
}
