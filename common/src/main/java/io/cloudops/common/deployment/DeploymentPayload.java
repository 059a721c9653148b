package io.cloudops.common.deployment;

import java.util.Map;
import java.util.UUID;

/**
 * Payload of a {@code deployment} task, resolved when the request is accepted: the names and the
 * namespace the environment had then, and the parameters with the template's defaults filled in
 * (plus {@code simulate} when it was sent). The task is self-describing: it runs the same way
 * whatever happens to the catalog's defaults later.
 */
public record DeploymentPayload(
        UUID projectId,
        String projectName,
        UUID envId,
        String envName,
        String namespace,
        String templateId,
        Map<String, Object> params) {
}
