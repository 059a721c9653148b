package io.cloudops.orchestrator.channel.servicebus;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;

import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.ChannelConfig;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.SessionDispatcher;
import io.quarkus.runtime.StartupEvent;

/**
 * Orchestrator side of the Service Bus channel: a session processor that signals the entity's
 * session and then completes the wake-up (at least once; the database makes a duplicate harmless).
 * Started only when {@code TASK_CHANNEL=servicebus} and this process runs the engine.
 */
@ApplicationScoped
public class ServiceBusSessionConsumer {

    private static final Logger LOG = Logger.getLogger(ServiceBusSessionConsumer.class);

    private final ServiceBusClientFactory factory;
    private final SessionDispatcher dispatcher;
    private final ChannelConfig channel;
    private final EngineConfig engine;
    private volatile ServiceBusProcessorClient processor;

    ServiceBusSessionConsumer(ServiceBusClientFactory factory, SessionDispatcher dispatcher, ChannelConfig channel,
            EngineConfig engine) {
        this.factory = factory;
        this.dispatcher = dispatcher;
        this.channel = channel;
        this.engine = engine;
    }

    void onStart(@Observes StartupEvent event) {
        if (channel.kind() != ChannelConfig.Kind.SERVICEBUS || !engine.enabled()) {
            return;
        }
        ServiceBusClientFactory.Settings settings = factory.settings();
        processor = factory.processor(settings, this::onMessage, this::onError);
        processor.start();
        LOG.infof("Service Bus session processor started: %s", settings);
    }

    void onMessage(ServiceBusReceivedMessageContext context) {
        TaskMessage task;
        try {
            task = ServiceBusMessages.fromBody(context.getMessage().getBody());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Dead-lettering message %s on the task queue: %s", context.getMessage().getMessageId(),
                    e.getMessage());
            context.deadLetter();
            return;
        }
        dispatcher.signal(task.entityId());
        context.complete();
    }

    void onError(ServiceBusErrorContext context) {
        // the processor recovers by itself (reconnects, takes the next session); the sweeper covers the gap
        LOG.warnf("Service Bus processor error (%s): %s", context.getErrorSource(),
                context.getException().getMessage());
    }

    @PreDestroy
    void stop() {
        if (processor != null) {
            processor.close();
        }
    }
}
