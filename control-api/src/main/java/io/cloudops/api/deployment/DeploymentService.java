package io.cloudops.api.deployment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.Environment;
import io.cloudops.api.project.EnvironmentRepository;
import io.cloudops.api.project.Project;
import io.cloudops.api.project.ProjectRepository;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.Sha256;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.common.deployment.DeploymentRequest;
import io.cloudops.common.deployment.LastDeploymentView;
import io.cloudops.common.project.EnvironmentNamespace;
import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskType;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.ManifestRenderer;
import io.cloudops.orchestrator.catalog.TemplateCatalog;
import io.cloudops.orchestrator.client.TaskQueries;

/**
 * Turns a deployment request into a task payload, or into the problem that says why not: unknown
 * project, environment or template (404 naming the field), an environment of another project
 * (422), an environment that is no longer active (409), parameters the template does not accept
 * (422 naming each {@code params.<name>}). Nothing is enqueued unless all of it holds. The API and
 * the console's deploy form both deploy through {@link #deploy}.
 */
@ApplicationScoped
public class DeploymentService {

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;
    private final TemplateCatalog catalog;
    private final TaskAcceptance acceptance;
    private final TaskQueries tasks;
    private final ObjectMapper json;

    DeploymentService(ProjectRepository projects, EnvironmentRepository environments, TemplateCatalog catalog,
            TaskAcceptance acceptance, TaskQueries tasks, ObjectMapper json) {
        this.projects = projects;
        this.environments = environments;
        this.catalog = catalog;
        this.acceptance = acceptance;
        this.tasks = tasks;
        this.json = json;
    }

    /**
     * Accepts a new deployment task that applies again the plan artifact of the succeeded deployment
     * {@code taskId}, byte for byte (its SHA-256 checked before it is applied), to the same environment,
     * which must still be active. Unknown task: 404; not a deployment, not succeeded, or without a plan: 409.
     */
    public TaskAcceptance.Accepted<TaskAccepted> rollback(UUID taskId, String idempotencyKey, String path) {
        TaskView source = tasks.get(taskId).orElseThrow(() -> ApiException.notFound("Task", taskId, "taskId"));
        if (!TaskType.DEPLOYMENT.type().equals(source.type())) {
            throw ApiException.conflict("taskId", "task " + taskId + " is a " + source.type()
                    + " task; only deployments can be rolled back to");
        }
        if (source.status() != TaskStatus.SUCCEEDED) {
            throw ApiException.conflict("taskId", "deployment " + taskId + " is " + source.status().value()
                    + "; only a succeeded deployment's plan is known to have been applied");
        }
        if (!source.rollbackTarget()) {
            throw ApiException.conflict("taskId", "deployment " + taskId
                    + " is a preview (dryRun): it applied nothing to return to");
        }
        ArtifactView plan = source.artifacts().stream().filter(a -> "plan".equals(a.kind())).reduce((a, b) -> b)
                .orElseThrow(() -> ApiException.conflict("taskId", "deployment " + taskId + " has no plan artifact"));
        DeploymentPayload earlier;
        try {
            earlier = json.treeToValue(source.payload(), DeploymentPayload.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw ApiException.conflict("taskId", "deployment " + taskId + " has a payload this server cannot read");
        }
        activeEnvironment(earlier.envId());
        DeploymentPayload payload = earlier
                .pinnedTo(new DeploymentPayload.PinnedPlan(taskId, plan.uri(), plan.sha256()));
        return acceptance.accept(TaskType.DEPLOYMENT.type(), payload.envId().toString(),
                Map.of("rollbackOf", taskId.toString()), payload, idempotencyKey, path,
                accepted -> new TaskAccepted(accepted.taskId()),
                Map.of("rollbackOf", taskId.toString(), "manifestsSha256", plan.sha256()));
    }

    /**
     * Deploys again what the environment's last succeeded deployment applied: the same template and
     * parameters, through {@link #deploy} (guard rails, approvals, audit) like any request. Unknown
     * environment: 404; no succeeded deployment yet: 409 naming {@code envId}.
     */
    public TaskAcceptance.Accepted<TaskAccepted> redeploy(UUID envId, String idempotencyKey, String path) {
        UUID projectId = projectOf(envId);
        LastDeploymentView last = tasks.lastDeployments(List.of(envId.toString())).get(envId.toString());
        if (last == null) {
            throw ApiException.conflict("envId", "environment " + envId
                    + " has no succeeded deployment yet: deploy a template first (POST /api/deployments)");
        }
        return deploy(new DeploymentRequest(projectId, envId, last.templateId(), last.params(), null),
                idempotencyKey, path);
    }

    @Transactional
    UUID projectOf(UUID envId) {
        return environments.findByIdOptional(envId)
                .orElseThrow(() -> ApiException.notFound("Environment", envId, "envId")).project.id;
    }

    @Transactional
    void activeEnvironment(UUID envId) {
        Environment environment = environments.findByIdOptional(envId)
                .orElseThrow(() -> ApiException.conflict("taskId", "the deployment's environment " + envId
                        + " no longer exists"));
        if (environment.status != EnvironmentStatus.ACTIVE) {
            throw ApiException.conflict("taskId", "environment " + environment.name + " is "
                    + environment.status.value() + "; deployments go to active environments only");
        }
    }

    /**
     * Validates the request (bean constraints, then {@link #resolve}) and accepts the deployment
     * task, one session per environment. {@code path} is the API path the request stands for (the
     * Idempotency-Key fingerprint's scope, see {@link TaskAcceptance}).
     */
    public TaskAcceptance.Accepted<TaskAccepted> deploy(@Valid DeploymentRequest request, String idempotencyKey,
            String path) {
        DeploymentPayload resolved = resolve(request);
        // a preview changes nothing: it runs beside the environment's queue, in a session of its own
        DeploymentPayload payload = request.preview() ? resolved.asPreview() : resolved;
        String entityId = request.preview()
                ? "preview/" + payload.envId() + "/" + UUID.randomUUID()
                : payload.envId().toString();
        return acceptance.accept(TaskType.DEPLOYMENT.type(), entityId, request, payload,
                idempotencyKey, path, accepted -> new TaskAccepted(accepted.taskId()),
                Map.of("manifestsSha256", manifestsSha256(payload)));
    }

    /**
     * The SHA-256 of the manifests the task will plan and apply, rendered as its plan step renders
     * them (the plan artifact is this YAML under a header line naming the task), for the audit entry.
     */
    String manifestsSha256(DeploymentPayload payload) {
        DeploymentTemplate template = catalog.find(payload.templateId()).orElseThrow();
        Map<String, Object> values = new HashMap<>(template.resolve(payload.params()));
        values.put("namespace", payload.namespace());
        values.put("project", payload.projectName());
        values.put("environment", payload.envName());
        return Sha256.hex(ManifestRenderer
                .toYaml(ManifestRenderer.render(template.manifests(), values, payload.namespace())));
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
