package io.cloudops.orchestrator.ops.kubernetes;

import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Sorts the cluster's answers into what a retry can fix and what it cannot. Refusals (401/403) and
 * rejected objects (400/422) fail the task at once with a hint; outages, throttling and conflicts
 * (no answer, 409, 429, 5xx) are retried by the engine with back-off.
 */
public final class KubernetesErrors {

    private KubernetesErrors() {
    }

    /** A failure of {@code action} (e.g. "applying deployment/web"), ready to be thrown from a step. */
    public static RuntimeException classify(KubernetesClientException e, String action) {
        String reason = reason(e);
        return switch (e.getCode()) {
            case 401, 403 -> new PermanentTaskException(action + " was refused by the cluster: " + reason,
                    "Grant the control plane's Kubernetes identity the RBAC permissions listed in docs/operations.md");
            case 400, 422 -> new PermanentTaskException(action + " was rejected by the cluster: " + reason,
                    "Fix the manifest or its parameters; the plan artifact shows what was sent");
            case 404 -> new PermanentTaskException(action + ": not found: " + reason,
                    "Check the namespace and name (kubectl get) and that the API is served by this cluster");
            default -> new TransientClusterException(action + " failed: " + reason, e);
        };
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The cluster could not be reached or asked us to come back later: the engine retries. */
    public static class TransientClusterException extends RuntimeException {
        public TransientClusterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
