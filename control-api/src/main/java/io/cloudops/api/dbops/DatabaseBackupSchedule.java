package io.cloudops.api.dbops;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.schedule.OperationRequests;
import io.cloudops.api.schedule.ScheduledOperation;
import io.cloudops.common.dbops.DbBackupRequest;
import io.cloudops.common.dbops.DbTaskPayload;

/**
 * Database backups on a schedule (e.g. nightly): {@code {"engine": ..., "instanceId": ...}} plus the
 * optional fields of the backup endpoint's body, checked and accepted by {@link DatabaseOperationsService}.
 */
@ApplicationScoped
class DatabaseBackupSchedule implements ScheduledOperation {

    private static final String ENDPOINT = "/api/db/%s/%s/backup";

    private final DatabaseOperationsService service;
    private final ObjectMapper json;
    private final Validator validator;

    DatabaseBackupSchedule(DatabaseOperationsService service, ObjectMapper json, Validator validator) {
        this.service = service;
        this.json = json;
        this.validator = validator;
    }

    @Override
    public String name() {
        return DbTaskPayload.BACKUP_TYPE;
    }

    @Override
    public String endpoint() {
        return "POST " + ENDPOINT.formatted("{engine}", "{instanceId}");
    }

    @Override
    public void validate(ObjectNode request) throws Exception {
        service.checkTarget(OperationRequests.pathParameter(request, "engine"),
                OperationRequests.pathParameter(request, "instanceId"));
        body(request);
    }

    @Override
    public UUID submit(ObjectNode request, String idempotencyKey) throws Exception {
        String engine = OperationRequests.pathParameter(request, "engine");
        String instanceId = OperationRequests.pathParameter(request, "instanceId");
        return service.backup(engine, instanceId, body(request), idempotencyKey,
                ENDPOINT.formatted(engine, instanceId)).taskId();
    }

    private DbBackupRequest body(ObjectNode request) throws Exception {
        return OperationRequests.body(json, validator, request, DbBackupRequest.class, true, "engine", "instanceId");
    }
}
