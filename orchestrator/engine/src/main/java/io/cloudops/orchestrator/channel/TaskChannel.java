package io.cloudops.orchestrator.channel;

import io.cloudops.common.task.TaskMessage;

/**
 * Where accepted tasks are announced to orchestrators. Implementations: in-process (embedded
 * default), AMQP 1.0 with group-id = entityId, Azure Service Bus sessions. A lost publish is
 * harmless: the database is the queue and the sweeper re-dispatches what nobody holds.
 */
public interface TaskChannel {

    void publish(TaskMessage message);
}
