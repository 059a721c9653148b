package io.cloudops.orchestrator.channel;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelSwitchTest {

    @Test
    void theAmqpChannelsAreOffByDefault() {
        SmallRyeConfig config = config(Map.of());

        assertThat(config.getValue(ChannelSwitch.OUTGOING_CONNECTOR, String.class)).isEqualTo(IdleConnector.NAME);
        assertThat(config.getValue(ChannelSwitch.INCOMING_CONNECTOR, String.class)).isEqualTo(IdleConnector.NAME);
        assertThat(config.getOptionalValue("cloudops.channel.kind", ChannelConfig.Kind.class)
                .orElse(ChannelConfig.Kind.IN_MEMORY)).isEqualTo(ChannelConfig.Kind.IN_MEMORY);
    }

    @Test
    void taskChannelAmqpEnablesBothChannelsThroughAnExpression() {
        SmallRyeConfig config = config(Map.of("cloudops.channel.kind", "${TASK_CHANNEL:in-memory}",
                "TASK_CHANNEL", "amqp"));

        assertThat(config.getValue(ChannelSwitch.OUTGOING_CONNECTOR, String.class)).isEqualTo("smallrye-amqp");
        assertThat(config.getValue(ChannelSwitch.INCOMING_CONNECTOR, String.class)).isEqualTo("smallrye-amqp");
        assertThat(config.getOptionalValue("cloudops.channel.kind", ChannelConfig.Kind.class)
                .orElse(ChannelConfig.Kind.IN_MEMORY)).isEqualTo(ChannelConfig.Kind.AMQP);
    }

    @Test
    void aProcessWithoutTheEngineOnlyPublishes() {
        SmallRyeConfig config = config(Map.of("cloudops.channel.kind", "amqp", "cloudops.engine.enabled", "false"));

        assertThat(config.getValue(ChannelSwitch.OUTGOING_CONNECTOR, String.class)).isEqualTo("smallrye-amqp");
        assertThat(config.getValue(ChannelSwitch.INCOMING_CONNECTOR, String.class)).isEqualTo(IdleConnector.NAME);
    }

    @Test
    void serviceBusLeavesTheAmqpChannelsOffAndAnExplicitFlagWins() {
        SmallRyeConfig config = config(Map.of("cloudops.channel.kind", "servicebus",
                ChannelSwitch.INCOMING_CONNECTOR, "smallrye-amqp"));

        assertThat(config.getValue(ChannelSwitch.OUTGOING_CONNECTOR, String.class)).isEqualTo(IdleConnector.NAME);
        assertThat(config.getValue(ChannelSwitch.INCOMING_CONNECTOR, String.class)).isEqualTo("smallrye-amqp");
        assertThat(config.getOptionalValue("cloudops.channel.kind", ChannelConfig.Kind.class)
                .orElse(ChannelConfig.Kind.IN_MEMORY)).isEqualTo(ChannelConfig.Kind.SERVICEBUS);
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new ChannelSwitch())
                .withValidateUnknown(false)
                .build();
    }
}
