package io.cloudops.common.task;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a task that needs approval asks for, and the decisions so far (docs/change-safety.md,
 * "Approvals"). Fixed when the task was accepted.
 */
@Schema(name = "Approval")
public record ApprovalView(
        @Schema(description = "Approvals the task needs, each from a different approver") int required,
        @Schema(description = "Approvals given so far") int approved,
        @Schema(description = "The role an approver must have") String approverRole,
        @Schema(description = "When a task still awaiting approval is rejected (a timeout never approves)") Instant deadline,
        @Schema(description = "Every decision, oldest first") List<Decision> decisions) {

    /** One approver's decision. */
    @Schema(name = "ApprovalDecision")
    public record Decision(String approver,
            @Schema(enumeration = {
                    "approved", "rejected"}) String decision,
            @Schema(nullable = true) String comment,
            Instant decidedAt){
    }
}
