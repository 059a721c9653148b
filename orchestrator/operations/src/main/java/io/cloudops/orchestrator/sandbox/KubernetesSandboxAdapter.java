package io.cloudops.orchestrator.sandbox;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.kubernetes.ClusterNamespaces;

/**
 * Sandboxes on a real cluster: one namespace per sandbox, labelled with its project, environment
 * and the fact that it is a sandbox, deleted (with everything deployed into it) on expiry.
 */
@ApplicationScoped
public class KubernetesSandboxAdapter implements SandboxAdapter {

    private final ClusterNamespaces namespaces;

    KubernetesSandboxAdapter(ClusterNamespaces namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public void provision(StepContext context, SandboxCreatePayload sandbox) {
        namespaces.apply(context, sandbox.namespace(), Map.of(
                "cloudops.io/project", sandbox.projectName(),
                "cloudops.io/environment", sandbox.name(),
                "cloudops.io/environment-id", sandbox.environmentId().toString(),
                "cloudops.io/sandbox", "true"));
        context.progress(100, "provisioned");
    }

    @Override
    public void teardown(StepContext context, String namespace) throws InterruptedException {
        namespaces.delete(context, namespace);
        context.progress(100, "torn down");
    }
}
