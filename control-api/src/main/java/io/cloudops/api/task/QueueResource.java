package io.cloudops.api.task;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.common.api.Problem;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.QueueView;
import io.cloudops.orchestrator.client.QueueControl;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The backlog per session (entity), the running task of each, totals and the configured limits;
 * and pausing or resuming one entity's queue or every queue (maintenance, admin only:
 * docs/change-safety.md).
 */
@Path("/api/queue")
@Tag(name = "Tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class QueueResource {

    private final TaskQueries queries;
    private final QueueControl control;
    private final SecurityIdentity identity;
    private final AuditContext audit;

    QueueResource(TaskQueries queries, QueueControl control, SecurityIdentity identity, AuditContext audit) {
        this.queries = queries;
        this.control = control;
        this.identity = identity;
        this.audit = audit;
    }

    @GET
    @Operation(operationId = "getQueue", summary = "Backlog per session, running sessions, limits and paused queues")
    public QueueView queue() {
        return queries.queue();
    }

    @POST
    @Path("pause")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "pauseQueue", summary = "Pause an entity's queue, or every queue (maintenance)", description = "Without entityId every queue pauses (maintenance mode). Running tasks finish; nothing new starts until resumed. Durable and honoured by every instance. Idempotent.")
    @APIResponse(responseCode = "200", description = "The queue after the pause", content = @Content(schema = @Schema(implementation = QueueView.class)))
    @APIResponse(responseCode = "400", description = "Invalid entityId", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.QUEUE_PAUSE, targetType = AuditActions.QUEUE)
    public QueueView pause(
            @Parameter(description = "The entity whose queue pauses; omitted: every entity") @QueryParam("entityId") @Size(min = 1, max = 255) @Pattern(regexp = "^[^*]+$", message = "must be an entity id, not '*'") String entityId) {
        control.pause(entityId, identity.getPrincipal().getName(), audit.succeeded(AuditActions.QUEUE_PAUSE,
                AuditActions.QUEUE, entityId == null ? QueueControl.ALL_ENTITIES : entityId, null));
        return queries.queue();
    }

    @POST
    @Path("resume")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "resumeQueue", summary = "Resume an entity's queue, or end maintenance", description = "Without entityId maintenance ends (entities paused one by one stay paused). Idempotent.")
    @APIResponse(responseCode = "200", description = "The queue after the resume", content = @Content(schema = @Schema(implementation = QueueView.class)))
    @APIResponse(responseCode = "400", description = "Invalid entityId", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.QUEUE_RESUME, targetType = AuditActions.QUEUE)
    public QueueView resume(
            @Parameter(description = "The entity whose queue resumes; omitted: every entity") @QueryParam("entityId") @Size(min = 1, max = 255) @Pattern(regexp = "^[^*]+$", message = "must be an entity id, not '*'") String entityId) {
        control.resume(entityId, audit.succeeded(AuditActions.QUEUE_RESUME, AuditActions.QUEUE,
                entityId == null ? QueueControl.ALL_ENTITIES : entityId, null));
        return queries.queue();
    }
}
