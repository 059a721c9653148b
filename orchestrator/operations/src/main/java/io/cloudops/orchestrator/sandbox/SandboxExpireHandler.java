package io.cloudops.orchestrator.sandbox;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.sandbox.SandboxExpirePayload;
import io.cloudops.common.sandbox.SandboxExpiredEvent;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.handler.Payloads;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.ops.EnvironmentStore;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesMode;

/**
 * Expires a sandbox that the expiry job found due: {@code teardown} (delete its namespace),
 * {@code mark-expired} (the environment record), {@code notify} (a {@link SandboxExpiredEvent} for
 * the project's notification routes). Only enqueued by {@link SandboxExpiryScheduler}, with an
 * Idempotency-Key derived from the environment id, so a sandbox expires once.
 */
@ApplicationScoped
public class SandboxExpireHandler implements TaskHandler {

    public static final String TYPE = TaskType.SANDBOX_EXPIRE.type();
    /** Idempotency-Key of a sandbox's expiry task: this prefix and the environment id. */
    public static final String IDEMPOTENCY_KEY_PREFIX = "sandbox-expire:";
    static final String TEARDOWN = "teardown";
    static final String MARK_EXPIRED = "mark-expired";
    static final String NOTIFY = "notify";

    private final EnvironmentStore environments;
    private final KubernetesMode mode;
    private final SimulatedSandboxAdapter simulated;
    private final KubernetesSandboxAdapter kubernetes;
    private final Event<SandboxExpiredEvent> expired;
    private final ObjectMapper json;

    SandboxExpireHandler(EnvironmentStore environments, KubernetesMode mode, SimulatedSandboxAdapter simulated,
            KubernetesSandboxAdapter kubernetes, Event<SandboxExpiredEvent> expired, ObjectMapper json) {
        this.environments = environments;
        this.mode = mode;
        this.simulated = simulated;
        this.kubernetes = kubernetes;
        this.expired = expired;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(StepContext context) throws Exception {
        SandboxExpirePayload sandbox = payload(context);
        switch (context.step()) {
            case TEARDOWN -> mode.choose((SandboxAdapter) simulated, () -> kubernetes).teardown(context,
                    sandbox.namespace());
            case MARK_EXPIRED -> {
                boolean changed = environments.markExpired(sandbox.environmentId());
                context.log(changed
                        ? "sandbox " + sandbox.name() + " marked expired"
                        : "sandbox " + sandbox.name() + " was already expired (or deleted)");
                context.progress(100, "expired");
            }
            case NOTIFY -> {
                expired.fire(new SandboxExpiredEvent(sandbox.environmentId(), sandbox.projectId(), sandbox.name(),
                        sandbox.namespace(), Instant.now(), context.taskId()));
                context.log("sandbox-expired notification emitted");
                context.progress(100, "notified");
            }
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
    }

    private SandboxExpirePayload payload(StepContext context) {
        return Payloads.read(json, context, SandboxExpirePayload.class, "a sandbox expiry",
                "Sandbox expiries are enqueued by the expiry job only");
    }
}
