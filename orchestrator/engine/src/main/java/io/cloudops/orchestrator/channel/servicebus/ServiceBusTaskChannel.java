package io.cloudops.orchestrator.channel.servicebus;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import com.azure.messaging.servicebus.ServiceBusSenderAsyncClient;

import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.cloudops.orchestrator.telemetry.TaskTracing;

/**
 * Publishes task wake-ups to an Azure Service Bus queue with sessions (session id = entityId).
 * Asynchronous and fire-and-forget like the AMQP channel: the task row is the outbox, a failed send
 * is logged, counted ({@code cloudops_channel_publish_failures_total}) and recovered by the sweeper.
 * The accepting request's trace context travels as the {@code traceparent} application property.
 * Created only when {@code TASK_CHANNEL=servicebus}.
 */
@ApplicationScoped
@Typed(ServiceBusTaskChannel.class)
public class ServiceBusTaskChannel implements TaskChannel {

    private static final Logger LOG = Logger.getLogger(ServiceBusTaskChannel.class);

    private final ServiceBusSenderAsyncClient sender;
    private final EngineMetrics metrics;
    private final TaskTracing tracing;

    ServiceBusTaskChannel(ServiceBusClientFactory factory, EngineMetrics metrics, TaskTracing tracing) {
        this.sender = factory.sender(factory.settings());
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void publish(TaskMessage message) {
        sender.sendMessage(ServiceBusMessages.toServiceBus(message, tracing.currentTraceparent())).subscribe(null,
                failure -> {
                    metrics.publishFailure("servicebus");
                    LOG.warnf("Wake-up of task %s not sent to Service Bus (%s); the sweeper will dispatch it",
                            message.taskId(), failure.getMessage());
                });
    }

    @PreDestroy
    void close() {
        sender.close();
    }
}
