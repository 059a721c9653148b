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
        @Schema(description = "Operation parameters: only simulate (fail | flaky:N) in demo mode") @Size(max = 10) Map<String, Object> params) {
}
