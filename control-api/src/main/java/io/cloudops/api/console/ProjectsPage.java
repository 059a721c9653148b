package io.cloudops.api.console;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.ProjectService;
import io.cloudops.api.sandbox.SandboxService;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.sandbox.SandboxExtendRequest;
import io.cloudops.common.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * Projects and their environments; sandboxes show a live TTL countdown and an extend button, which
 * extends through {@link SandboxService} as {@code POST /api/sandboxes/{id}/extend} does (operator).
 */
@Path("/projects")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class ProjectsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance projects(List<ProjectView> projects);

        static native TemplateInstance project(ProjectView project, ActionResult outcome);
    }

    private final ProjectService service;
    private final SandboxService sandboxes;
    private final ConsoleActions actions;

    ProjectsPage(ProjectService service, SandboxService sandboxes, ConsoleActions actions) {
        this.service = service;
        this.sandboxes = sandboxes;
        this.actions = actions;
    }

    @GET
    public TemplateInstance projects() {
        return Templates.projects(service.list(0, 200).items());
    }

    @GET
    @Path("{id}")
    public TemplateInstance project(@PathParam("id") String id) {
        return Templates.project(find(id), null);
    }

    @POST
    @Path("{id}/sandboxes/{envId}/extend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.SANDBOX_EXTEND, targetType = AuditActions.SANDBOX, targetParam = "envId")
    public Response extend(@PathParam("id") String id, @PathParam("envId") String envId,
            @FormParam("minutes") String minutes, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID sandbox = ConsoleErrors.parseId(envId, "Sandbox");
        // anything but a number is a missing ttlMinutes: the service's validation names it
        Integer ttl = minutes != null && minutes.matches("\\d{1,6}") ? Integer.valueOf(minutes) : null;
        ActionOutcome outcome = actions.attempt(Roles.OPERATOR, request.path(),
                () -> sandboxes.extend(sandbox, new SandboxExtendRequest(ttl))).outcome(extended -> null);
        ActionResult result = ActionResult.of("Extended by " + minutes + " minutes.", outcome);
        int status = outcome.ok() ? 200 : outcome.status();
        if ("true".equals(htmx)) {
            return Response.status(status).entity(Partials.Templates.result(result)).build();
        }
        return Response.status(status).entity(Templates.project(find(id), result)).build();
    }

    private ProjectView find(String id) {
        UUID projectId = ConsoleErrors.parseId(id, "Project");
        try {
            return service.get(projectId);
        } catch (ApiException e) {
            throw ConsoleErrors.notFound("Project " + projectId + " does not exist.");
        }
    }
}
