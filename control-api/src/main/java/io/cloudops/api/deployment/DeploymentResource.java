package io.cloudops.api.deployment;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.common.deployment.DeploymentRequest;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskAccepted;

/** One-click deployments: a catalog template with parameters, into an environment, as a task. */
@Path("/api/deployments")
@Tag(name = "Deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class DeploymentResource {

    private final DeploymentService service;

    DeploymentResource(DeploymentService service) {
        this.service = service;
    }

    @POST
    @Operation(operationId = "createDeployment", summary = "Deploy a template into an environment", description = "Steps: validate, plan (the rendered manifests become the task's plan artifact), apply (server-side apply into the environment's namespace <project>-<environment>, then wait for the rollout). Deployments to one environment run one at a time, in order.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "404", description = "Unknown project, environment or template (errors[].field names it)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The environment is not active, or the Idempotency-Key was used for a different request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Parameters the template does not accept (errors[].field: params.<name>), or an environment of another project", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response deploy(@NotNull(message = "a JSON body is required") @Valid DeploymentRequest request,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return TaskAcceptance.respond(service.deploy(request, idempotencyKey, uri.getPath()), uri);
    }

    @POST
    @Path("{taskId}/rollback")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rollbackDeployment", summary = "Roll back to an earlier deployment's plan", description = "A new deployment task into the same environment that applies the plan artifact of the succeeded deployment taskId again, byte for byte: nothing is rendered from the template, and the plan's SHA-256 is checked against the one recorded when it was applied, at the plan step and again before apply (a changed plan fails the task and applies nothing). It queues behind the environment's other deployments and passes the same guard rails as a deployment.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "404", description = "Unknown task", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not a succeeded deployment with a plan, its environment is not active, or the Idempotency-Key was used for a different request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response rollback(@PathParam("taskId") UUID taskId,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return TaskAcceptance.respond(service.rollback(taskId, idempotencyKey, uri.getPath()), uri);
    }
}
