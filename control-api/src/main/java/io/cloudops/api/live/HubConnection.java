package io.cloudops.api.live;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskEvent;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * One hub client: a bounded outbox sent one message at a time, in order. The engine only ever
 * appends (never waits); a client that falls {@value #MAX_PENDING} messages behind loses its
 * backlog and is told to resync, so a slow or dead browser costs bounded memory and no engine time.
 */
final class HubConnection {

    static final int MAX_PENDING = 1000;
    static final String RESYNC = "{\"kind\":\"resync\"}";
    /** Sent once the client is subscribed (and, following one task, once its replay is done). */
    static final String SUBSCRIBED = "{\"kind\":\"subscribed\"}";

    private final WebSocketConnection connection;
    private final ObjectMapper json;
    private final ConcurrentLinkedQueue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile TaskEventFeed.Subscription subscription;
    private volatile boolean closed;

    HubConnection(WebSocketConnection connection, ObjectMapper json) {
        this.connection = connection;
        this.json = json;
    }

    void attach(TaskEventFeed.Subscription subscription) {
        this.subscription = subscription;
        if (closed) {
            subscription.close();
        }
    }

    void detach() {
        closed = true;
        TaskEventFeed.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        outbox.clear();
    }

    void offer(TaskEvent event) {
        offerText(encode(event));
    }

    /** Tells the client that it is live from here on: nothing committed after this is missed. */
    void subscribed() {
        offerText(SUBSCRIBED);
    }

    private void offerText(String message) {
        if (closed) {
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            outbox.clear();
            pending.set(1);
            outbox.add(RESYNC);
        } else {
            outbox.add(message);
        }
        drain();
    }

    private void drain() {
        if (!sending.compareAndSet(false, true)) {
            return;
        }
        String next = outbox.poll();
        if (next == null || closed) {
            sending.set(false);
            if (!outbox.isEmpty() && !closed) {
                drain();
            }
            return;
        }
        pending.decrementAndGet();
        connection.sendText(next).subscribe().with(ok -> {
            sending.set(false);
            drain();
        }, failure -> {
            sending.set(false);
            detach();
        });
    }

    private String encode(TaskEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
