package io.cloudops.common.workload;

import java.util.Map;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Optional body of {@code POST /api/k8s/workloads/{ns}/{name}:restart}. {@code params} only takes
 * {@code simulate} today (failure injection, demo mode only).
 */
@Schema(name = "RestartWorkloadRequest")
public record RestartWorkloadRequest(
        @Schema(description = "Operation parameters: only simulate (fail | flaky:N) in demo mode") @Size(max = 10) Map<String, Object> params,
        @Schema(description = "Why this request may pass a guard rail that would deny it (docs/change-safety.md, \"Guard rails (CEL)\"): required to override a policy; recorded in the audit log", examples = "hotfix for INC-1234, approved by the on-call lead") @Size(max = 500) String reason) {
}
