package io.cloudops.orchestrator.channel.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.cloudops.common.task.TaskMessage;
import io.smallrye.reactive.messaging.amqp.OutgoingAmqpMetadata;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.core.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmqpTaskChannelTest {

    private final TaskMessage task = new TaskMessage(UUID.randomUUID(), "env-42", "deployment");

    @Test
    void aWakeUpCarriesTheEntityAsGroupIdAndTheTaskAsJson() {
        Message<byte[]> message = AmqpTaskChannel.toAmqp(task);

        OutgoingAmqpMetadata metadata = message.getMetadata(OutgoingAmqpMetadata.class).orElseThrow();
        assertThat(metadata.getGroupId()).isEqualTo("env-42");
        assertThat(metadata.getSubject()).isEqualTo("deployment");
        assertThat(metadata.getCorrelationId()).isEqualTo(task.taskId().toString());
        assertThat(metadata.getContentType()).isEqualTo("application/json");
        assertThat(metadata.isDurable()).isTrue();
        assertThat(UUID.fromString(metadata.getMessageId())).isNotEqualTo(task.taskId());
        assertThat(AmqpTaskChannel.toAmqp(task).getMetadata(OutgoingAmqpMetadata.class).orElseThrow().getMessageId())
                .as("a fresh message-id per publish").isNotEqualTo(metadata.getMessageId());
        JsonObject body = new JsonObject(new String(message.getPayload(), StandardCharsets.UTF_8));
        assertThat(body.getMap()).containsEntry("taskId", task.taskId().toString())
                .containsEntry("entityId", "env-42").containsEntry("type", "deployment");
    }

    @Test
    void theConsumerReadsEveryPayloadShapeTheConnectorHandsOver() {
        byte[] bytes = AmqpTaskChannel.toAmqp(task).getPayload();

        assertThat(AmqpTaskConsumer.decode(bytes)).isEqualTo(task);
        assertThat(AmqpTaskConsumer.decode(io.vertx.core.buffer.Buffer.buffer(bytes))).isEqualTo(task);
        assertThat(AmqpTaskConsumer.decode(new JsonObject(new String(bytes, StandardCharsets.UTF_8)))).isEqualTo(task);
        assertThat(AmqpTaskConsumer.decode(new String(bytes, StandardCharsets.UTF_8))).isEqualTo(task);
        assertThatThrownBy(() -> AmqpTaskConsumer.decode("{\"taskId\":\"x\",\"entityId\":\"e\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskId");
        assertThatThrownBy(() -> AmqpTaskConsumer.decode(42)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBrokerUrlGivesHostPortCredentialsAndTls() {
        AmqpEndpoint endpoint = AmqpEndpoint.parse("amqps://ops%40corp:s3cr%3At@broker.example.com");

        assertThat(endpoint).isEqualTo(
                new AmqpEndpoint("broker.example.com", 5671, Optional.of("ops@corp"), Optional.of("s3cr:t"), true));
        assertThat(endpoint.toString()).doesNotContain("s3cr");
        assertThat(AmqpEndpoint.parse("amqp://artemis:61616"))
                .isEqualTo(new AmqpEndpoint("artemis", 61616, Optional.empty(), Optional.empty(), false));
        assertThatThrownBy(() -> AmqpEndpoint.parse("http://broker")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amqp://");
    }

    @Test
    void theClientOptionsComeFromTheEndpoint() {
        AmqpClientOptions options = AmqpClientOptionsProducer
                .options(new AmqpEndpoint("artemis", 5672, Optional.of("ops"), Optional.of("pw"), false));

        assertThat(options.getHost()).isEqualTo("artemis");
        assertThat(options.getPort()).isEqualTo(5672);
        assertThat(options.getUsername()).isEqualTo("ops");
        assertThat(options.getPassword()).isEqualTo("pw");
        assertThat(options.isSsl()).isFalse();
    }
}
