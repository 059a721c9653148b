package io.cloudops.api.approval;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.api.guardrail.PolicyFacts;
import io.cloudops.orchestrator.client.ApprovalConfig;
import io.cloudops.orchestrator.client.TaskSubmitter;

/**
 * Which requests need approval before their task may start ({@code APPROVAL_*},
 * docs/change-safety.md "Approvals"): an operation named in {@code APPROVAL_OPERATIONS} whose
 * environment matches an entry of {@code APPROVAL_ENVIRONMENTS} by type, by
 * {@code <project>/<environment>} or by entity id, or as a prefix of either when the entry ends
 * in {@code *} ({@code payments/*}: every workload of namespace payments). A dry run changes nothing and needs none. The
 * environment is the one the guard rails see ({@link PolicyFacts}).
 */
@ApplicationScoped
public class ApprovalPolicy {

    private final ApprovalConfig config;
    private final PolicyFacts facts;

    ApprovalPolicy(ApprovalConfig config, PolicyFacts facts) {
        this.config = config;
        this.facts = facts;
    }

    /** What the task needs before it may start, or empty (blocking: the environment may be looked up). */
    public Optional<TaskSubmitter.Approval> required(String taskType, String entityId, JsonNode payload) {
        if (!config.enabled() || !config.operations().contains(taskType)
                || payload.path("dryRun").asBoolean(false)) {
            return Optional.empty();
        }
        Map<String, Object> environment = facts.environment(taskType, entityId, payload);
        String qualified = environment.get("project") + "/" + environment.get("name");
        boolean matches = config.environments().stream().anyMatch(entry -> entry.endsWith("*")
                ? startsWith(entityId, entry) || startsWith(qualified, entry)
                : entry.equals(environment.get("type")) || entry.equals(qualified) || entry.equals(entityId)
                        || entry.equals(environment.get("id")));
        return matches
                ? Optional.of(new TaskSubmitter.Approval(config.count(), config.approverRole(), config.timeout()))
                : Optional.empty();
    }

    private static boolean startsWith(String value, String prefixAndStar) {
        return value.startsWith(prefixAndStar.substring(0, prefixAndStar.length() - 1));
    }

    public ApprovalConfig config() {
        return config;
    }
}
