package io.cloudops.orchestrator.channel;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.cloudops.common.task.TaskChannels;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * One switch for the AMQP channels, derived at run time from {@code cloudops.channel.kind} (and
 * {@code cloudops.engine.enabled}), so that {@code TASK_CHANNEL} is the only thing to set:
 * <ul>
 * <li>the publishing channel goes to {@code smallrye-amqp} only on the AMQP kind;</li>
 * <li>the consuming channel reads from {@code smallrye-amqp} only on the AMQP kind and where the engine
 * runs (a control-api that only accepts tasks publishes and never consumes);</li>
 * <li>otherwise they are wired to the {@link IdleConnector}, which connects to nothing.</li>
 * </ul>
 * So a process on another kind opens no AMQP connection, whatever broker listens on the default port.
 * The values come from a low-ordinal source: an explicit setting in {@code application.properties}
 * or the environment still wins.
 */
public class ChannelSwitch implements ConfigSourceFactory {

    /** Below application.properties (250) and the environment (300). */
    static final int ORDINAL = 200;

    static final String OUTGOING_CONNECTOR = "mp.messaging.outgoing." + TaskChannels.WAKEUPS_OUT + ".connector";
    static final String INCOMING_CONNECTOR = "mp.messaging.incoming." + TaskChannels.WAKEUPS_IN + ".connector";
    static final String AMQP_CONNECTOR = "smallrye-amqp";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean amqp = ChannelConfig.Kind.AMQP.value()
                .equals(value(context, "cloudops.channel.kind", "in-memory").trim().toLowerCase(Locale.ROOT));
        boolean engine = Boolean.parseBoolean(value(context, "cloudops.engine.enabled", "true").trim());
        return List.of(new PropertiesConfigSource(Map.of(
                OUTGOING_CONNECTOR, amqp ? AMQP_CONNECTOR : IdleConnector.NAME,
                INCOMING_CONNECTOR, amqp && engine ? AMQP_CONNECTOR : IdleConnector.NAME), "cloudops-channel-switch",
                ORDINAL));
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? fallback : value.getValue();
    }
}
