package io.cloudops.api.deployment;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.Environment;
import io.cloudops.api.project.EnvironmentRepository;
import io.cloudops.api.project.Project;
import io.cloudops.api.project.ProjectRepository;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.common.deployment.DeploymentRequest;
import io.cloudops.common.project.EnvironmentNamespace;
import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.TemplateCatalog;

/**
 * Turns a deployment request into a task payload, or into the problem that says why not: unknown
 * project, environment or template (404 naming the field), an environment of another project
 * (422), an environment that is no longer active (409), parameters the template does not accept
 * (422 naming each {@code params.<name>}). Nothing is enqueued unless all of it holds.
 */
@ApplicationScoped
public class DeploymentService {

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;
    private final TemplateCatalog catalog;

    DeploymentService(ProjectRepository projects, EnvironmentRepository environments, TemplateCatalog catalog) {
        this.projects = projects;
        this.environments = environments;
        this.catalog = catalog;
    }

    @Transactional
    public DeploymentPayload resolve(DeploymentRequest request) {
        Project project = projects.findByIdOptional(request.projectId())
                .orElseThrow(() -> ApiException.notFound("Project", request.projectId(), "projectId"));
        Environment environment = environments.findByIdOptional(request.envId())
                .orElseThrow(() -> ApiException.notFound("Environment", request.envId(), "envId"));
        if (!environment.project.id.equals(project.id)) {
            throw ApiException.invalidField("envId", "belongs to another project, not to " + project.name);
        }
        if (environment.status != EnvironmentStatus.ACTIVE) {
            throw ApiException.conflict("envId", "environment " + environment.name + " is "
                    + environment.status.value() + "; deployments go to active environments only");
        }
        DeploymentTemplate template = catalog.find(request.templateId())
                .orElseThrow(() -> ApiException.notFound("Template", request.templateId(), "templateId"));
        List<DeploymentTemplate.Violation> violations = template.validate(request.params());
        if (!violations.isEmpty()) {
            throw ApiException.invalidFields(violations.stream().map(v -> new FieldError(v.field(), v.message()))
                    .toList());
        }
        return new DeploymentPayload(project.id, project.name, environment.id, environment.name,
                EnvironmentNamespace.of(project.name, environment.name), template.id(),
                template.resolve(request.params()));
    }
}
