package io.cloudops.orchestrator.channel.servicebus;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusSenderAsyncClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;

import io.cloudops.orchestrator.channel.ChannelConfig;
import io.cloudops.orchestrator.engine.EngineConfig;

/**
 * Builds the Service Bus clients of the task channel from configuration. Building connects to
 * nothing: the sender connects on its first send, the processor when it is started.
 */
@ApplicationScoped
public class ServiceBusClientFactory {

    /** What the clients are built from. */
    public record Settings(String connectionString, String queueName, int maxConcurrentSessions, int prefetchCount,
            java.time.Duration tryTimeout) {

        /** For logs: never the connection string (it holds the key). */
        @Override
        public String toString() {
            return "Settings[queue=" + queueName + ", maxConcurrentSessions=" + maxConcurrentSessions
                    + ", prefetchCount=" + prefetchCount + "]";
        }
    }

    private final ChannelConfig channel;
    private final EngineConfig engine;

    ServiceBusClientFactory(ChannelConfig channel, EngineConfig engine) {
        this.channel = channel;
        this.engine = engine;
    }

    /** The settings of this process; fails with what to set when the connection string is missing. */
    public Settings settings() {
        return settings(channel.servicebus(), engine);
    }

    static Settings settings(ChannelConfig.Servicebus config, EngineConfig engine) {
        String connectionString = config.connectionString().filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException(
                        "TASK_CHANNEL=servicebus needs AZURE_SERVICEBUS_CONNECTION_STRING (Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...)"));
        return new Settings(connectionString, config.queueName(), engine.maxConcurrentSessions(),
                config.prefetchCount(), config.tryTimeout());
    }

    /** Every operation bounded by the try timeout (the SDK's other retry defaults kept). */
    private static com.azure.core.amqp.AmqpRetryOptions retry(Settings settings) {
        return new com.azure.core.amqp.AmqpRetryOptions().setTryTimeout(settings.tryTimeout());
    }

    public ServiceBusSenderAsyncClient sender(Settings settings) {
        return new ServiceBusClientBuilder()
                .connectionString(settings.connectionString())
                .retryOptions(retry(settings))
                .sender()
                .queueName(settings.queueName())
                .buildAsyncClient();
    }

    /**
     * A session processor: up to {@code MAX_CONCURRENT_SESSIONS} sessions (entities) at once, one
     * message at a time within a session, peek-lock with explicit completion (the handler completes
     * a message after it signalled the dispatcher).
     */
    public ServiceBusProcessorClient processor(Settings settings, Consumer<ServiceBusReceivedMessageContext> onMessage,
            Consumer<ServiceBusErrorContext> onError) {
        return new ServiceBusClientBuilder()
                .connectionString(settings.connectionString())
                .retryOptions(retry(settings))
                .sessionProcessor()
                .queueName(settings.queueName())
                .maxConcurrentSessions(settings.maxConcurrentSessions())
                .maxConcurrentCalls(1)
                .receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
                .disableAutoComplete()
                .prefetchCount(settings.prefetchCount())
                .processMessage(onMessage)
                .processError(onError)
                .buildProcessorClient();
    }
}
