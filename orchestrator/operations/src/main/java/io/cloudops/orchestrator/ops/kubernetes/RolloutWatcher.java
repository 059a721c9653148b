package io.cloudops.orchestrator.ops.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.Waiting;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Waits for a Deployment's rollout to finish (or for a namespace to be gone), polling the API
 * server, logging each change of state, honouring cancel, and failing the task with a hint when
 * the rollout fails or outlasts {@code KUBERNETES_ROLLOUT_TIMEOUT}. Used by deployments and
 * workload restarts, which both end with "wait until ready".
 */
@ApplicationScoped
public class RolloutWatcher {

    private final KubernetesClient client;
    private final KubernetesConfig config;

    RolloutWatcher(KubernetesClient client, KubernetesConfig config) {
        this.client = client;
        this.config = config;
    }

    public void awaitDeployment(StepContext context, String namespace, String name) throws InterruptedException {
        long deadline = System.nanoTime() + config.rolloutTimeout().toNanos();
        String last = null;
        while (true) {
            Deployment deployment = get(namespace, name);
            if (deployment == null) {
                throw new PermanentTaskException("deployment/" + name + " disappeared from namespace " + namespace
                        + " during its rollout", "Someone deleted it; run the operation again to recreate it");
            }
            RolloutStatus status = RolloutStatus.of(deployment);
            if (!status.message().equals(last)) {
                context.log(status.message());
                last = status.message();
            }
            if (status.complete()) {
                return;
            }
            if (status.failed()) {
                throw new PermanentTaskException(status.message(), hint(namespace, name));
            }
            if (System.nanoTime() > deadline) {
                throw new PermanentTaskException("deployment/" + name + " was not ready after "
                        + config.rolloutTimeout().toSeconds() + " s (" + status.message() + ")",
                        hint(namespace, name));
            }
            Waiting.pause(context, config.pollInterval());
        }
    }

    /** Waits until the namespace no longer exists (Kubernetes deletes its contents first). */
    public void awaitNamespaceGone(StepContext context, String namespace) throws InterruptedException {
        long deadline = System.nanoTime() + config.rolloutTimeout().toNanos();
        while (true) {
            try {
                if (client.namespaces().withName(namespace).get() == null) {
                    return;
                }
            } catch (KubernetesClientException e) {
                throw KubernetesErrors.classify(e, "reading namespace " + namespace);
            }
            if (System.nanoTime() > deadline) {
                throw new KubernetesErrors.TransientClusterException("namespace " + namespace
                        + " is still terminating after " + config.rolloutTimeout().toSeconds() + " s", null);
            }
            Waiting.pause(context, config.pollInterval());
        }
    }

    private Deployment get(String namespace, String name) {
        try {
            return client.apps().deployments().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.classify(e, "reading deployment/" + name);
        }
    }

    private static String hint(String namespace, String name) {
        return "Look at the pods: kubectl -n " + namespace + " rollout status deployment/" + name + "; kubectl -n "
                + namespace + " describe pods (image pull errors, crash loops, failing readiness probes)";
    }
}
