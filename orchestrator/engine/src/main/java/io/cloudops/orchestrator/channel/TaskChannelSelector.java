package io.cloudops.orchestrator.channel;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.channel.amqp.AmqpTaskChannel;
import io.cloudops.orchestrator.channel.servicebus.ServiceBusTaskChannel;
import io.quarkus.runtime.StartupEvent;

/**
 * Picks the task channel at run time from {@code cloudops.channel.kind} ({@code TASK_CHANNEL}),
 * so one build runs as the embedded single process or against a broker. CDI decides beans at build
 * time, so the choice is a producer that hands out one of the implementations; the broker-backed
 * ones are looked up lazily and never created (nor connected) unless chosen.
 * {@link InMemoryTaskChannel} stays the default bean of its own type.
 */
@ApplicationScoped
public class TaskChannelSelector {

    private static final Logger LOG = Logger.getLogger(TaskChannelSelector.class);

    private final ChannelConfig config;

    TaskChannelSelector(ChannelConfig config) {
        this.config = config;
    }

    @Produces
    @ApplicationScoped
    TaskChannel taskChannel(InMemoryTaskChannel inMemory, Instance<AmqpTaskChannel> amqp,
            Instance<ServiceBusTaskChannel> serviceBus) {
        return switch (config.kind()) {
            case IN_MEMORY -> inMemory;
            case AMQP -> amqp.get();
            case SERVICEBUS -> serviceBus.get();
        };
    }

    void logChoice(@Observes StartupEvent event) {
        switch (config.kind()) {
            case IN_MEMORY -> LOG.info("Task channel: in-memory (single process)");
            case AMQP -> LOG.infof("Task channel: AMQP 1.0, address %s", config.amqp().address());
            case SERVICEBUS -> LOG.infof("Task channel: Azure Service Bus, queue %s", config.servicebus().queueName());
        }
    }
}
