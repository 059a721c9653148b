package io.cloudops.orchestrator.deployment;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.orchestrator.handler.StepContext;

/**
 * Where deployments go: a simulated cluster or a real one. The handler owns validation and the
 * plan; an adapter only checks that it can reach its target and applies a rendered plan.
 */
public interface DeploymentAdapter {

    /** Part of the validate step: is the target reachable? Transient failures are retried. */
    void check(StepContext context, DeploymentPayload deployment) throws Exception;

    /**
     * The apply step: applies the rendered manifests into {@code deployment.namespace()} and waits
     * until the workloads are ready. Applying the same plan again must be harmless (retries).
     */
    void apply(StepContext context, DeploymentPayload deployment, List<ObjectNode> manifests) throws Exception;
}
