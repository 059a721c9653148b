package io.cloudops.orchestrator.channel;

import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;

/**
 * Where the AMQP task channels point when this process does not use AMQP: a source that never
 * emits and a sink that drops (nothing is sent to it: the AMQP publisher is not even created), both
 * connecting to nothing. SmallRye can disable a channel ({@code enabled=false}), but then the
 * {@code @Incoming} method and the emitter are left unconnected and every start logs a wiring
 * warning; pointing the channels here keeps the graph whole and quiet. {@link ChannelSwitch}
 * chooses between this and {@code smallrye-amqp}.
 */
@ApplicationScoped
@Connector(IdleConnector.NAME)
public class IdleConnector implements InboundConnector, OutboundConnector {

    public static final String NAME = "cloudops-idle";

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return Multi.createFrom().nothing();
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        return MultiUtils.via(messages -> messages.onItem().transformToUniAndConcatenate(
                message -> io.smallrye.mutiny.Uni.createFrom().completionStage(message::ack)));
    }
}
