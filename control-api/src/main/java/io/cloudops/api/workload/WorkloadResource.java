package io.cloudops.api.workload;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.common.workload.RestartWorkloadRequest;

/**
 * Kubernetes workloads. {@code :restart} is a custom method in the Google API style (a verb after a
 * colon in the last segment). RESTEasy Reactive matches templates against the raw path, where
 * clients may send the colon as is or percent-encoded ({@code %3A}); the template accepts both, and
 * its {@code name} group stops at either so it never swallows the verb. The body is optional: a
 * request without {@code Content-Type} is served by {@link #restartWithoutBody}. The path's
 * constraints are {@link WorkloadService}'s (declared here too, for this endpoint's validation and
 * its OpenAPI document).
 */
@Path("/api/k8s/workloads")
@Tag(name = "Workloads")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class WorkloadResource {

    /** {@code <ns>/<name>:restart}, the colon raw or percent-encoded. */
    static final String RESTART_PATH = "{ns}/{name: [^/:%]+}{colon: :|%3[Aa]}restart";

    private final WorkloadService service;

    WorkloadResource(WorkloadService service) {
        this.service = service;
    }

    @POST
    @Path(RESTART_PATH)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "restartWorkload", summary = "Restart a workload (rolling)", description = "Steps: connect (find the Deployment), rollout-restart (patch the pod template annotation kubectl.kubernetes.io/restartedAt, as kubectl rollout restart does), wait-ready. Restarts of one workload run one at a time (session key <ns>/<name>). The body is optional.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "400", description = "ns or name is not a valid Kubernetes name", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Unknown or invalid params (errors[].field: params.<name>)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response restart(
            @Parameter(description = "Namespace", example = "shop-prod") @PathParam("ns") @Size(max = 63) @Pattern(regexp = WorkloadService.NAMESPACE, message = WorkloadService.NAMESPACE_MESSAGE) String ns,
            @Parameter(description = "Deployment name", example = "web") @PathParam("name") @Size(max = 253) @Pattern(regexp = WorkloadService.NAME, message = WorkloadService.NAME_MESSAGE) String name,
            @RequestBody(required = false, description = "Optional") @Valid RestartWorkloadRequest request,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return accept(ns, name, request, idempotencyKey, uri);
    }

    @POST
    @Path(RESTART_PATH)
    @Operation(hidden = true)
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response restartWithoutBody(
            @PathParam("ns") @Size(max = 63) @Pattern(regexp = WorkloadService.NAMESPACE, message = WorkloadService.NAMESPACE_MESSAGE) String ns,
            @PathParam("name") @Size(max = 253) @Pattern(regexp = WorkloadService.NAME, message = WorkloadService.NAME_MESSAGE) String name,
            @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return accept(ns, name, null, idempotencyKey, uri);
    }

    private Response accept(String ns, String name, RestartWorkloadRequest request, String idempotencyKey,
            UriInfo uri) {
        return TaskAcceptance.respond(service.restart(ns, name, request, idempotencyKey, uri.getPath()), uri);
    }
}
