package io.cloudops.orchestrator.deployment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;

import io.cloudops.common.Sha256;
import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.ManifestRenderer;
import io.cloudops.orchestrator.catalog.TemplateCatalog;
import io.cloudops.orchestrator.client.TaskQueries;
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
 * rollout). The session key is the environment id, so deployments to one environment queue. A preview
 * ({@code dryRun}) runs validate, plan and {@code diff} (its plan against the last applied one) in a
 * session of its own and applies nothing.
 *
 * <p>
 * A rollback (the payload's {@code rollback} names an earlier deployment's plan) renders nothing: its plan
 * step copies that plan byte for byte after checking its SHA-256 against the one recorded when it was
 * applied, and its apply step checks the copy again before applying it. The template's current parameter
 * rules do not apply to it (the plan is what ran before).
 */
@ApplicationScoped
public class DeploymentHandler implements TaskHandler {

    public static final String TYPE = TaskType.DEPLOYMENT.type();
    static final String VALIDATE = "validate";
    static final String PLAN = "plan";
    static final String APPLY = "apply";
    static final String DIFF = "diff";
    /** Lines of a preview's diff copied into the task's log (the whole diff is its artifact). */
    static final int DIFF_LOG_LINES = 400;

    private final TemplateCatalog catalog;
    private final EnvironmentStore environments;
    private final ArtifactStore artifacts;
    private final Simulation simulation;
    private final KubernetesMode mode;
    private final SimulatedDeploymentAdapter simulated;
    private final KubernetesDeploymentAdapter kubernetes;
    private final ObjectMapper json;
    private final TaskQueries tasks;

    DeploymentHandler(TemplateCatalog catalog, EnvironmentStore environments, ArtifactStore artifacts,
            Simulation simulation, KubernetesMode mode, SimulatedDeploymentAdapter simulated,
            KubernetesDeploymentAdapter kubernetes, ObjectMapper json, TaskQueries tasks) {
        this.tasks = tasks;
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
            case DIFF -> diff(context, deployment);
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
    }

    private void validate(StepContext context, DeploymentPayload deployment) throws Exception {
        if (deployment.rollback() != null) {
            activeEnvironment(deployment);
            context.log("rolling back " + deployment.projectName() + "/" + deployment.envName() + " (namespace "
                    + deployment.namespace() + ") to the plan of task " + deployment.rollback().taskId() + " (sha256 "
                    + deployment.rollback().sha256() + ")");
            adapter().check(context, deployment);
            context.progress(100, "inputs valid");
            return;
        }
        DeploymentTemplate template = template(deployment);
        List<DeploymentTemplate.Violation> violations = template.validate(deployment.params());
        if (!violations.isEmpty()) {
            throw new PermanentTaskException("invalid parameters: " + violations.stream()
                    .map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")),
                    "Submit the deployment again with parameters that GET /api/templates/" + template.id()
                            + " accepts");
        }
        activeEnvironment(deployment);
        context.log("deploying template " + template.id() + " to " + deployment.projectName() + "/"
                + deployment.envName() + " (namespace " + deployment.namespace() + ") with " + describe(deployment));
        adapter().check(context, deployment);
        context.progress(100, "inputs valid");
    }

    private void activeEnvironment(DeploymentPayload deployment) {
        EnvironmentStore.EnvironmentRecord environment = environments.find(deployment.envId())
                .orElseThrow(() -> new PermanentTaskException(
                        "environment " + deployment.envId() + " no longer exists",
                        "Deploy to an existing environment"));
        if (environment.status() != EnvironmentStatus.ACTIVE) {
            throw new PermanentTaskException(
                    "environment " + environment.name() + " is " + environment.status().value(),
                    "Deployments go to active environments only; create a new sandbox or pick another environment");
        }
    }

    /** A rollback's plan: the earlier plan's bytes, checked against the SHA-256 recorded when it was applied. */
    private void pinnedPlan(StepContext context, DeploymentPayload deployment) throws IOException {
        DeploymentPayload.PinnedPlan pinned = deployment.rollback();
        byte[] plan = checkedPlan(pinned.uri(), pinned);
        ArtifactStore.Stored stored = artifacts.write("artifacts", planKey(context), new ByteArrayInputStream(plan));
        context.artifact("plan", stored.uri(), stored.sizeBytes(), stored.sha256(), Map.of(
                "templateId", deployment.templateId(),
                "environmentId", deployment.envId().toString(),
                "namespace", deployment.namespace(),
                "rollbackOf", pinned.taskId().toString()));
        context.log("plan: the plan of task " + pinned.taskId() + " (" + pinned.uri() + ", sha256 " + pinned.sha256()
                + ", unchanged), copied to " + stored.uri());
        context.progress(100, "plan of task " + pinned.taskId() + " pinned");
    }

