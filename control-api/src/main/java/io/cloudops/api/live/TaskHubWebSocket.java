package io.cloudops.api.live;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.RolesAllowed;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.security.Roles;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The live hub: {@code /hubs/tasks} follows every task, {@code /hubs/tasks?taskId=..&afterSeq=n}
 * follows one task from after event {@code n} (replaying what the client missed, then live).
 * Messages are {@link io.cloudops.common.task.TaskEvent} JSON; a client that falls too far behind
 * gets {@code {"kind":"resync"}} and should reload and reconnect with its last seq. Once subscribed
 * (and, following one task, once the replay is sent) the client gets {@code {"kind":"subscribed"}}:
 * from then on it misses nothing, so a client that rendered state before can refresh it once then
 * (the handshake completes before the subscription, and events in between are not replayed to an
 * all-tasks client). Secured like the
 * REST API (viewer and up).
 */
@WebSocket(path = "/hubs/tasks")
@RolesAllowed(Roles.VIEWER)
public class TaskHubWebSocket {

    private static final Logger LOG = Logger.getLogger(TaskHubWebSocket.class);

    private final TaskEventFeed feed;
    private final ObjectMapper json;
    private final LiveConnections gauges;
    private final Map<String, HubConnection> connections = new ConcurrentHashMap<>();

    TaskHubWebSocket(TaskEventFeed feed, ObjectMapper json, LiveConnections gauges) {
        this.feed = feed;
        this.json = json;
        this.gauges = gauges;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        String taskParam = queryParam(connection, "taskId");
        String afterParam = queryParam(connection, "afterSeq");
        UUID taskId;
        long afterSeq;
        try {
            taskId = taskParam == null || taskParam.isBlank() ? null : UUID.fromString(taskParam);
            afterSeq = afterParam == null || afterParam.isBlank() ? 0 : Long.parseLong(afterParam);
        } catch (IllegalArgumentException e) {
            connection.sendTextAndAwait(
                    "{\"kind\":\"error\",\"message\":\"taskId must be a UUID and afterSeq a number\"}");
            connection.closeAndAwait();
            return;
        }
        HubConnection hub = new HubConnection(connection, json);
        if (connections.put(connection.id(), hub) == null) {
            gauges.hubOpened();
        }
        hub.attach(feed.follow(taskId, afterSeq, hub::offer));
        hub.subscribed();
    }

    @OnClose
    void close(WebSocketConnection connection) {
        HubConnection hub = connections.remove(connection.id());
        if (hub != null) {
            gauges.hubClosed();
            hub.detach();
        }
    }

    /** Open connections (for metrics and tests). */
    public int connectionCount() {
        return connections.size();
    }

    private static String queryParam(WebSocketConnection connection, String name) {
        String query = connection.handshakeRequest().query();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0
                        ? ""
                        : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        LOG.tracef("no %s in %s", name, query);
        return null;
    }
}
