package io.cloudops.api.project;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.common.api.Problem;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.security.Roles;

/** Environments addressed by their own id. */
@Path("/api/environments")
@Tag(name = "Environments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EnvironmentResource {

    private final ProjectService service;

    EnvironmentResource(ProjectService service) {
        this.service = service;
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
