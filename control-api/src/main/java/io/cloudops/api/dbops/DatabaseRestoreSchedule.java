package io.cloudops.api.dbops;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.schedule.OperationRequests;
import io.cloudops.api.schedule.ScheduledOperation;
import io.cloudops.common.dbops.DbEngine;
import io.cloudops.common.dbops.DbRestoreRequest;
import io.cloudops.common.dbops.DbTaskPayload;

/**
 * Restores on a schedule (e.g. refreshing a staging copy from a known backup every morning): the
 * restore endpoint's path parameters and body, checked and accepted by {@link DatabaseOperationsService}.
 */
@ApplicationScoped
class DatabaseRestoreSchedule implements ScheduledOperation {

    private static final String ENDPOINT = "/api/db/%s/%s/restore";

    private final DatabaseOperationsService service;
    private final ObjectMapper json;
    private final Validator validator;

    DatabaseRestoreSchedule(DatabaseOperationsService service, ObjectMapper json, Validator validator) {
        this.service = service;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public String name() {
        return DbTaskPayload.RESTORE_TYPE;
    }

    @Override
    public String endpoint() {
        return "POST " + ENDPOINT.formatted("{engine}", "{instanceId}");
    }

    @Override
    public void validate(ObjectNode request) throws Exception {
        DbEngine engine = service.checkTarget(OperationRequests.pathParameter(request, "engine"),
                OperationRequests.pathParameter(request, "instanceId"));
        service.checkBackup(engine, body(request).artifactId());
    }

    @Override
    public UUID submit(ObjectNode request, String idempotencyKey) throws Exception {
        String engine = OperationRequests.pathParameter(request, "engine");
        String instanceId = OperationRequests.pathParameter(request, "instanceId");
        return service.restore(engine, instanceId, body(request), idempotencyKey,
                ENDPOINT.formatted(engine, instanceId)).taskId();
    }

    private DbRestoreRequest body(ObjectNode request) throws Exception {
        return OperationRequests.body(json, validator, request, DbRestoreRequest.class, false, "engine",
                "instanceId");
    }
}
