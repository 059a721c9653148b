package io.cloudops.orchestrator.sandbox;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.handler.Payloads;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.ops.EnvironmentStore;
import io.cloudops.orchestrator.ops.Simulation;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesMode;

/**
 * Creates a sandbox: {@code create-record} (the environment row, with the id chosen at acceptance,
 * so a retry finds instead of duplicates it; the TTL starts here), {@code provision} (the
 * namespace), {@code schedule-expiry} (confirms the expiry the expiry job will act on). The
 * session key is the sandbox's environment id, which its expiry task shares: an expiry can never
 * overtake the creation.
 */
@ApplicationScoped
public class SandboxCreateHandler implements TaskHandler {

    public static final String TYPE = TaskType.SANDBOX_CREATE.type();
    static final String CREATE_RECORD = "create-record";
    static final String PROVISION = "provision";
    static final String SCHEDULE_EXPIRY = "schedule-expiry";

    private final EnvironmentStore environments;
    private final Simulation simulation;
    private final KubernetesMode mode;
    private final SimulatedSandboxAdapter simulated;
    private final KubernetesSandboxAdapter kubernetes;
    private final SandboxConfig config;
    private final ObjectMapper json;

    SandboxCreateHandler(EnvironmentStore environments, Simulation simulation, KubernetesMode mode,
            SimulatedSandboxAdapter simulated, KubernetesSandboxAdapter kubernetes, SandboxConfig config,
            ObjectMapper json) {
        this.environments = environments;
        this.simulation = simulation;
        this.mode = mode;
        this.simulated = simulated;
        this.kubernetes = kubernetes;
        this.config = config;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(StepContext context) throws Exception {
        SandboxCreatePayload sandbox = payload(context);
        switch (context.step()) {
            case CREATE_RECORD -> createRecord(context, sandbox);
            case PROVISION -> {
                simulation.maybeFail(context, json.valueToTree(sandbox.params()));
                requireActive(sandbox);
                mode.choose((SandboxAdapter) simulated, () -> kubernetes).provision(context, sandbox);
            }
            case SCHEDULE_EXPIRY -> scheduleExpiry(context, sandbox);
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
    }

    private void createRecord(StepContext context, SandboxCreatePayload sandbox) {
        switch (environments.createSandbox(sandbox.environmentId(), sandbox.projectId(), sandbox.name(),
                sandbox.ttlMinutes())) {
            case CREATED -> context.log("environment " + sandbox.projectName() + "/" + sandbox.name()
                    + " created (type sandbox, TTL " + sandbox.ttlMinutes() + " min)");
            case ALREADY_EXISTS -> context.log("environment " + sandbox.projectName() + "/" + sandbox.name()
                    + " already exists (created by an earlier attempt)");
            case PROJECT_GONE -> throw new PermanentTaskException(
                    "project " + sandbox.projectName() + " was deleted before its sandbox was created",
                    "Create the sandbox in an existing project");
            case NAME_TAKEN -> throw new PermanentTaskException(
                    "project " + sandbox.projectName() + " already has an environment named " + sandbox.name(),
                    "Request a new sandbox: it gets a new name");
        }
        context.progress(100, "record created");
    }

    private void scheduleExpiry(StepContext context, SandboxCreatePayload sandbox) {
        EnvironmentStore.EnvironmentRecord environment = requireActive(sandbox);
        Duration left = Duration.between(Instant.now(), environment.expiresAt());
        context.log("sandbox expires at " + environment.expiresAt() + " (in " + Math.max(0, left.toMinutes())
                + " min); the expiry job (every " + config.expiryCheckInterval().toSeconds()
                + " s) tears it down then");
        context.progress(100, "expires at " + environment.expiresAt());
    }

    private EnvironmentStore.EnvironmentRecord requireActive(SandboxCreatePayload sandbox) {
        EnvironmentStore.EnvironmentRecord environment = environments.find(sandbox.environmentId())
                .orElseThrow(() -> new PermanentTaskException("sandbox " + sandbox.name() + " was deleted",
                        "Request a new sandbox"));
        if (environment.status() != EnvironmentStatus.ACTIVE) {
            throw new PermanentTaskException("sandbox " + sandbox.name() + " is already "
                    + environment.status().value(), "Request a new sandbox, or a longer TTL");
        }
        return environment;
    }

    private SandboxCreatePayload payload(StepContext context) {
        return Payloads.read(json, context, SandboxCreatePayload.class, "a sandbox request",
                "Request sandboxes through POST /api/sandboxes");
    }
}
