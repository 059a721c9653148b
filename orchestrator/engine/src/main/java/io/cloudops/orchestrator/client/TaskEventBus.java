package io.cloudops.orchestrator.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.common.task.TaskEvent;

/**
 * In-process fan-out of task events, published after they are committed (so a subscriber never
 * sees an event that a crash could take back). The live hub subscribes here; events of other
 * processes reach it through the database: with the relay on, their writers notify
 * ({@link TaskEventNotices}) and the service's relay reads their rows of {@code task_event} and
 * publishes them here.
 * Subscribers must not block: they buffer and drop on their own side.
 */
@ApplicationScoped
public class TaskEventBus {

    private static final Logger LOG = Logger.getLogger(TaskEventBus.class);

    private final List<Consumer<TaskEvent>> subscribers = new CopyOnWriteArrayList<>();

    public AutoCloseable subscribe(Consumer<TaskEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Whether anyone listens (a process nobody watches need not fetch other processes' events). */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    public void publish(TaskEvent event) {
        for (Consumer<TaskEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warnf(e, "A task event subscriber failed on event %d of task %s", event.seq(), event.taskId());
            }
        }
    }

    public void publishAll(List<TaskEvent> batch) {
        batch.forEach(this::publish);
    }
}
