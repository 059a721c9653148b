package io.cloudops.api.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of the live hub ({@code /hubs/tasks}) that keeps every message it receives, for tests
 * against the application under test or a packaged app.
 */
public final class HubClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private HubClient() {
    }

    /** Connects to {@code ws://host:port/path} (path with its query: {@code /hubs/tasks?taskId=..}). */
    public static HubClient connect(HttpClient http, String host, int port, String path) throws Exception {
        return connect(http, host, port, path, java.util.Map.of());
    }

    /** As {@link #connect(HttpClient, String, int, String)}, with headers on the upgrade request (a bearer token). */
    public static HubClient connect(HttpClient http, String host, int port, String path,
            java.util.Map<String, String> headers) throws Exception {
        HubClient client = new HubClient();
        WebSocket.Builder builder = http.newWebSocketBuilder();
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(URI.create("ws://" + host + ":" + port + path), client)
                .get(20, TimeUnit.SECONDS);
        return client;
    }

    /** Waits for the hub's {@code subscribed} message: from then on no event is missed. */
    public HubClient awaitSubscribed() {
        org.awaitility.Awaitility.await("the hub's subscribed message").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> messages.stream().anyMatch(m -> "subscribed".equals(m.path("kind").asText())));
        return this;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** Every message so far, in order of arrival. */
    public List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    /** The seq of every event received, in order of arrival. */
    public List<Long> seqs() {
        return messages.stream().filter(m -> m.has("seq")).map(m -> m.get("seq").asLong()).toList();
    }

    /** The seq of every event of one task received, in order of arrival. */
    public List<Long> seqsOf(UUID task) {
        return messages.stream().filter(m -> task.toString().equals(m.path("taskId").asText()) && m.has("seq"))
                .map(m -> m.get("seq").asLong()).toList();
    }

    /** Whether a {@code succeeded} status event arrived (of any task). */
    public boolean sawTerminal() {
        return messages.stream().anyMatch(
                m -> "task".equals(m.path("kind").asText()) && "succeeded".equals(m.path("status").asText()));
    }

    /** Whether the {@code succeeded} status event of {@code task} arrived. */
    public boolean terminalOf(UUID task) {
        return messages.stream().anyMatch(m -> task.toString().equals(m.path("taskId").asText())
                && "task".equals(m.path("kind").asText()) && "succeeded".equals(m.path("status").asText()));
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(10, TimeUnit.SECONDS).join();
    }
}
