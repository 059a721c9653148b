package io.cloudops.orchestrator.client;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Whether task events travel between processes through PostgreSQL ({@code NOTIFY} by every writer,
 * {@code LISTEN} by every process that serves browsers), and how the listening side behaves. The
 * service's {@code application.properties} maps {@code TASK_EVENT_RELAY} onto {@link #relay()}.
 */
@ConfigMapping(prefix = "cloudops.events")
public interface TaskEventRelayConfig {

    /** The relay settings, by their configuration value. */
    enum Relay {
        /** On unless the database is the PostgreSQL embedded in this process (nobody else writes to it). */
        AUTO,
        /** Always on: writers notify, the listener relays. */
        POSTGRES,
        /** Off: events reach only the browsers connected to the process that wrote them. */
        NONE
    }

    /**
     * {@code TASK_EVENT_RELAY}: {@code auto} (default), {@code postgres} or {@code none}. One process
     * on its embedded database (the embedded default) needs no relay; control-api instances with the
     * engine disabled, several instances, or separate orchestrators on a shared server need it.
     */
    @WithDefault("auto")
    Relay relay();

    /**
     * Whether the database is a PostgreSQL embedded in (and only reachable by) this process. Not an
     * operator setting: the launcher ({@code CloudOpsMain}) sets it when it starts the embedded server.
     */
    @WithDefault("false")
    boolean embeddedDatabase();

    /**
     * Tasks whose last relayed event the listener remembers (least recently used beyond that are
     * forgotten; a forgotten task is picked up again from its next notification).
     */
    @WithDefault("10000")
    int relayTrackedTasks();

    /** Longest pause between two attempts of the listener to reconnect after losing the database. */
    @WithDefault("30s")
    Duration relayReconnectMaxDelay();

    /** Whether this process notifies its event writes and listens to the others'. */
    default boolean relayEnabled() {
        return switch (relay()) {
            case POSTGRES -> true;
            case NONE -> false;
            case AUTO -> !embeddedDatabase();
        };
    }
}
