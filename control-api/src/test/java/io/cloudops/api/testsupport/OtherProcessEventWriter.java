package io.cloudops.api.testsupport;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.orchestrator.client.TaskEventNotices;
import io.cloudops.orchestrator.client.TaskEventRelayConfig;
import io.cloudops.orchestrator.engine.EngineConfig;

/**
 * The engine's task event writer ({@code JournalWriter.insertEvents}, the one code path every event
 * insert takes) as another process has it: with notices of its own origin, and no bus of this
 * process behind it, so its events can reach this process's clients only through the database. Its
 * constructors are package-private on purpose (production code gets the engine from CDI), so this
 * test helper reaches them reflectively, like {@link SecondEngine}.
 */
public final class OtherProcessEventWriter {

    private final Object writer;
    private final Method insertEvents;
    private final TaskEventNotices notices;

    private OtherProcessEventWriter(Object writer, Method insertEvents, TaskEventNotices notices) {
        this.writer = writer;
        this.insertEvents = insertEvents;
        this.notices = notices;
    }

    /** A writer that notifies ({@code relay = true}) or not, as {@code TASK_EVENT_RELAY} would make it. */
    public static OtherProcessEventWriter create(ObjectMapper json, EngineConfig engine, boolean relay)
            throws ReflectiveOperationException {
        Constructor<TaskEventNotices> notices = TaskEventNotices.class
                .getDeclaredConstructor(TaskEventRelayConfig.class);
        notices.setAccessible(true);
        TaskEventNotices ownNotices = notices.newInstance(relayConfig(relay));
        Class<?> writerClass = Class.forName("io.cloudops.orchestrator.engine.JournalWriter", true,
                TaskEventNotices.class.getClassLoader());
        Constructor<?> writer = writerClass.getDeclaredConstructor(ObjectMapper.class, EngineConfig.class,
                TaskEventNotices.class);
        writer.setAccessible(true);
        Method insertEvents = writerClass.getDeclaredMethod("insertEvents", Connection.class, List.class);
        insertEvents.setAccessible(true);
        return new OtherProcessEventWriter(writer.newInstance(json, engine, ownNotices), insertEvents, ownNotices);
    }

    /** The origin its notices carry. */
    public String origin() {
        return notices.origin();
    }

    /** Inserts events in the caller's transaction, exactly as the engine does. */
    public void insertEvents(Connection connection, List<TaskEvent> events) throws SQLException {
        try {
            insertEvents.invoke(writer, connection, events);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TaskEventRelayConfig relayConfig(boolean relay) {
        return new TaskEventRelayConfig() {
            @Override
            public Relay relay() {
                return relay ? Relay.POSTGRES : Relay.NONE;
            }

            @Override
            public boolean embeddedDatabase() {
                return false;
            }

            @Override
            public int relayTrackedTasks() {
                return 100;
            }

            @Override
            public Duration relayReconnectMaxDelay() {
                return Duration.ofSeconds(1);
            }
        };
    }
}
