package io.cloudops.orchestrator.channel.amqp;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.cloudops.common.task.TaskChannels;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.channel.TaskMessageCodec;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.smallrye.reactive.messaging.amqp.OutgoingAmqpMetadata;

/**
 * Publishes task wake-ups to an AMQP 1.0 queue. The message's {@code group-id} is the entity, which
 * is what a broker that groups messages (Artemis) or an Azure Service Bus session keys on; the
 * database lease still decides who runs the entity (see docs/channels.md). Fire and forget: the
 * task row is already committed, so a failed send is logged and left to the recovery sweeper, and
 * a broker outage never fails the request that accepted the task (it counts in
 * {@code cloudops_channel_publish_failures_total}). The connector's OpenTelemetry instrumentation
 * carries the accepting request's trace context in the message's application properties.
 */
@ApplicationScoped
@Typed(AmqpTaskChannel.class)
public class AmqpTaskChannel implements TaskChannel {

    private static final Logger LOG = Logger.getLogger(AmqpTaskChannel.class);

    @Inject
    @Channel(TaskChannels.WAKEUPS_OUT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    Emitter<byte[]> emitter;

    @Inject
    EngineMetrics metrics;

    @Override
    public void publish(TaskMessage message) {
        try {
            emitter.send(toAmqp(message).withAck(() -> CompletableFuture.completedFuture(null))
                    .withNack(failure -> {
                        metrics.publishFailure("amqp");
                        LOG.warnf("Wake-up of task %s not accepted by the broker (%s); the sweeper will dispatch it",
                                message.taskId(), failure.getMessage());
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            // buffer full or channel down: the queued row is the outbox, the sweeper picks it up
            metrics.publishFailure("amqp");
            LOG.warnf("Wake-up of task %s not published (%s); the sweeper will dispatch it", message.taskId(),
                    e.getMessage());
        }
    }

    /**
     * The AMQP message of a wake-up: JSON body (a data section), {@code group-id} = entityId,
     * a fresh {@code message-id} per publish (a task is announced again on retry),
     * {@code correlation-id} = taskId, {@code subject} = task type, durable.
     */
    static Message<byte[]> toAmqp(TaskMessage message) {
        OutgoingAmqpMetadata metadata = OutgoingAmqpMetadata.builder()
                .withGroupId(message.entityId())
                .withMessageId(UUID.randomUUID().toString())
                .withCorrelationId(message.taskId().toString())
                .withSubject(message.type())
                .withContentType(TaskChannels.CONTENT_TYPE)
                .withDurable(true)
                .build();
        return Message.of(TaskMessageCodec.encode(message)).addMetadata(metadata);
    }
}
