package io.cloudops.api.project;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import io.cloudops.api.deployment.DeploymentService;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.common.deployment.LastDeploymentView;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.orchestrator.client.TaskQueries;

/** Environments addressed by their own id, with their last deployment and its one-click redeploy. */
@Path("/api/environments")
@Tag(name = "Environments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EnvironmentResource {

    private final ProjectService service;
    private final DeploymentService deployments;
    private final TaskQueries tasks;

    EnvironmentResource(ProjectService service, DeploymentService deployments, TaskQueries tasks) {
        this.service = service;
        this.deployments = deployments;
        this.tasks = tasks;
    }

    @GET
    @Path("{id}/last-deployment")
    @Operation(operationId = "getLastDeployment", summary = "The environment's last succeeded deployment", description = "The template and parameters its last succeeded deployment applied (previews never count): what POST /api/environments/{id}/redeploy submits again.")
    @APIResponse(responseCode = "200", description = "The last succeeded deployment", content = @Content(schema = @Schema(implementation = LastDeploymentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown environment, or no succeeded deployment yet", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public LastDeploymentView lastDeployment(@PathParam("id") UUID id) {
        service.getEnvironment(id);
        LastDeploymentView last = tasks.lastDeployments(List.of(id.toString())).get(id.toString());
        if (last == null) {
            throw new ApiException(404, ProblemTypes.NOT_FOUND, "Not found",
                    "environment " + id + " has no succeeded deployment yet", null);
        }
        return last;
    }

    @POST
    @Path("{id}/redeploy")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "redeployEnvironment", summary = "Deploy the environment's last deployment again", description = "One click: a new deployment with the template and parameters of the environment's last succeeded deployment (GET /api/environments/{id}/last-deployment), rendered and applied like POST /api/deployments (guard rails, approvals, audit).")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "404", description = "Unknown environment", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "No succeeded deployment yet (errors[].field: envId), the environment is not active, or the Idempotency-Key was used for a different request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response redeploy(@PathParam("id") UUID id,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return TaskAcceptance.respond(deployments.redeploy(id, idempotencyKey, uri.getPath()), uri);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getEnvironment", summary = "Get an environment")
    @APIResponse(responseCode = "200", description = "The environment", content = @Content(schema = @Schema(implementation = EnvironmentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown environment", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EnvironmentView get(@PathParam("id") UUID id) {
        return service.getEnvironment(id);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteEnvironment", summary = "Delete an environment")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown environment", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.ENVIRONMENT_DELETE, targetType = AuditActions.ENVIRONMENT, targetParam = "id")
    public void delete(@PathParam("id") UUID id) {
        service.deleteEnvironment(id);
    }
}
