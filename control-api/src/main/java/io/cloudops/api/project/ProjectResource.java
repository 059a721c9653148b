package io.cloudops.api.project;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.common.api.PageView;
import io.cloudops.common.api.Problem;
import io.cloudops.common.project.EnvironmentRequest;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.project.ProjectRequest;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.security.Roles;

/** Projects and the environments under them. Reading needs {@code viewer}; changing needs {@code admin}. */
@Path("/api/projects")
@Tag(name = "Projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
@APIResponse(responseCode = "400", description = "Invalid request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ProjectResource {

    private final ProjectService service;

    ProjectResource(ProjectService service) {
        this.service = service;
    }

    @GET
    @Operation(operationId = "listProjects", summary = "List projects", description = "Projects ordered by name, with their environments, a page at a time.")
    @APIResponse(responseCode = "200", description = "A page of projects")
    public PageView<ProjectView> list(
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return service.list(page, size);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createProject", summary = "Create a project")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "409", description = "Name taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Webhook URL not allowed, or a sandbox default TTL above the maximum (errors[].field: sandboxDefaultTtlMinutes)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.PROJECT_CREATE, targetType = AuditActions.PROJECT)
    public Response create(@NotNull(message = "a JSON body is required") @Valid ProjectRequest request, UriInfo uri) {
        ProjectView created = service.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getProject", summary = "Get a project with its environments")
    @APIResponse(responseCode = "200", description = "The project", content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "404", description = "Unknown project", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ProjectView get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "updateProject", summary = "Update a project", description = "Replaces name, description, email recipients and the sandbox TTL policy (sandboxDefaultTtlMinutes, sandboxMaxTtlMinutes: null follows the global SANDBOX_DEFAULT_TTL / SANDBOX_MAX_TTL). teamsWebhookUrl: absent or the masked value keeps the stored URL, an empty string removes it.")
    @APIResponse(responseCode = "200", description = "The updated project", content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "404", description = "Unknown project", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Name taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Webhook URL not allowed, or a sandbox default TTL above the maximum (errors[].field: sandboxDefaultTtlMinutes)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.PROJECT_UPDATE, targetType = AuditActions.PROJECT, targetParam = "id")
    public ProjectView update(@PathParam("id") UUID id,
            @NotNull(message = "a JSON body is required") @Valid ProjectRequest request) {
        return service.update(id, request);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteProject", summary = "Delete a project and its environments")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown project", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.PROJECT_DELETE, targetType = AuditActions.PROJECT, targetParam = "id")
    public void delete(@PathParam("id") UUID id) {
        service.delete(id);
    }

    @POST
    @Path("{id}/environments")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createEnvironment", summary = "Create an environment in a project", description = "ttlMinutes is required for type sandbox and refused for the other types.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = EnvironmentView.class)))
    @APIResponse(responseCode = "404", description = "Unknown project", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Name taken in this project", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "ttlMinutes missing for a sandbox or given for another type", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.ENVIRONMENT_CREATE, targetType = AuditActions.ENVIRONMENT)
    public Response createEnvironment(@PathParam("id") UUID projectId,
            @NotNull(message = "a JSON body is required") @Valid EnvironmentRequest request, UriInfo uri) {
        EnvironmentView created = service.createEnvironment(projectId, request);
        return Response.created(uri.getBaseUriBuilder().path("api/environments").path(created.id().toString()).build())
                .entity(created).build();
    }
}
