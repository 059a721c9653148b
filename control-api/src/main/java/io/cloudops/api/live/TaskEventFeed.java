package io.cloudops.api.live;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.task.TaskEvent;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.client.TaskQueries;

/**
 * The live stream behind the WebSocket hub and the SSE fallback: stored events of a task after a
 * client's last seen {@code seq}, then live events, in order and without gaps or duplicates. It
 * subscribes to the bus before reading the store, holds live events back while replaying, and drops
 * any event at or below the last one delivered, so an event committed during the replay is neither
 * lost nor sent twice.
 */
@ApplicationScoped
public class TaskEventFeed {

    /** Stored events replayed per subscription at most; a client further behind gets a resync. */
    public static final int MAX_REPLAY = 5000;

    private final TaskEventBus bus;
    private final TaskQueries queries;

    TaskEventFeed(TaskEventBus bus, TaskQueries queries) {
        this.bus = bus;
        this.queries = queries;
    }

    /** A running subscription; close it when the client goes away. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Follows one task from after {@code afterSeq}, or every task (live only) when {@code taskId} is
     * null. {@code sink} is called on engine threads and must not block.
     */
    public Subscription follow(UUID taskId, long afterSeq, Consumer<TaskEvent> sink) {
        if (taskId == null) {
            AutoCloseable subscription = bus.subscribe(sink);
            return () -> closeQuietly(subscription);
        }
        Replaying replaying = new Replaying(taskId, sink);
        AutoCloseable subscription = bus.subscribe(replaying);
        replaying.replay(queries.eventsAfter(taskId, afterSeq, MAX_REPLAY), afterSeq);
        return () -> closeQuietly(subscription);
    }

    /** Buffers live events of one task until the replay is done, then passes them on in seq order. */
    private static final class Replaying implements Consumer<TaskEvent> {
        private final UUID taskId;
        private final Consumer<TaskEvent> sink;
        private List<TaskEvent> held = new ArrayList<>();
        private long lastSeq;

        Replaying(UUID taskId, Consumer<TaskEvent> sink) {
            this.taskId = taskId;
            this.sink = sink;
        }

        @Override
        public synchronized void accept(TaskEvent event) {
            if (!taskId.equals(event.taskId())) {
                return;
            }
            if (held != null) {
                held.add(event);
            } else if (event.seq() > lastSeq) {
                lastSeq = event.seq();
                sink.accept(event);
            }
        }

        synchronized void replay(List<TaskEvent> stored, long afterSeq) {
            lastSeq = afterSeq;
            for (TaskEvent event : stored) {
                if (event.seq() > lastSeq) {
                    lastSeq = event.seq();
                    sink.accept(event);
                }
            }
            List<TaskEvent> live = held;
            held = null;
            live.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            for (TaskEvent event : live) {
                accept(event);
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // removing a listener cannot fail in a way the client cares about
        }
    }
}
