package io.cloudops.api.task;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudops.orchestrator.channel.InMemoryTaskChannel;
import io.cloudops.orchestrator.channel.TaskChannel;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine suite on the embedded default: the in-memory channel, no broker. */
@QuarkusTest
class InMemoryTaskEngineTest extends TaskEngineBehaviour {

    @Inject
    TaskChannel channel;

    @Inject
    InMemoryTaskChannel inMemory;

    @Test
    void theEmbeddedDefaultUsesTheInMemoryChannel() {
        UUID id = submit("channel-" + UUID.randomUUID(), probe(1));

        assertThat(channel.getClass().getName()).doesNotContain("Amqp").doesNotContain("ServiceBus");
        assertThat(channel.toString()).isEqualTo(inMemory.toString());
        org.awaitility.Awaitility.await().until(() -> status(id) == io.cloudops.common.task.TaskStatus.SUCCEEDED);
    }
}
