package io.cloudops.common.task;

import java.util.UUID;

/**
 * What travels on the task channel: which task became runnable and its session key. The database
 * holds the task itself; the message only wakes the orchestrator that owns the session
 * ({@code entityId} is the AMQP group-id / Azure Service Bus session id).
 */
public record TaskMessage(UUID taskId, String entityId, String type) {
}
