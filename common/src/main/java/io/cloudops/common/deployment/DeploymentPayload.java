package io.cloudops.common.deployment;

import java.util.Map;
import java.util.UUID;

/**
 * Payload of a {@code deployment} task, resolved when the request is accepted: the names and the
 * namespace the environment had then, and the parameters with the template's defaults filled in
 * (plus {@code simulate} when it was sent). The task is self-describing: it runs the same way
 * whatever happens to the catalog's defaults later. A rollback ({@code POST /api/deployments/{taskId}/rollback})
 * carries the same payload as the deployment it returns to, plus {@link #rollback}: the plan it applies
 * again, byte for byte, instead of rendering the template anew. A preview ({@code "dryRun": true}) has
 * {@link #dryRun} set: its steps are validate, plan and diff.
 */
public record DeploymentPayload(
        UUID projectId,
        String projectName,
        UUID envId,
        String envName,
        String namespace,
        String templateId,
        Map<String, Object> params,
        PinnedPlan rollback,
        Boolean dryRun) {

    /** A deployment as requested: the plan is rendered from the template and applied. */
    public DeploymentPayload(UUID projectId, String projectName, UUID envId, String envName, String namespace,
            String templateId, Map<String, Object> params) {
        this(projectId, projectName, envId, envName, namespace, templateId, params, null, null);
    }

    /** The same deployment, pinned to the plan artifact {@code plan} of task {@code taskId}. */
    public DeploymentPayload pinnedTo(PinnedPlan plan) {
        return new DeploymentPayload(projectId, projectName, envId, envName, namespace, templateId, params, plan,
                null);
    }

    /** The same deployment as a preview: validate, plan and diff, nothing applied. */
    public DeploymentPayload asPreview() {
        return new DeploymentPayload(projectId, projectName, envId, envName, namespace, templateId, params, null,
                true);
    }

    public boolean preview() {
        return Boolean.TRUE.equals(dryRun);
    }

    /**
     * The earlier deployment's plan a rollback applies: its task, the artifact's URI and the SHA-256 it
     * had when that deployment applied it (checked again before this one applies it).
     */
    public record PinnedPlan(UUID taskId, String uri, String sha256) {
    }
}
