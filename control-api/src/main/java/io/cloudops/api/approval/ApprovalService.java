package io.cloudops.api.approval;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.orchestrator.client.Approvals;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Approve and reject as the signed-in user, for the API and the console alike: the decision and
 * its audit entry ({@value AuditActions#TASK_APPROVE} / {@value AuditActions#TASK_REJECT}) commit
 * together, and the engine ({@link Approvals}) enforces the rules under the task's lock.
 */
@ApplicationScoped
public class ApprovalService {

    private final Approvals approvals;
    private final SecurityIdentity identity;
    private final AuditContext audit;

    ApprovalService(Approvals approvals, SecurityIdentity identity, AuditContext audit) {
        this.approvals = approvals;
        this.identity = identity;
        this.audit = audit;
    }

    public Approvals.Outcome approve(UUID taskId, String comment) {
        return decide(taskId, comment, true);
    }

    public Approvals.Outcome reject(UUID taskId, String comment) {
        return decide(taskId, comment, false);
    }

    private Approvals.Outcome decide(UUID taskId, String comment, boolean approve) {
        String action = approve ? AuditActions.TASK_APPROVE : AuditActions.TASK_REJECT;
        ObjectNode detail = audit.detail();
        if (comment != null && !comment.isBlank()) {
            detail.put("comment", comment.strip());
        }
        String approver = identity.getPrincipal().getName();
        var entry = audit.succeeded(action, AuditActions.TASK, taskId, detail);
        return approve
                ? approvals.approve(taskId, approver, identity.getRoles(), comment, entry)
                : approvals.reject(taskId, approver, identity.getRoles(), comment, entry);
    }
}
