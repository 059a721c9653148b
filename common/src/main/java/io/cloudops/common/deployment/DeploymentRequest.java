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
 * them only {@code simulate} is accepted (failure injection, demo mode only).
 */
@Schema(name = "DeploymentRequest")
public record DeploymentRequest(
        @Schema(description = "Project of the environment", required = true) @NotNull UUID projectId,
        @Schema(description = "Target environment (the session key: deployments to one environment run one at a time)", required = true) @NotNull UUID envId,
        @Schema(description = "Template id from GET /api/templates", examples = "web-app", required = true) @NotBlank @Size(max = 63) String templateId,
        @Schema(description = "Template parameters by name, e.g. {\"image\": \"nginx:1.27\", \"replicas\": 2}", examples = "{\"image\": \"nginx:1.27\", \"replicas\": 2}") @Size(max = 50) Map<String, Object> params,
        @Schema(description = "Why this request may pass a guard rail that would deny it (docs/change-safety.md, \"Guard rails (CEL)\"): required to override a policy; recorded in the audit log", examples = "hotfix for INC-1234, approved by the on-call lead") @Size(max = 500) String reason) {
}
