package io.cloudops.orchestrator.channel;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Which task channel this process uses and how it reaches the broker. The service's
 * {@code application.properties} maps the product's environment variables ({@code TASK_CHANNEL},
 * {@code AMQP_*}, {@code AZURE_SERVICEBUS_CONNECTION_STRING}) onto these keys. Whatever the kind,
 * the database stays the queue: the channel only wakes the orchestrator that should run a session.
 */
@ConfigMapping(prefix = "cloudops.channel")
public interface ChannelConfig {

    /** The three channels, by their configuration value. */
    enum Kind {
        /** One process: control-api and orchestrator share the JVM (the embedded default). */
        IN_MEMORY,
        /** AMQP 1.0 broker (ActiveMQ Artemis, ...) with group-id = entityId. */
        AMQP,
        /** Azure Service Bus queue with sessions, session id = entityId. */
        SERVICEBUS;

        /** The value as written in configuration: {@code in-memory}, {@code amqp}, {@code servicebus}. */
        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code TASK_CHANNEL}: {@code in-memory} (default), {@code amqp} or {@code servicebus}. */
    @WithDefault("in-memory")
    Kind kind();

    /** Settings of the AMQP 1.0 channel (used when {@link #kind()} is {@code amqp}). */
    Amqp amqp();

    /** Settings of the Azure Service Bus channel (used when {@link #kind()} is {@code servicebus}). */
    Servicebus servicebus();

    interface Amqp {
        /**
         * {@code AMQP_URL}: the broker as one URL, {@code amqp[s]://[user[:password]@]host[:port]}.
         * When set it wins over host, port, username, password and use-ssl.
         */
        Optional<String> url();

        /** {@code AMQP_HOST}: broker host. */
        @WithDefault("localhost")
        String host();

        /** {@code AMQP_PORT}: broker port (5672, or 5671 for TLS). */
        @WithDefault("5672")
        int port();

        /** {@code AMQP_USERNAME}: SASL user; unset means anonymous. */
        Optional<String> username();

        /** {@code AMQP_PASSWORD}: SASL password. */
        Optional<String> password();

        /** {@code AMQP_USE_SSL}: connect with TLS. */
        @WithDefault("false")
        boolean useSsl();

        /** {@code AMQP_ADDRESS}: the anycast queue that carries task wake-ups. */
        @WithDefault("cloudops.task-wakeups")
        String address();
    }

    interface Servicebus {
        /** {@code AZURE_SERVICEBUS_CONNECTION_STRING}: namespace connection string (a secret: never logged). */
        Optional<String> connectionString();

        /** {@code SERVICEBUS_QUEUE}: the queue, created with sessions enabled. */
        @WithDefault("task-wakeups")
        String queueName();

        /**
         * {@code SERVICEBUS_PREFETCH}: messages a session receiver fetches ahead. 0 keeps a message
         * locked only while it is handled, which is what a wake-up wants.
         */
        @WithDefault("0")
        int prefetchCount();

        /**
         * {@code SERVICEBUS_TRY_TIMEOUT}: the longest one operation on the namespace (a send, a receive,
         * a settlement) waits before it is retried or fails.
         */
        @WithDefault("30s")
        java.time.Duration tryTimeout();
    }
}
