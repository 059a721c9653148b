package io.cloudops.common.task;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Answer of every task-creating endpoint (202, or 200 when an Idempotency-Key replays an earlier request). */
@Schema(name = "TaskAccepted")
public record TaskAccepted(UUID taskId) {
}
