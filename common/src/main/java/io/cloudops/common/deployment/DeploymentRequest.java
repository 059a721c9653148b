package io.cloudops.common.deployment;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/deployments}: deploy a catalog template with parameters into an
 * environment. {@code params} are checked against the template's declared parameters; besides
 * them only {@code simulate} is accepted (failure injection, demo mode only). With {@code dryRun} the
 * deployment is a preview: its plan and the diff against the last applied plan, nothing applied.
 */
@Schema(name = "DeploymentRequest")
public record DeploymentRequest(
        @Schema(description = "Project of the environment", required = true) @NotNull UUID projectId,
        @Schema(description = "Target environment (the session key: deployments to one environment run one at a time)", required = true) @NotNull UUID envId,
        @Schema(description = "Template id from GET /api/templates", examples = "web-app", required = true) @NotBlank @Size(max = 63) String templateId,
        @Schema(description = "Template parameters by name, e.g. {\"image\": \"nginx:1.27\", \"replicas\": 2}", examples = "{\"image\": \"nginx:1.27\", \"replicas\": 2}") @Size(max = 50) Map<String, Object> params,
        @Schema(description = "Why this request may pass a guard rail that would deny it (docs/change-safety.md, \"Guard rails (CEL)\"): required to override a policy; recorded in the audit log", examples = "hotfix for INC-1234, approved by the on-call lead") @Size(max = 500) String reason,
        @Schema(description = "Preview only: validate and plan, then diff the plan against the environment's last applied plan (steps validate, plan, diff); nothing is applied, and the task runs beside the environment's queue instead of in it") Boolean dryRun) {

    /** A deployment that applies (no preview). */
    public DeploymentRequest(UUID projectId, UUID envId, String templateId, Map<String, Object> params,
            String reason) {
        this(projectId, envId, templateId, params, reason, null);
    }

    public boolean preview() {
        return Boolean.TRUE.equals(dryRun);
    }
}
