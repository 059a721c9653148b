package io.cloudops.api.sandbox;

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
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.sandbox.SandboxAccepted;
import io.cloudops.common.sandbox.SandboxExtendRequest;
import io.cloudops.common.sandbox.SandboxRequest;
import io.cloudops.common.security.Roles;

/** Sandboxes: short-lived environments (one namespace each) that expire on their own. */
@Path("/api/sandboxes")
@Tag(name = "Sandboxes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class SandboxResource {

    private final SandboxService service;

    SandboxResource(SandboxService service) {
        this.service = service;
    }

    @POST
    @Operation(operationId = "createSandbox", summary = "Create a sandbox environment", description = "TTL policy: ttlMinutes omitted takes the project's default (Project.sandboxTtl); above the project's maximum only an admin may go (up to 30 days, audited as an exemption). Steps: create-record (environment of type sandbox, generated name sandbox-<8 hex>, expiresAt = now + ttlMinutes), provision (namespace <project>-<name>), schedule-expiry. When it is due, the expiry job enqueues a sandbox_expire task that deletes the namespace, marks the environment expired and notifies.")
    @APIResponse(responseCode = "202", description = "Accepted: the task, and the id, name and namespace the sandbox gets", content = @Content(schema = @Schema(implementation = SandboxAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = SandboxAccepted.class)))
    @APIResponse(responseCode = "404", description = "Unknown project (errors[].field: projectId)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "ttlMinutes above the project's maximum for a non-admin (errors[].field: ttlMinutes, the maximum in the message), or unknown or invalid params (errors[].field: params.<name>)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response create(@NotNull(message = "a JSON body is required") @Valid SandboxRequest request,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        return TaskAcceptance.respond(service.create(request, idempotencyKey, uri.getPath()), uri);
    }

    @POST
    @Path("{id}/extend")
    @Operation(operationId = "extendSandbox", summary = "Extend a sandbox", description = "Adds ttlMinutes to the sandbox's time to live and moves expiresAt by as much. The TTL in all (creation to the new expiresAt) must stay within the project's maximum (Project.sandboxTtl.maxTtlMinutes); an admin may go past it up to 30 days, audited as an exemption.")
    @APIResponse(responseCode = "200", description = "The sandbox environment with its new expiresAt", content = @Content(schema = @Schema(implementation = EnvironmentView.class)))
    @APIResponse(responseCode = "404", description = "No sandbox with this id", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The sandbox is expiring or expired", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The extension would pass the project's maximum (non-admins) or 30 days in all (errors[].field: ttlMinutes, the maximum and what is left in the message)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.SANDBOX_EXTEND, targetType = AuditActions.SANDBOX, targetParam = "id")
    public EnvironmentView extend(@PathParam("id") UUID id,
            @NotNull(message = "a JSON body is required") @Valid SandboxExtendRequest request) {
        return service.extend(id, request);
    }
}
