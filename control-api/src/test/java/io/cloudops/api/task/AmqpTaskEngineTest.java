package io.cloudops.api.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.AmqpBrokerTestResource;
import io.cloudops.api.testsupport.AmqpChannelProfile;
import io.cloudops.api.testsupport.SecondEngine;
import io.cloudops.common.task.TaskMessage;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.cloudops.orchestrator.channel.TaskMessageCodec;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.TaskStore;
import io.cloudops.orchestrator.handler.HandlerRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiver;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.Vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine suite on the AMQP channel, through a real ActiveMQ Artemis broker; plus the case the
 * channel exists for: two orchestrators competing on one queue, with the broker's message groups
 * reset under them, still run each entity's tasks one at a time and in order.
 */
@QuarkusTest
@TestProfile(AmqpChannelProfile.class)
class AmqpTaskEngineTest extends TaskEngineBehaviour {

    private static final Logger LOG = Logger.getLogger(AmqpTaskEngineTest.class);

    @Inject
    TaskChannel channel;

    @Inject
    TaskStore store;

    @Inject
    HandlerRegistry handlers;

    @Inject
    TaskEventBus events;

    @Inject
    EngineConfig engineConfig;

    @Inject
    Vertx vertx;

    /**
     * The wake-up's publish is a producer span of the accepting request (the connector carries the
     * trace context in the message's application properties); the run still hangs off the request.
     */
    @Override
    protected void assertChannelSpans(SpanData request, List<SpanData> trace) {
        assertThat(trace).as("spans of the trace: %s", trace.stream()
                .map(s -> s.getKind() + " " + s.getName() + " parent " + s.getParentSpanId()).toList())
                .anyMatch(s -> s.getKind() == SpanKind.PRODUCER && s.getParentSpanId().equals(request.getSpanId())
                        && s.getName().contains(AmqpBrokerTestResource.ADDRESS));
    }

    @Test
    void wakeUpsTravelThroughTheBroker() {
        long before = AmqpBrokerTestResource.taskQueue().getMessagesAdded();

        UUID id = submit("via-broker-" + UUID.randomUUID(), probe(1));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.SUCCEEDED);
        assertThat(channel.toString()).contains("AmqpTaskChannel");
        assertThat(AmqpBrokerTestResource.taskQueue().getMessagesAdded()).isGreaterThan(before);
        assertThat(AmqpBrokerTestResource.taskQueue().getConsumerCount()).as("the orchestrator's receiver")
                .isEqualTo(1);
    }

    @Test
    void twoOrchestratorsOnOneQueueKeepEachEntityExclusiveAndInOrderEvenWhenBrokerGroupsMove()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int entities = 12;
        Queue<String> wireProblems = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> receivedBySecond = new ConcurrentHashMap<>();
        ScheduledExecutorService regrouper = Executors.newSingleThreadScheduledExecutor();
        AmqpClient client = AmqpClient.create(vertx,
                new AmqpClientOptions().setHost("127.0.0.1").setPort(AmqpBrokerTestResource.port()));
        List<UUID> ids;
        try (SecondEngine second = SecondEngine.start(store, handlers, events, engineConfig)) {
            AmqpReceiver receiver = client.createReceiver(AmqpBrokerTestResource.ADDRESS,
                    new AmqpReceiverOptions().setAutoAcknowledgement(false).setCapabilities(List.of("queue")))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            receiver.handler(message -> {
                TaskMessage task = TaskMessageCodec.decode(message.bodyAsBinary().getBytes());
                if (!task.entityId().equals(message.groupId()) || !"probe".equals(message.subject())
                        || !message.isDurable() || !"application/json".equals(message.contentType())
                        || !task.taskId().toString().equals(message.correlationId()) || message.id() == null) {
                    wireProblems.add(task.taskId() + ": group-id " + message.groupId() + ", subject "
                            + message.subject() + ", durable " + message.isDurable());
                }
                receivedBySecond.computeIfAbsent(task.entityId(), e -> new AtomicInteger()).incrementAndGet();
                second.signal(task.entityId());
                message.accepted();
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> AmqpBrokerTestResource.taskQueue().getConsumerCount() == 2);
            // What a consumer joining or leaving, or a rebalance, does to Artemis message groups
            // (docs/channels.md): groups move to another consumer while earlier wake-ups of the same
            // entity are still being worked on. Forced here, many times during the run.
            regrouper.scheduleWithFixedDelay(() -> AmqpBrokerTestResource.taskQueue().resetAllGroups(), 0, 20,
                    TimeUnit.MILLISECONDS);

            ids = submitConcurrently(run, entities, 8);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> ids.stream().allMatch(id -> status(id) == TaskStatus.SUCCEEDED));

            regrouper.shutdownNow();
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertExclusiveAndInAcceptanceOrder(run, entities);
            assertThat(wireProblems).as("wake-ups carry group-id = entityId, subject, durable, JSON, ids").isEmpty();
            Set<String> workers = ProbeHandler.EXECUTIONS.stream().filter(x -> x.entityId().contains(run))
                    .map(ProbeHandler.Execution::worker).collect(Collectors.toSet());
            assertThat(workers).as("tasks run by the second orchestrator")
                    .anyMatch(w -> w.endsWith("-" + second.workerSuffix()));
            assertThat(workers).as("tasks run by the application's orchestrator")
                    .anyMatch(w -> !w.endsWith("-" + second.workerSuffix()));
            long split = receivedBySecond.entrySet().stream()
                    .filter(e -> e.getKey().contains(run) && e.getValue().get() < 8).count();
            LOG.infof("%d of %d entities had their wake-ups split across the two consumers", split,
                    receivedBySecond.keySet().stream().filter(k -> k.contains(run)).count());
        } finally {
            regrouper.shutdownNow();
            client.close();
        }
    }
}
