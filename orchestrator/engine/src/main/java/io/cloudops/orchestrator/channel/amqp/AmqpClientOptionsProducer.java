package io.cloudops.orchestrator.channel.amqp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.cloudops.orchestrator.channel.ChannelConfig;
import io.smallrye.common.annotation.Identifier;
import io.vertx.amqp.AmqpClientOptions;

/**
 * The AMQP connection of the task channels, built from the typed {@link ChannelConfig} (so that a
 * broker URL works as well as separate settings) and handed to the SmallRye AMQP connector by name
 * ({@code mp.messaging.connector.smallrye-amqp.client-options-name}). Only created when an AMQP
 * channel is enabled.
 */
@ApplicationScoped
public class AmqpClientOptionsProducer {

    /** The name the connector looks the options up by. */
    public static final String NAME = "cloudops-amqp";

    @Produces
    @Identifier(NAME)
    AmqpClientOptions options(ChannelConfig config) {
        return options(AmqpEndpoint.from(config.amqp()));
    }

    static AmqpClientOptions options(AmqpEndpoint endpoint) {
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setContainerId("cloudops-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        endpoint.username().ifPresent(options::setUsername);
        endpoint.password().ifPresent(options::setPassword);
        return options;
    }
}
