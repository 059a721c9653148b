package io.cloudops.common.task;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/tasks/{id}/approve} and {@code /reject}: why (optional, audited and shown on the task). */
@Schema(name = "ApprovalDecisionRequest")
public record ApprovalDecisionRequest(
        @Schema(description = "Why: shown on the task and in its events, and audited", examples = "checked the diff with the on-call lead") @Size(max = 1000) String comment) {
}
