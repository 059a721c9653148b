package io.cloudops.api.testsupport;

import java.nio.file.Path;
import java.util.Map;

import org.apache.activemq.artemis.core.server.Queue;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An {@link EmbeddedAmqpBroker} for {@code @QuarkusTest}s (working folders under {@code target/}),
 * and the application pointed at it with {@code cloudops.channel.kind=amqp}.
 */
public class AmqpBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    /** The queue the engine's AMQP channel uses in tests. */
    public static final String ADDRESS = EmbeddedAmqpBroker.ADDRESS;

    private static EmbeddedAmqpBroker broker;

    @Override
    public synchronized Map<String, String> start() {
        if (broker == null) {
            broker = EmbeddedAmqpBroker.start(Path.of("target", "artemis").toAbsolutePath());
        }
        return Map.of(
                "cloudops.channel.kind", "amqp",
                "cloudops.channel.amqp.host", "127.0.0.1",
                "cloudops.channel.amqp.port", String.valueOf(broker.port()),
                "cloudops.channel.amqp.address", ADDRESS);
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            try {
                broker.close();
            } finally {
                broker = null;
            }
        }
    }

    /** The port the broker listens on (for a second client in a test). */
    public static synchronized int port() {
        return broker.port();
    }

    /** The broker's task queue (to read counters or reset its message groups from a test). */
    public static synchronized Queue taskQueue() {
        return broker.taskQueue();
    }
}
