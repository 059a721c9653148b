package io.cloudops.orchestrator.channel.amqp;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.TaskMessageCodec;
import io.cloudops.orchestrator.engine.SessionDispatcher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Orchestrator side of the AMQP channel: a wake-up signals the entity's session and is then
 * acknowledged (at least once: a redelivered wake-up finds nothing new in the database). Thin on
 * purpose and non-blocking ({@link SessionDispatcher#signal} only marks the session ready), so it
 * runs on the connector's event loop; the tasks themselves run on the dispatcher's workers.
 * A message that is not a wake-up is rejected (the broker dead-letters it).
 */
@ApplicationScoped
public class AmqpTaskConsumer {

    private static final Logger LOG = Logger.getLogger(AmqpTaskConsumer.class);

    private final SessionDispatcher dispatcher;

    AmqpTaskConsumer(SessionDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Incoming(TaskChannels.WAKEUPS_IN)
    public CompletionStage<Void> onWakeUp(Message<?> message) {
        TaskMessage task;
        try {
            task = decode(message.getPayload());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Rejected a message on the task channel: %s", e.getMessage());
            return message.nack(e);
        }
        dispatcher.signal(task.entityId());
        return message.ack();
    }

    /** The connector hands over a data section as bytes, or as JSON when the content type says so. */
    static TaskMessage decode(Object payload) {
        return switch (payload) {
            case byte[] bytes -> TaskMessageCodec.decode(bytes);
            case Buffer buffer -> TaskMessageCodec.decode(buffer.getBytes());
            case io.vertx.mutiny.core.buffer.Buffer buffer -> TaskMessageCodec.decode(buffer.getBytes());
            case JsonObject json -> TaskMessageCodec.decode(json.encode());
            case String text -> TaskMessageCodec.decode(text.getBytes(StandardCharsets.UTF_8));
            case null -> throw new IllegalArgumentException("empty task message");
            default -> throw new IllegalArgumentException("unexpected payload " + payload.getClass().getName());
        };
    }
}
