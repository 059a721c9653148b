package io.cloudops.orchestrator.ops.kubernetes;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.ops.OperationsConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Decides which adapter the Kubernetes operations use: the simulated one (demo mode, the default),
 * the fabric8 one when operations are real and a cluster is configured, or none (real operations
 * without a cluster: the task fails at once and says how to configure one). One place, so every
 * handler decides the same way and the log says at start which it is.
 */
@ApplicationScoped
public class KubernetesMode {

    private static final Logger LOG = Logger.getLogger(KubernetesMode.class);

    /** What the Kubernetes operations talk to. */
    public enum Target {
        SIMULATED, CLUSTER, UNCONFIGURED
    }

    private final OperationsConfig operations;
    private final KubernetesConfig kubernetes;

    KubernetesMode(OperationsConfig operations, KubernetesConfig kubernetes) {
        this.operations = operations;
        this.kubernetes = kubernetes;
    }

    void onStart(@Observes StartupEvent event) {
        switch (target()) {
            case SIMULATED -> LOG.info("Kubernetes operations: simulated adapters");
            case CLUSTER -> LOG.infof("Kubernetes operations: real cluster (%s), field manager '%s'", source(),
                    kubernetes.fieldManager());
            case UNCONFIGURED -> LOG.warn("Kubernetes operations are not simulated but no cluster is configured: "
                    + "deployments, sandboxes and restarts will fail until KUBECONFIG or in-cluster config is present");
        }
    }

    public Target target() {
        if (operations.simulated()) {
            return Target.SIMULATED;
        }
        boolean detected = kubernetes.kubeconfig().isPresent() || kubernetes.serviceHost().isPresent();
        return kubernetes.enabled().orElse(detected) ? Target.CLUSTER : Target.UNCONFIGURED;
    }

    /** The simulated adapter or the cluster one; a permanent task failure when neither applies. */
    public <T> T choose(T simulated, Supplier<T> cluster) {
        return switch (target()) {
            case SIMULATED -> simulated;
            case CLUSTER -> cluster.get();
            case UNCONFIGURED -> throw new PermanentTaskException("no Kubernetes cluster is configured",
                    "Set KUBECONFIG (or run inside a cluster), or KUBERNETES_ENABLED=true; "
                            + "or run with simulated operations (SIMULATED_OPERATIONS=true)");
        };
    }

    private String source() {
        if (kubernetes.kubeconfig().isPresent()) {
            return "KUBECONFIG";
        }
        return kubernetes.serviceHost().isPresent() ? "in-cluster service account" : "client defaults";
    }
}
