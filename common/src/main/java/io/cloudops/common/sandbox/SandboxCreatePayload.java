package io.cloudops.common.sandbox;

import java.util.Map;
import java.util.UUID;

/**
 * Payload of a {@code sandbox_create} task. The environment id and name are chosen when the request
 * is accepted, so that every attempt of the task creates (or finds) the same record.
 */
public record SandboxCreatePayload(
        UUID environmentId,
        UUID projectId,
        String projectName,
        String name,
        String namespace,
        int ttlMinutes,
        Map<String, Object> params) {
}
