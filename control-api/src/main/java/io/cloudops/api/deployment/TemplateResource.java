package io.cloudops.api.deployment;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
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

import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.Problem;
import io.cloudops.common.deployment.TemplateView;
import io.cloudops.common.security.Roles;
import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.TemplateCatalog;

/** The deployment templates a deployment can use, with the parameters each takes. */
@Path("/api/templates")
@Tag(name = "Deployments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class TemplateResource {

    private final TemplateCatalog catalog;

    TemplateResource(TemplateCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(operationId = "listTemplates", summary = "List deployment templates", description = "Every template of the catalog with its declared parameters (type, required, default, constraints).")
    public List<TemplateView> list() {
        return catalog.all().stream().map(DeploymentTemplate::view).toList();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTemplate", summary = "Get a deployment template")
    @APIResponse(responseCode = "200", description = "The template", content = @Content(schema = @Schema(implementation = TemplateView.class)))
    @APIResponse(responseCode = "404", description = "Unknown template", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TemplateView get(@PathParam("id") String id) {
        return catalog.find(id).map(DeploymentTemplate::view).orElseThrow(() -> ApiException.notFound("Template", id));
    }
}
