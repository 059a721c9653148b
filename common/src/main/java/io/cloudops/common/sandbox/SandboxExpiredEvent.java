package io.cloudops.common.sandbox;

import java.time.Instant;
import java.util.UUID;

/**
 * Fired (as a CDI event) when a sandbox was torn down and marked expired, for the notification
 * routes of its project. Delivered at least once: a retried task may fire it again.
 */
public record SandboxExpiredEvent(
        UUID environmentId,
        UUID projectId,
        String name,
        String namespace,
        Instant expiredAt,
        UUID taskId) {
}
