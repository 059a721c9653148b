package io.cloudops.api.workload;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.schedule.OperationRequests;
import io.cloudops.api.schedule.ScheduledOperation;
import io.cloudops.api.task.OperationParameters;
import io.cloudops.common.task.TaskType;
import io.cloudops.common.workload.RestartWorkloadRequest;

/**
 * Rolling restarts on a schedule: {@code {"ns": ..., "name": ...}} plus the optional fields of the
 * restart endpoint's body, with {@link WorkloadService}'s constraints, accepted by it.
 */
@ApplicationScoped
class WorkloadRestartSchedule implements ScheduledOperation {

    private static final String ENDPOINT = "/api/k8s/workloads/%s/%s:restart";

    private final WorkloadService service;
    private final ObjectMapper json;
    private final Validator validator;

    WorkloadRestartSchedule(WorkloadService service, ObjectMapper json, Validator validator) {
        this.service = service;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public String name() {
        return TaskType.RESTART_WORKLOAD.type();
    }

    @Override
    public String endpoint() {
        return "POST " + ENDPOINT.formatted("{ns}", "{name}");
    }

    @Override
    public void validate(ObjectNode request) throws Exception {
        target(request, "ns", 63, WorkloadService.NAMESPACE, WorkloadService.NAMESPACE_MESSAGE);
        target(request, "name", 253, WorkloadService.NAME, WorkloadService.NAME_MESSAGE);
        RestartWorkloadRequest body = body(request);
        OperationParameters.requireOnlySimulate(body == null ? null : body.params());
    }

    @Override
    public UUID submit(ObjectNode request, String idempotencyKey) throws Exception {
        String ns = OperationRequests.pathParameter(request, "ns");
        String name = OperationRequests.pathParameter(request, "name");
        return service.restart(ns, name, body(request), idempotencyKey, ENDPOINT.formatted(ns, name)).taskId();
    }

    private static void target(ObjectNode request, String parameter, int maxLength, String pattern, String message) {
        String value = OperationRequests.pathParameter(request, parameter);
        if (value.length() > maxLength || !value.matches(pattern)) {
            throw ApiException.invalidParameter(parameter, message);
        }
    }

    private RestartWorkloadRequest body(ObjectNode request) throws Exception {
        return OperationRequests.body(json, validator, request, RestartWorkloadRequest.class, true, "ns", "name");
    }
}
