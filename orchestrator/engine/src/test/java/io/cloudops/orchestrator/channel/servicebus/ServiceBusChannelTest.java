package io.cloudops.orchestrator.channel.servicebus;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderAsyncClient;

import io.cloudops.common.task.TaskMessage;
import io.cloudops.orchestrator.channel.ChannelConfig;
import io.cloudops.orchestrator.engine.EngineConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceBusChannelTest {

    private static final String CONNECTION = "Endpoint=sb://cloudops-test.servicebus.windows.net/;SharedAccessKeyName=send-listen;SharedAccessKey=bm90LWEtcmVhbC1rZXk=";

    private final TaskMessage task = new TaskMessage(UUID.randomUUID(), "db-7", "db_backup");

    @Test
    void aWakeUpIsASessionMessageWithAJsonBody() {
        ServiceBusMessage message = ServiceBusMessages.toServiceBus(task);

        assertThat(message.getSessionId()).isEqualTo("db-7");
        assertThat(message.getSubject()).isEqualTo("db_backup");
        assertThat(message.getCorrelationId()).isEqualTo(task.taskId().toString());
        assertThat(message.getContentType()).isEqualTo("application/json");
        assertThat(UUID.fromString(message.getMessageId())).isNotEqualTo(task.taskId());
        assertThat(ServiceBusMessages.toServiceBus(task).getMessageId()).isNotEqualTo(message.getMessageId());
        assertThat(message.getBody().toString()).contains("\"entityId\":\"db-7\"");
        assertThat(ServiceBusMessages.fromBody(message.getBody())).isEqualTo(task);
    }

    @Test
    void aWakeUpCarriesTheSendersTraceContextWhenItHasOne() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        assertThat(ServiceBusMessages.toServiceBus(task, traceparent).getApplicationProperties())
                .containsEntry("traceparent", traceparent);
        assertThat(ServiceBusMessages.toServiceBus(task).getApplicationProperties()).doesNotContainKey("traceparent");
    }

    @Test
    void settingsTakeTheSessionLimitFromTheEngineAndRequireAConnectionString() {
        ServiceBusClientFactory.Settings settings = ServiceBusClientFactory
                .settings(servicebus(Optional.of(CONNECTION), "ops-tasks", 4), engine(6));

        assertThat(settings.queueName()).isEqualTo("ops-tasks");
        assertThat(settings.maxConcurrentSessions()).isEqualTo(6);
        assertThat(settings.prefetchCount()).isEqualTo(4);
        assertThat(settings.toString()).doesNotContain("SharedAccessKey");
        assertThatThrownBy(() -> ServiceBusClientFactory.settings(servicebus(Optional.empty(), "q", 0), engine(6)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AZURE_SERVICEBUS_CONNECTION_STRING");
    }

    @Test
    void theClientsAreBuiltForTheQueueWithoutConnecting() {
        ServiceBusClientFactory factory = new ServiceBusClientFactory(null, null);
        ServiceBusClientFactory.Settings settings = new ServiceBusClientFactory.Settings(CONNECTION, "ops-tasks", 3,
                0, Duration.ofSeconds(30));

        try (ServiceBusSenderAsyncClient sender = factory.sender(settings)) {
            assertThat(sender.getEntityPath()).isEqualTo("ops-tasks");
            assertThat(sender.getFullyQualifiedNamespace()).isEqualTo("cloudops-test.servicebus.windows.net");
        }
        try (ServiceBusProcessorClient processor = factory.processor(settings, context -> {
        }, error -> {
        })) {
            assertThat(processor.getQueueName()).isEqualTo("ops-tasks");
            assertThat(processor.isRunning()).isFalse();
        }
    }

    private static ChannelConfig.Servicebus servicebus(Optional<String> connection, String queue, int prefetch) {
        return new ChannelConfig.Servicebus() {
            @Override
            public Optional<String> connectionString() {
                return connection;
            }

            @Override
            public String queueName() {
                return queue;
            }

            @Override
            public int prefetchCount() {
                return prefetch;
            }

            @Override
            public Duration tryTimeout() {
                return Duration.ofSeconds(30);
            }
        };
    }

    private static EngineConfig engine(int sessions) {
        return (EngineConfig) java.lang.reflect.Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[]{EngineConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "maxConcurrentSessions" -> sessions;
                    case "leaseDuration" -> Duration.ofSeconds(15);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
