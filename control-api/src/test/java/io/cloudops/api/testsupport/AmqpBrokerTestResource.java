package io.cloudops.api.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real ActiveMQ Artemis broker in the test JVM, speaking AMQP 1.0 on a free loopback port, with
 * the task queue pre-created as an anycast queue (Artemis' defaults would auto-create a multicast
 * address, where every consumer gets every message). Nothing is persisted: the journal is off, and
 * the directories Artemis insists on live under {@code target/}. Points the application at it with
 * {@code cloudops.channel.kind=amqp}.
 */
public class AmqpBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    /** The queue the engine's AMQP channel uses in tests. */
    public static final String ADDRESS = "cloudops.task-wakeups";

    private static EmbeddedActiveMQ broker;
    private static int port;

    @Override
    public synchronized Map<String, String> start() {
        if (broker == null) {
            port = freePort();
            Path dir = Path.of("target", "artemis").toAbsolutePath();
            Configuration config = new ConfigurationImpl()
                    .setName("cloudops-test-broker")
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .setJMXManagementEnabled(false)
                    .setCriticalAnalyzer(false)
                    .setBindingsDirectory(dir.resolve("bindings").toString())
                    .setJournalDirectory(dir.resolve("journal").toString())
                    .setPagingDirectory(dir.resolve("paging").toString())
                    .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                    // rejected wake-ups go to a dead-letter queue, as in production
                    .addAddressSetting(ADDRESS, new AddressSettings().setDeadLetterAddress(SimpleString.of("DLQ"))
                            .setExpiryAddress(SimpleString.of("ExpiryQueue")).setAutoCreateDeadLetterResources(true))
                    .addQueueConfiguration(QueueConfiguration.of(ADDRESS).setAddress(ADDRESS)
                            .setRoutingType(RoutingType.ANYCAST).setDurable(true));
            config.setBrokerInstance(dir.toFile());
            try {
                config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
                broker = new EmbeddedActiveMQ().setConfiguration(config);
                broker.start();
            } catch (Exception e) {
                throw new IllegalStateException("embedded Artemis did not start", e);
            }
        }
        return Map.of(
                "cloudops.channel.kind", "amqp",
                "cloudops.channel.amqp.host", "127.0.0.1",
                "cloudops.channel.amqp.port", String.valueOf(port),
                "cloudops.channel.amqp.address", ADDRESS);
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            try {
                broker.stop();
            } catch (Exception e) {
                throw new IllegalStateException("embedded Artemis did not stop", e);
            } finally {
                broker = null;
            }
        }
    }

    /** The port the broker listens on (for a second client in a test). */
    public static synchronized int port() {
        return port;
    }

    /** The broker's task queue (to read counters or reset its message groups from a test). */
    public static synchronized Queue taskQueue() {
        return broker.getActiveMQServer().locateQueue(ADDRESS);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
