package io.cloudops.common.task;

/**
 * Names on the task channel, shared by the side that publishes wake-ups (wherever tasks are
 * accepted) and the side that consumes them (the orchestrator), and the database channel that
 * carries task events between processes. Broker addresses are not here:
 * they are configuration ({@code cloudops.channel.*}).
 */
public final class TaskChannels {

    /** Reactive Messaging channel that publishes {@link TaskMessage}s to the broker. */
    public static final String WAKEUPS_OUT = "task-wakeups-out";

    /**
     * Reactive Messaging channel that consumes {@link TaskMessage}s from the broker. A different name
     * from {@link #WAKEUPS_OUT} on purpose: with one name, a process that both publishes and consumes
     * would short-circuit the broker in memory.
     */
    public static final String WAKEUPS_IN = "task-wakeups-in";

    /**
     * PostgreSQL {@code LISTEN}/{@code NOTIFY} channel on which every transaction that writes task
     * events announces them ({@code <origin>;<taskId>:<firstSeq>:<lastSeq>;...}), for the event relays
     * of the other processes (docs/architecture.md, "Events").
     */
    public static final String EVENTS_NOTIFY = "task_events";

    /** Content type of a serialised {@link TaskMessage}. */
    public static final String CONTENT_TYPE = "application/json";

    private TaskChannels() {
    }
}
