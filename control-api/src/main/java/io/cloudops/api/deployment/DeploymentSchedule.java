package io.cloudops.api.deployment;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.schedule.OperationRequests;
import io.cloudops.api.schedule.ScheduledOperation;
import io.cloudops.common.deployment.DeploymentRequest;
import io.cloudops.common.task.TaskType;

/**
 * Deployments on a schedule (e.g. a nightly redeploy of a test environment): the body of
 * {@code POST /api/deployments}, resolved and accepted by {@link DeploymentService}.
 */
@ApplicationScoped
class DeploymentSchedule implements ScheduledOperation {

    private static final String ENDPOINT = "/api/deployments";

    private final DeploymentService service;
    private final ObjectMapper json;
    private final Validator validator;

    DeploymentSchedule(DeploymentService service, ObjectMapper json, Validator validator) {
        this.service = service;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public String name() {
        return TaskType.DEPLOYMENT.type();
    }

    @Override
    public String endpoint() {
        return "POST " + ENDPOINT;
    }

    @Override
    public void validate(ObjectNode request) throws Exception {
        service.resolve(body(request));
    }

    @Override
    public UUID submit(ObjectNode request, String idempotencyKey) throws Exception {
        return service.deploy(body(request), idempotencyKey, ENDPOINT).taskId();
    }

    private DeploymentRequest body(ObjectNode request) throws Exception {
        return OperationRequests.body(json, validator, request, DeploymentRequest.class, false);
    }
}
