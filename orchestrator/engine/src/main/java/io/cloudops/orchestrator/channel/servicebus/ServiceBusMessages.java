package io.cloudops.orchestrator.channel.servicebus;

import java.util.UUID;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.TaskMessageCodec;

/** Maps wake-ups to and from Service Bus messages; the same JSON body as on the AMQP channel. */
public final class ServiceBusMessages {

    private ServiceBusMessages() {
    }

    /**
     * A wake-up as a Service Bus message: session id = entityId (per-entity FIFO on the Service Bus
     * side), a fresh message id per publish (so duplicate detection, if the queue has it, never swallows
     * the wake-up of a retry), correlation id = taskId, subject = task type, JSON content type.
     */
    public static ServiceBusMessage toServiceBus(TaskMessage message) {
        return toServiceBus(message, null);
    }

    /** {@link #toServiceBus(TaskMessage)} with the sender's W3C trace context, when it has one. */
    public static ServiceBusMessage toServiceBus(TaskMessage message, String traceparent) {
        ServiceBusMessage out = new ServiceBusMessage(BinaryData.fromBytes(TaskMessageCodec.encode(message)));
        out.setSessionId(message.entityId());
        out.setMessageId(UUID.randomUUID().toString());
        out.setCorrelationId(message.taskId().toString());
        out.setSubject(message.type());
        out.setContentType(TaskChannels.CONTENT_TYPE);
        if (traceparent != null) {
            out.getApplicationProperties().put("traceparent", traceparent);
        }
        return out;
    }

    /** Reads a received wake-up's body; throws {@link IllegalArgumentException} for anything else. */
    public static TaskMessage fromBody(BinaryData body) {
        if (body == null) {
            throw new IllegalArgumentException("empty task message");
        }
        return TaskMessageCodec.decode(body.toBytes());
    }
}
