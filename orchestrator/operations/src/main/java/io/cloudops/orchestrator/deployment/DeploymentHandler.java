package io.cloudops.orchestrator.deployment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.ManifestRenderer;
import io.cloudops.orchestrator.catalog.TemplateCatalog;
import io.cloudops.orchestrator.handler.Payloads;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.EnvironmentStore;
import io.cloudops.orchestrator.ops.Simulation;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesMode;

/**
 * One-click deployment of a catalog template into an environment: {@code validate} (template,
 * parameters, environment still active, target reachable), {@code plan} (render the manifests and
 * store them as the task's plan artifact), {@code apply} (apply exactly that plan and wait for the
 * rollout). The session key is the environment id, so deployments to one environment queue.
 */
@ApplicationScoped
public class DeploymentHandler implements TaskHandler {

    public static final String TYPE = TaskType.DEPLOYMENT.type();
    static final String VALIDATE = "validate";
    static final String PLAN = "plan";
    static final String APPLY = "apply";

    private final TemplateCatalog catalog;
    private final EnvironmentStore environments;
    private final ArtifactStore artifacts;
    private final Simulation simulation;
    private final KubernetesMode mode;
    private final SimulatedDeploymentAdapter simulated;
    private final KubernetesDeploymentAdapter kubernetes;
    private final ObjectMapper json;

    DeploymentHandler(TemplateCatalog catalog, EnvironmentStore environments, ArtifactStore artifacts,
            Simulation simulation, KubernetesMode mode, SimulatedDeploymentAdapter simulated,
            KubernetesDeploymentAdapter kubernetes, ObjectMapper json) {
        this.catalog = catalog;
        this.environments = environments;
        this.artifacts = artifacts;
        this.simulation = simulation;
        this.mode = mode;
        this.simulated = simulated;
        this.kubernetes = kubernetes;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(StepContext context) throws Exception {
        DeploymentPayload deployment = payload(context);
        switch (context.step()) {
            case VALIDATE -> validate(context, deployment);
            case PLAN -> plan(context, deployment);
            case APPLY -> apply(context, deployment);
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
    }

    private void validate(StepContext context, DeploymentPayload deployment) throws Exception {
        DeploymentTemplate template = template(deployment);
        List<DeploymentTemplate.Violation> violations = template.validate(deployment.params());
        if (!violations.isEmpty()) {
            throw new PermanentTaskException("invalid parameters: " + violations.stream()
                    .map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")),
                    "Submit the deployment again with parameters that GET /api/templates/" + template.id()
                            + " accepts");
        }
        EnvironmentStore.EnvironmentRecord environment = environments.find(deployment.envId())
                .orElseThrow(() -> new PermanentTaskException(
                        "environment " + deployment.envId() + " no longer exists",
                        "Deploy to an existing environment"));
        if (environment.status() != EnvironmentStatus.ACTIVE) {
            throw new PermanentTaskException(
                    "environment " + environment.name() + " is " + environment.status().value(),
                    "Deployments go to active environments only; create a new sandbox or pick another environment");
        }
        context.log("deploying template " + template.id() + " to " + deployment.projectName() + "/"
                + deployment.envName() + " (namespace " + deployment.namespace() + ") with " + describe(deployment));
        adapter().check(context, deployment);
        context.progress(100, "inputs valid");
    }

    private void plan(StepContext context, DeploymentPayload deployment) throws IOException {
        DeploymentTemplate template = template(deployment);
        Map<String, Object> values = new HashMap<>(template.resolve(deployment.params()));
        values.put("namespace", deployment.namespace());
        values.put("project", deployment.projectName());
        values.put("environment", deployment.envName());
        List<ObjectNode> rendered = ManifestRenderer.render(template.manifests(), values, deployment.namespace());
        String yaml = "# Plan of task " + context.taskId() + ": template " + template.id() + " into namespace "
                + deployment.namespace() + "\n" + ManifestRenderer.toYaml(rendered);
        ArtifactStore.Stored stored = artifacts.write("artifacts", planKey(context),
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        context.artifact("plan", stored.uri(), stored.sizeBytes(), stored.sha256(), Map.of(
                "templateId", template.id(),
                "environmentId", deployment.envId().toString(),
                "namespace", deployment.namespace()));
        for (ObjectNode manifest : rendered) {
            context.log("plan: " + SimulatedDeploymentAdapter.describe(manifest) + " in " + deployment.namespace());
        }
        context.log("plan written to " + stored.uri() + " (" + stored.sizeBytes() + " bytes, sha256 "
                + stored.sha256() + ")");
        context.progress(100, rendered.size() + " objects planned");
    }

    private void apply(StepContext context, DeploymentPayload deployment) throws Exception {
        simulation.maybeFail(context, json.valueToTree(deployment.params()));
        String uri = artifacts.uriOf("artifacts", planKey(context));
        if (!artifacts.exists(uri)) {
            throw new PermanentTaskException("the plan artifact " + uri + " is missing",
                    "Submit the deployment again; its plan step writes a new plan");
        }
        List<ObjectNode> manifests;
        try (InputStream in = artifacts.open(uri)) {
            manifests = ManifestRenderer.fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        context.log("applying plan " + uri + " (" + manifests.size() + " objects)");
        adapter().apply(context, deployment, manifests);
    }

    private DeploymentAdapter adapter() {
        return mode.choose(simulated, () -> kubernetes);
    }

    private DeploymentTemplate template(DeploymentPayload deployment) {
        return catalog.find(deployment.templateId()).orElseThrow(() -> new PermanentTaskException(
                "template " + deployment.templateId() + " is not in the catalog any more",
                "Pick a template from GET /api/templates"));
    }

    private DeploymentPayload payload(StepContext context) {
        return Payloads.read(json, context, DeploymentPayload.class, "a deployment request",
                "Submit deployments through POST /api/deployments");
    }

    private static String planKey(StepContext context) {
        return context.taskId() + "/plan.yaml";
    }

    private static String describe(DeploymentPayload deployment) {
        return deployment.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
