package io.cloudops.api.guardrail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.orchestrator.client.AuditRecord;
import io.cloudops.orchestrator.client.AuditTrail;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;

/**
 * Guard rails as code: the CEL policies of {@code POLICY_FILE} ({@link PolicyFile}), evaluated for
 * every task-creating request before it is enqueued ({@link io.cloudops.api.task.TaskAcceptance}).
 * Loaded when the application starts: a policy that does not parse or type-check stops it (before
 * Quarkus, {@link io.cloudops.api.CloudOpsMain} refuses with the same message).
 *
 * <p>
 * A request every applicable policy allows goes ahead; the task's {@code task.create} audit entry
 * lists the verdicts. A denied one is a problem ({@value ProblemTypes#POLICY_DENIED}, 403 or 422 as
 * the policy says) naming the policy and its message, and a {@value AuditActions#GUARDRAIL_DENY}
 * entry. A principal with the policy's {@code overridableBy} role who gives a {@code reason}
 * overrides the denial: the task is accepted and its entry records the override and the reason.
 */
@ApplicationScoped
@Startup
public class GuardRails {

    private static final Logger LOG = Logger.getLogger(GuardRails.class);

    private final PolicySet policies;
    private final PolicyFacts facts;
    private final AuditTrail trail;

    GuardRails(GuardRailConfig config, PolicyFacts facts, AuditTrail trail) {
        this.facts = facts;
        this.trail = trail;
        try {
            this.policies = PolicyFile.load(config.file(), config.timeZone());
        } catch (PolicyFile.Invalid e) {
            throw new IllegalStateException("Refusing to start: " + e.getMessage());
        }
        LOG.infof("Guard rails: %d policies from %s (%s), time zone %s", policies.policies().size(),
                policies.origin(), String.join(", ", policies.policies().stream().map(Policy::name).toList()),
                policies.zone().getId());
    }

    /** What a request contributes to its check, taken on the request's thread. */
    public record Check(String taskType, String entityId, JsonNode payload, String principal, Set<String> roles,
            String reason, Instant at) {
    }

    /** The check of a request, or empty when no policy applies to its operation. */
    public Optional<Check> prepare(String taskType, String entityId, JsonNode request, JsonNode payload,
            String principal, Set<String> roles) {
        if (!policies.appliesTo(taskType)) {
            return Optional.empty();
        }
        String reason = request.path("reason").isTextual() ? request.path("reason").asText().strip() : "";
        return Optional.of(new Check(taskType, entityId, payload, principal, Set.copyOf(roles), reason,
                Instant.now()));
    }

    /**
     * Evaluates the policies (blocking: the facts come from the database). Allowed or overridden:
     * the verdicts are added to {@code entry} (the task's {@code task.create} entry). Denied: writes
     * the denial's audit entry in a transaction of its own and throws the problem.
     */
    public void check(Check check, AuditRecord entry) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", check.taskType());
        request.put("entityId", check.entityId());
        JsonNode params = check.payload().path("params");
        request.put("params", params.isObject() ? CelValues.of(params) : Map.of());
        request.put("payload", CelValues.of(check.payload()));
        request.put("dryRun", check.payload().path("dryRun").asBoolean(false));
        request.put("reason", check.reason());
        Map<String, Object> principal = Map.of("name", check.principal(), "roles",
                check.roles().stream().sorted().toList());
        List<PolicySet.Verdict> verdicts = policies.evaluate(check.taskType(), request, principal,
                facts.environment(check.taskType(), check.entityId(), check.payload()),
                facts.database(check.taskType(), check.entityId(), check.payload(), check.at()), check.at());
        ArrayNode audited = JsonNodeFactory.instance.arrayNode();
        List<PolicySet.Verdict> blocking = new ArrayList<>();
        for (PolicySet.Verdict verdict : verdicts) {
            ObjectNode item = audited.addObject().put("policy", verdict.policy().name());
            if (verdict.allowed()) {
                item.put("result", "allowed");
                continue;
            }
            if (verdict.error() != null) {
                item.put("error", verdict.error());
            }
            Optional<String> role = verdict.policy().overridableBy();
            if (role.isPresent() && check.roles().contains(role.get()) && !check.reason().isEmpty()) {
                item.put("result", "overridden").put("overriddenAs", role.get()).put("reason", check.reason());
                LOG.infof("Guard rail %s overridden by %s (%s) for %s on %s: %s", verdict.policy().name(),
                        check.principal(), role.get(), check.taskType(), check.entityId(), check.reason());
            } else {
                item.put("result", "denied").put("message", verdict.policy().message());
                blocking.add(verdict);
            }
        }
        if (blocking.isEmpty()) {
            if (entry.detail() instanceof ObjectNode detail && !audited.isEmpty()) {
                detail.set("guardRails", audited);
                if (!check.reason().isEmpty()) {
                    detail.put("reason", check.reason());
                }
            }
            return;
        }
        PolicySet.Verdict first = blocking.getFirst();
        ApiException problem = problem(first, blocking, check);
        ObjectNode detail = JsonNodeFactory.instance.objectNode().put("taskType", check.taskType())
                .put("entityId", check.entityId()).put("status", problem.status()).put("detail", problem.getMessage());
        detail.set("guardRails", audited);
        if (!check.reason().isEmpty()) {
            detail.put("reason", check.reason());
        }
        AuditRecord denial = new AuditRecord(null, entry.actor(), entry.roles(), AuditActions.GUARDRAIL_DENY,
                AuditActions.POLICY, first.policy().name(), entry.requestId(), entry.sourceAddress(),
                problem.status() == 403 ? AuditOutcome.DENIED : AuditOutcome.REJECTED, detail);
        // the request fails: the entry must not share the fate of a transaction the caller may roll back
        QuarkusTransaction.requiringNew().run(() -> trail.record(denial));
        throw problem;
    }

    private static ApiException problem(PolicySet.Verdict first, List<PolicySet.Verdict> blocking, Check check) {
        Policy policy = first.policy();
        StringBuilder detail = new StringBuilder("Denied by policy ").append(policy.name()).append(": ")
                .append(policy.message());
        if (first.error() != null) {
            detail.append(" (the policy could not be evaluated, so it denies: ").append(first.error()).append(')');
        }
        List<FieldError> errors = null;
        if (policy.overridableBy().isPresent()) {
            String role = policy.overridableBy().get();
            detail.append(". Role ").append(role).append(" may override it with a reason");
            if (check.roles().contains(role)) {
                errors = List.of(new FieldError("reason", "is required to override policy " + policy.name()));
            }
        }
        if (errors == null && policy.field().isPresent()) {
            errors = List.of(new FieldError(policy.field().get(), policy.message()));
        }
        blocking.stream().skip(1).forEach(other -> detail.append("; also denied by policy ")
                .append(other.policy().name()).append(": ").append(other.policy().message()));
        return new ApiException(policy.status(), ProblemTypes.POLICY_DENIED, "Denied by policy", detail.toString(),
                errors);
    }

    /** The loaded policies (for the console and tests). */
    public PolicySet policies() {
        return policies;
    }
}
