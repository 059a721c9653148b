package io.cloudops.api.dbops;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.common.dbops.DbBackupRequest;
import io.cloudops.common.dbops.DbRestoreRequest;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskAccepted;

/**
 * Database backup and restore as tasks. Both operations of one database share its session key
 * ({@code {engine}/{instanceId}}), so a restore queued behind a backup of the same database waits
 * for it. The request is checked before anything is enqueued: engine and instance in the path,
 * and for a restore, that the artifact is a backup of the same engine.
 */
@Path("/api/db/{engine}/{instanceId}")
@Tag(name = "Database operations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class DatabaseOperationsResource {

    private final DatabaseOperationsService service;
    private final ObjectMapper json;

    DatabaseOperationsResource(DatabaseOperationsService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    /**
     * The backup's body is optional, with or without a Content-Type: a bare {@code POST} is the
     * common case. It is read with the application's strict JSON settings; the service validates it
     * like any body.
     */
    private DbBackupRequest optionalBody(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        return json.readValue(body, DbBackupRequest.class);
    }

    @POST
    @Path("backup")
    @Operation(operationId = "backupDatabase", summary = "Back up a database", description = "Steps: prepare, dump (streamed to the artifact store with a SHA-256), record (a backup artifact). The body is optional.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "400", description = "Unknown engine, invalid instance id or body", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The instance is configured with another engine", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response backup(
            @Parameter(description = "azure-postgres | azure-sql") @PathParam("engine") String engine,
            @Parameter(description = "The database instance (server) id") @PathParam("instanceId") String instanceId,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DbBackupRequest.class))) String body,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) throws JsonProcessingException {
        // the path is checked before the body is read, so a wrong engine is named even with a broken body
        service.checkTarget(engine, instanceId);
        DbBackupRequest request = optionalBody(body);
        return TaskAcceptance.respond(service.backup(engine, instanceId, request, idempotencyKey, uri.getPath()), uri);
    }

    @POST
    @Path("restore")
    @Operation(operationId = "restoreDatabase", summary = "Restore a backup into a database", description = "Steps: validate (artifact exists, checksum recomputed, engine matches), restore into target, verify.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "400", description = "Unknown engine, invalid instance id or body", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Unknown artifact, not a backup, or a backup of another engine", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response restore(
            @Parameter(description = "azure-postgres | azure-sql") @PathParam("engine") String engine,
            @Parameter(description = "The database instance (server) to restore into") @PathParam("instanceId") String instanceId,
            @NotNull(message = "a JSON body is required") @Valid DbRestoreRequest request,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return TaskAcceptance.respond(service.restore(engine, instanceId, request, idempotencyKey, uri.getPath()),
                uri);
    }
}
