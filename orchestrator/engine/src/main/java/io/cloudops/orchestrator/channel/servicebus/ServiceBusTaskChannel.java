package io.cloudops.orchestrator.channel.servicebus;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.jboss.logging.Logger;

import com.azure.messaging.servicebus.ServiceBusSenderAsyncClient;

import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.TaskChannel;

/**
 * Publishes task wake-ups to an Azure Service Bus queue with sessions (session id = entityId).
 * Asynchronous and fire-and-forget like the AMQP channel: the task row is the outbox, a failed send
 * is logged and recovered by the sweeper. Created only when {@code TASK_CHANNEL=servicebus}.
 */
@ApplicationScoped
@Typed(ServiceBusTaskChannel.class)
public class ServiceBusTaskChannel implements TaskChannel {

    private static final Logger LOG = Logger.getLogger(ServiceBusTaskChannel.class);

    private final ServiceBusSenderAsyncClient sender;

    ServiceBusTaskChannel(ServiceBusClientFactory factory) {
        this.sender = factory.sender(factory.settings());
    }

    @Override
    public void publish(TaskMessage message) {
        sender.sendMessage(ServiceBusMessages.toServiceBus(message)).subscribe(null,
                failure -> LOG.warnf("Wake-up of task %s not sent to Service Bus (%s); the sweeper will dispatch it",
                        message.taskId(), failure.getMessage()));
    }

    @PreDestroy
    void close() {
        sender.close();
    }
}
