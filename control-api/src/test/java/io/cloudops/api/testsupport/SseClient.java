package io.cloudops.api.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client of one task's SSE stream ({@code /api/tasks/{id}/sse}) that keeps every line it
 * receives; the server ends the stream once the task is terminal.
 */
public final class SseClient {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> done;
    private final UUID task;

    private SseClient(HttpClient http, int port, UUID task) {
        this.task = task;
        HttpRequest request = HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/api/tasks/" + task + "/sse"))
                .header("Accept", "text/event-stream").GET().build();
        done = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApplyAsync(response -> {
            response.body().forEach(lines::add);
            return response.statusCode();
        });
    }

    /** Opens the stream of {@code task} on the app at {@code localhost:port}. */
    public static SseClient open(HttpClient http, int port, UUID task) {
        return new SseClient(http, port, task);
    }

    public UUID task() {
        return task;
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return done.isDone();
    }

    /** The HTTP status of the stream (once it ended). */
    public int status() {
        return done.join();
    }

    /** The ids of the events received (the task's seqs), in order. */
    public List<Long> seqs() {
        return lines.stream().filter(line -> line.startsWith("id:"))
                .map(line -> Long.parseLong(line.substring(3).strip()))
                .toList();
    }

    /** Whether a data line announced {@code status}. */
    public boolean sawStatus(String status) {
        return lines.stream()
                .anyMatch(line -> line.startsWith("data:") && line.contains("\"status\":\"" + status + "\""));
    }
}
