package io.cloudops.orchestrator.ops.kubernetes;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the real Kubernetes adapters (deployment, sandbox, workload restart). The connection
 * itself (API server, credentials) is the fabric8 client's: {@code KUBECONFIG}, or the service
 * account of the pod when running in a cluster. The service's {@code application.properties} maps
 * the environment variables onto these keys.
 */
@ConfigMapping(prefix = "cloudops.operations.kubernetes")
public interface KubernetesConfig {

    /**
     * {@code KUBERNETES_ENABLED}: {@code true} or {@code false} forces the real adapters on or off
     * when operations are not simulated. Unset: on when {@link #kubeconfig()} or
     * {@link #serviceHost()} shows that a cluster is configured.
     */
    Optional<Boolean> enabled();

    /** {@code KUBECONFIG}: only its presence is used here (the client reads the file itself). */
    Optional<String> kubeconfig();

    /** {@code KUBERNETES_SERVICE_HOST}: set by Kubernetes in every pod, so in-cluster config is there. */
    Optional<String> serviceHost();

    /** Field manager of server-side apply: the owner of the fields this control plane sets. */
    @WithDefault("cloudops")
    String fieldManager();

    /** {@code KUBERNETES_ROLLOUT_TIMEOUT}: how long a rollout (or a namespace deletion) may take. */
    @WithDefault("5m")
    Duration rolloutTimeout();

    /** How often a rollout's status is read while waiting for it. */
    @WithDefault("2s")
    Duration pollInterval();
}
