package io.cloudops.common.sandbox;

import java.util.UUID;

/** Payload of a {@code sandbox_expire} task, enqueued by the expiry job when a sandbox is due. */
public record SandboxExpirePayload(
        UUID environmentId,
        UUID projectId,
        String name,
        String namespace) {
}
