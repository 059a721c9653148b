package io.cloudops.api.testsupport;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * A real ActiveMQ Artemis broker in the test JVM, speaking AMQP 1.0 on a free loopback port, with
 * the task queue pre-created as an anycast queue (Artemis' defaults would auto-create a multicast
 * address, where every consumer gets every message). Nothing is persisted: the journal is off, and
 * the directories Artemis insists on live under the given folder. Used by
 * {@link AmqpBrokerTestResource} for {@code @QuarkusTest}s and directly by integration tests whose
 * packaged apps connect to it.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    /** The queue the engine's AMQP channel uses in tests (the application's default address). */
    public static final String ADDRESS = "cloudops.task-wakeups";

    /**
     * Artemis' audit log reports every message at INFO, which drowns a test's output where no Quarkus
     * configuration sets its level (plain JUnit tests). Held here: a logger nobody references may be
     * collected, and its level with it.
     */
    private static final java.util.logging.Logger AUDIT = java.util.logging.Logger
            .getLogger("org.apache.activemq.audit");

    private final EmbeddedActiveMQ broker;
    private final int port;

    private EmbeddedAmqpBroker(EmbeddedActiveMQ broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    /** Starts a broker whose working folders are under {@code dir}. */
    public static EmbeddedAmqpBroker start(Path dir) {
        AUDIT.setLevel(java.util.logging.Level.WARNING);
        int port = Ports.freePort();
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
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
            broker.start();
            return new EmbeddedAmqpBroker(broker, port);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Artemis did not start", e);
        }
    }

    /** The loopback port of the AMQP acceptor. */
    public int port() {
        return port;
    }

    /** The broker's task queue (to read counters or reset its message groups from a test). */
    public Queue taskQueue() {
        return broker.getActiveMQServer().locateQueue(ADDRESS);
    }

    @Override
    public void close() {
        try {
            broker.stop();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Artemis did not stop", e);
        }
    }
}
