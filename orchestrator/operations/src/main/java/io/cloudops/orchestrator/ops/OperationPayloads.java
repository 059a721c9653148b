package io.cloudops.orchestrator.ops;

import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.common.sandbox.SandboxExpirePayload;
import io.cloudops.common.workload.RestartWorkloadPayload;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Handlers read their payloads with Jackson outside of REST, where Quarkus does not see the record
 * types; this registers them for reflection so that the native image can read them too. The
 * payload records live in {@code common}, which has no Quarkus dependency of its own.
 */
@RegisterForReflection(targets = {DeploymentPayload.class, SandboxCreatePayload.class, SandboxExpirePayload.class,
        RestartWorkloadPayload.class})
public final class OperationPayloads {

    private OperationPayloads() {
    }
}
