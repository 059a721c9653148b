package io.cloudops.api.task;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.PageView;
import io.cloudops.common.api.Problem;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.DeadLetterView;
import io.cloudops.orchestrator.client.DeadLetterQueries;
import io.cloudops.orchestrator.client.TaskControl;
import io.quarkus.security.identity.SecurityIdentity;

/** The dead-letter queue: tasks that exhausted their retries, for an admin to retry or skip. */
@Path("/api/dlq")
@Tag(name = "Dead letters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DeadLetterResource {

    private final DeadLetterQueries queries;
    private final TaskControl control;
    private final SecurityIdentity identity;
    private final AuditContext audit;

    DeadLetterResource(DeadLetterQueries queries, TaskControl control, SecurityIdentity identity, AuditContext audit) {
        this.audit = audit;
        this.queries = queries;
        this.control = control;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "listDeadLetters", summary = "List dead letters", description = "Open ones by default; includeResolved=true lists retried and skipped ones too.")
    public PageView<DeadLetterView> list(@QueryParam("includeResolved") @DefaultValue("false") boolean includeResolved,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return queries.deadLetters(includeResolved, page, size);
    }

    @POST
    @Path("{id}/retry")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "retryDeadLetter", summary = "Retry a dead letter", description = "Re-enqueues the task at the tail of its entity's queue with its attempts reset. Idempotent.")
    @APIResponse(responseCode = "200", description = "The dead letter, resolved as retried", content = @Content(schema = @Schema(implementation = DeadLetterView.class)))
    @APIResponse(responseCode = "404", description = "Unknown dead letter", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already skipped", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.DEADLETTER_RETRY, targetType = AuditActions.DEADLETTER, targetParam = "id")
    public DeadLetterView retry(@PathParam("id") UUID id) {
        control.retryDeadLetter(id, identity.getPrincipal().getName(),
                audit.succeeded(AuditActions.DEADLETTER_RETRY, AuditActions.DEADLETTER, id, null));
        return queries.deadLetter(id).orElseThrow(() -> ApiException.notFound("Dead letter", id));
    }

    @POST
    @Path("{id}/skip")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "skipDeadLetter", summary = "Skip a dead letter", description = "Marks it resolved without running the task again. Idempotent.")
    @APIResponse(responseCode = "200", description = "The dead letter, resolved as skipped", content = @Content(schema = @Schema(implementation = DeadLetterView.class)))
    @APIResponse(responseCode = "404", description = "Unknown dead letter", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already retried", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.DEADLETTER_SKIP, targetType = AuditActions.DEADLETTER, targetParam = "id")
    public DeadLetterView skip(@PathParam("id") UUID id) {
        control.skipDeadLetter(id, identity.getPrincipal().getName(),
                audit.succeeded(AuditActions.DEADLETTER_SKIP, AuditActions.DEADLETTER, id, null));
        return queries.deadLetter(id).orElseThrow(() -> ApiException.notFound("Dead letter", id));
    }
}
