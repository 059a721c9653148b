package io.cloudops.orchestrator.ops.kubernetes;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.orchestrator.handler.StepContext;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The namespaces of environments on a real cluster: applied (server-side, so a retry is a no-op and
 * labels set by others stay) before anything is deployed into them, and deleted with a sandbox.
 */
@ApplicationScoped
public class ClusterNamespaces {

    /** Label every object this control plane manages carries. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final RolloutWatcher watcher;

    ClusterNamespaces(KubernetesClient client, KubernetesConfig config, RolloutWatcher watcher) {
        this.client = client;
        this.config = config;
        this.watcher = watcher;
    }

    public void apply(StepContext context, String name, Map<String, String> labels) {
        Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .addToLabels(MANAGED_BY, config.fieldManager()).endMetadata().build();
        try {
            client.resource(namespace).fieldManager(config.fieldManager()).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.classify(e, "applying namespace " + name);
        }
        context.log("namespace/" + name + " serverside-applied");
    }

    /** Deletes the namespace (and so everything in it) and waits until it is gone; absent is fine. */
    public void delete(StepContext context, String name) throws InterruptedException {
        try {
            if (client.namespaces().withName(name).get() == null) {
                context.log("namespace/" + name + " does not exist (already deleted)");
                return;
            }
            client.namespaces().withName(name).delete();
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.classify(e, "deleting namespace " + name);
        }
        context.log("namespace/" + name + " deleted; waiting for its contents to go");
        watcher.awaitNamespaceGone(context, name);
        context.log("namespace/" + name + " is gone");
    }
}
