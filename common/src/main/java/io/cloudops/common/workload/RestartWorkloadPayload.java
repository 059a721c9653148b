package io.cloudops.common.workload;

import java.util.Map;

/**
 * Payload of a {@code restart_workload} task: a rolling restart of a Deployment, as
 * {@code kubectl rollout restart} does it.
 */
public record RestartWorkloadPayload(
        String namespace,
        String name,
        String kind,
        Map<String, Object> params) {

    public static final String KIND_DEPLOYMENT = "Deployment";
}
