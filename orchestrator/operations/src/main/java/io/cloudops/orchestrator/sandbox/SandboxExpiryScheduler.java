package io.cloudops.orchestrator.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.project.EnvironmentNamespace;
import io.cloudops.common.sandbox.SandboxExpirePayload;
import io.cloudops.common.task.EntityLabels;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.ops.EnvironmentStore;
import io.quarkus.scheduler.Scheduled;

/**
 * Finds sandboxes past their {@code expiresAt} and enqueues a {@code sandbox_expire} task for each.
 * Safe with any number of instances: moving a sandbox from {@code active} to {@code expiring} is a
 * conditional UPDATE that only one instance wins, and only the winner enqueues. The enqueue carries
 * the Idempotency-Key {@code sandbox-expire:<environment id>}, so a sandbox left {@code expiring}
 * by an instance that died before enqueueing is picked up on a later check without ever getting
 * two expiry tasks. The task is labelled with the sandbox's readable name ({@code <project>/<name>},
 * {@link EntityLabels}), which its payload does not carry whole.
 */
@ApplicationScoped
public class SandboxExpiryScheduler {

    private static final Logger LOG = Logger.getLogger(SandboxExpiryScheduler.class);
    static final String REQUESTED_BY = "system:sandbox-expiry";

    private final EnvironmentStore environments;
    private final TaskSubmitter submitter;
    private final SandboxConfig config;
    private final ObjectMapper json;

    SandboxExpiryScheduler(EnvironmentStore environments, TaskSubmitter submitter, SandboxConfig config,
            ObjectMapper json) {
        this.environments = environments;
        this.submitter = submitter;
        this.config = config;
        this.json = json;
    }

    @Scheduled(every = "${cloudops.operations.sandbox.expiry-check-interval:30s}", delayed = "${cloudops.operations.sandbox.expiry-check-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            expireDue();
        } catch (RuntimeException e) {
            LOG.warnf("Sandbox expiry check failed (will try again): %s", e.getMessage());
        }
    }

    /** Claims due sandboxes and enqueues their expiry; returns the sandboxes it enqueued for. */
    public List<UUID> expireDue() {
        Map<UUID, EnvironmentStore.DueSandbox> due = new LinkedHashMap<>();
        environments.claimDueSandboxes(config.expiryBatchSize()).forEach(s -> due.put(s.id(), s));
        environments.expiringWithoutTask(SandboxExpireHandler.IDEMPOTENCY_KEY_PREFIX, config.expiryBatchSize())
                .forEach(s -> due.putIfAbsent(s.id(), s));
        for (EnvironmentStore.DueSandbox sandbox : due.values()) {
            enqueue(sandbox);
        }
        return List.copyOf(due.keySet());
    }

    private void enqueue(EnvironmentStore.DueSandbox sandbox) {
        SandboxExpirePayload payload = new SandboxExpirePayload(sandbox.id(), sandbox.projectId(), sandbox.name(),
                EnvironmentNamespace.of(sandbox.projectName(), sandbox.name()));
        String key = SandboxExpireHandler.IDEMPOTENCY_KEY_PREFIX + sandbox.id();
        TaskSubmitter.Accepted accepted = submitter.submit(new TaskSubmitter.Submission(SandboxExpireHandler.TYPE,
                sandbox.id().toString(), json.valueToTree(payload), REQUESTED_BY, null, key,
                SandboxExpireHandler.TYPE + " " + sandbox.id())
                .withEntityLabel(EntityLabels.environment(sandbox.projectName(), sandbox.name())));
        if (accepted.created()) {
            LOG.infof("Sandbox %s/%s expired: teardown task %s", sandbox.projectName(), sandbox.name(),
                    accepted.taskId());
        }
    }
}