    /** The bytes at {@code uri}, if their SHA-256 is the pinned one; otherwise the rollback stops here. */
    private byte[] checkedPlan(String uri, DeploymentPayload.PinnedPlan pinned) throws IOException {
        if (!artifacts.exists(uri)) {
            throw new PermanentTaskException("the plan artifact " + uri + " of task " + pinned.taskId()
                    + " is missing", "Roll back to another deployment, or deploy the template again");
        }
        byte[] plan = read(uri);
        String actual = Sha256.hex(plan);
        if (!actual.equals(pinned.sha256())) {
            throw new PermanentTaskException("the plan artifact " + uri + " of task " + pinned.taskId()
                    + " has changed: sha256 " + actual + ", applied as " + pinned.sha256(),
                    "Nothing was applied. Roll back to another deployment, or deploy the template again");
        }
        return plan;
    }

    private void plan(StepContext context, DeploymentPayload deployment) throws IOException {
        if (deployment.rollback() != null) {
            pinnedPlan(context, deployment);
            return;
        }
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
        // a rollback's copy is checked again: it is what the earlier deployment applied, or nothing is applied
        byte[] plan = deployment.rollback() != null ? checkedPlan(uri, deployment.rollback()) : read(uri);
        List<ObjectNode> manifests = ManifestRenderer.fromYaml(new String(plan, StandardCharsets.UTF_8));
        context.log("applying plan " + uri + " (" + manifests.size() + " objects)");
        adapter().apply(context, deployment, manifests);
    }

    /**
     * A preview's last step: the unified diff of its plan against the plan of the environment's last
     * succeeded deployment (the one applied last), stored as the task's {@code diff} artifact and
     * copied into its log. Nothing is applied.
     */
    private void diff(StepContext context, DeploymentPayload deployment) throws IOException {
        List<String> planned = lines(artifacts.uriOf("artifacts", planKey(context)));
        Optional<ArtifactView> applied = tasks
                .list(new TaskQueries.Filter(TaskStatus.SUCCEEDED, TYPE, deployment.envId().toString()), 0, 1)
                .items().stream().findFirst().flatMap(last -> tasks.get(last.id()))
                .flatMap(last -> last.artifacts().stream().filter(a -> "plan".equals(a.kind())).reduce((a, b) -> b));
        List<String> before = applied.isPresent() && artifacts.exists(applied.get().uri())
                ? lines(applied.get().uri())
                : List.of();
        String against = applied.map(a -> "the plan of task " + a.taskId()).orElse("nothing (no deployment yet)");
        // the header lines name their task: compare the manifests only
        List<String> oldManifests = withoutComments(before);
        List<String> newManifests = withoutComments(planned);
        Patch<String> patch = DiffUtils.diff(oldManifests, newManifests);
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(
                applied.map(a -> "applied/" + a.taskId() + "/plan.yaml").orElse("/dev/null"),
                "preview/" + context.taskId() + "/plan.yaml", oldManifests, patch, 3);
        int added = 0;
        int removed = 0;
        for (AbstractDelta<String> delta : patch.getDeltas()) {
            added += delta.getTarget().size();
            removed += delta.getSource().size();
        }
        String text = String.join("\n", unified) + (unified.isEmpty() ? "" : "\n");
        ArtifactStore.Stored stored = artifacts.write("artifacts", context.taskId() + "/plan.diff",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        context.artifact("diff", stored.uri(), stored.sizeBytes(), stored.sha256(), Map.of(
                "against", applied.map(a -> a.taskId().toString()).orElse("none"),
                "environmentId", deployment.envId().toString()));
        if (patch.getDeltas().isEmpty()) {
            context.log("diff against " + against + ": no change (applying this plan would change nothing)");
        } else {
            context.log("diff against " + against + ": +" + added + " -" + removed + " lines");
            unified.stream().limit(DIFF_LOG_LINES).forEach(line -> context.log("diff: " + line));
            if (unified.size() > DIFF_LOG_LINES) {
                context.log("diff: ... " + (unified.size() - DIFF_LOG_LINES) + " more lines in " + stored.uri());
            }
        }
        context.log("preview only: nothing was applied; deploy without dryRun to apply this plan");
        context.progress(100, patch.getDeltas().isEmpty() ? "no change" : "+" + added + " -" + removed + " lines");
    }

    private List<String> lines(String uri) throws IOException {
        return new String(read(uri), StandardCharsets.UTF_8).lines().toList();
    }

    private byte[] read(String uri) throws IOException {
        try (InputStream in = artifacts.open(uri)) {
            return in.readAllBytes();
        }
    }

    private static List<String> withoutComments(List<String> lines) {
        return lines.stream().filter(line -> !line.startsWith("#")).toList();
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
