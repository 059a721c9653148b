package io.cloudops.orchestrator.client;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Approvals (docs/change-safety.md, "Approvals"): which tasks wait for approvers before they may
 * start, how many approvals they need, from whom, and how long they wait. The engine library's
 * {@code META-INF/microprofile-config.properties} maps {@code APPROVAL_*} onto these keys.
 */
@ConfigMapping(prefix = "cloudops.approval")
public interface ApprovalConfig {

    /** The value of {@link #environments()} that switches approvals off. */
    String NONE = "none";

    /**
     * {@code APPROVAL_ENVIRONMENTS}: what needs approval, each entry an environment type ({@code prod},
     * {@code stage}, ...), an environment as {@code <project>/<environment>} ({@code demo/prod}), or an
     * entity id ({@code azure-postgres/orders}, {@code payments/api}), or a prefix of either ending in
     * {@code *} ({@code payments/*}); {@code none} for no approvals.
     */
    @WithDefault("prod")
    List<String> environments();

    /** {@code APPROVAL_OPERATIONS}: the task types that need approval in those environments. */
    @WithDefault("deployment,db_restore,restart_workload")
    List<String> operations();

    /** {@code APPROVAL_COUNT}: approvals a task needs, each from a different approver. */
    @WithDefault("1")
    int count();

    /** {@code APPROVER_ROLE}: the role an approver must have ({@code operator} or {@code admin}). */
    @WithDefault("admin")
    String approverRole();

    /** {@code APPROVAL_TIMEOUT}: a task with no decision this long after it was accepted is rejected. */
    @WithDefault("24h")
    Duration timeout();

    /** Whether approvals are on at all. */
    default boolean enabled() {
        return !environments().isEmpty() && !(environments().size() == 1 && NONE.equals(environments().getFirst()));
    }
}
