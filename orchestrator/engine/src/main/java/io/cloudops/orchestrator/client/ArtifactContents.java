package io.cloudops.orchestrator.client;

import java.util.Optional;

/**
 * Reads what a task stored as an artifact (a deployment's plan, a preview's diff), for the console
 * and API to show. The artifact stores live with the operations; this is their read side at the
 * client seam, so the control plane shows artifacts without depending on the operations' internals.
 */
public interface ArtifactContents {

    /**
     * The artifact's text (UTF-8) when it is at most {@code maxBytes} long; empty when it is larger,
     * or gone (a store can lose what it kept).
     */
    Optional<String> text(String uri, int maxBytes);
}
