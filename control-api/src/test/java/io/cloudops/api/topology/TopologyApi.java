package io.cloudops.api.topology;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two control-api instances of a topology as a test's client: submits diagnostic tasks (each
 * with its own Idempotency-Key, so a retried 503 never enqueues twice) and remembers, per entity,
 * the order in which they were accepted. Every call is bounded by a timeout.
 */
final class TopologyApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IntUnaryOperator port;
    private final Map<String, List<String>> accepted = new LinkedHashMap<>();
    private final AtomicInteger keys = new AtomicInteger();

    /** {@code port}: HTTP port of control-api n (1-based). */
    TopologyApi(IntUnaryOperator port) {
        this.port = port;
    }

    HttpClient http() {
        return http;
    }

    int port(int api) {
        return port.applyAsInt(api);
    }

    /** Per entity, the ids of its tasks in the order their 202s arrived. */
    Map<String, List<String>> accepted() {
        return accepted;
    }

    /** Accepts {@code perEntity} tasks for each of {@code entities} entities, both APIs alternately. */
    List<String> submitBatch(String prefix, int entities, int perEntity, int steps, int stepMillis) {
        List<String> ids = new ArrayList<>();
        for (int t = 0; t < perEntity; t++) {
            for (int e = 0; e < entities; e++) {
                ids.add(submit((t + e) % 2 + 1, prefix + e, steps, stepMillis));
            }
        }
        return ids;
    }

    /** Accepts one task on control-api {@code api}, retrying a failure with the same key. */
    String submit(int api, String entity, int steps, int stepMillis) {
        String key = "topology-" + keys.incrementAndGet();
        String id = await("accepted by control-api-" + api).atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    HttpResponse<String> response = post(api, body(entity, steps, stepMillis), key).join();
                    assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
                    return JSON.readTree(response.body()).get("taskId").asText();
                }, v -> v != null);
        accepted.computeIfAbsent(entity, k -> new ArrayList<>()).add(id);
        return id;
    }

    static String body(String entity, int steps, int stepMillis) {
        return "{\"entityId\":\"%s\",\"steps\":%d,\"stepMillis\":%d}".formatted(entity, steps, stepMillis);
    }

    CompletableFuture<HttpResponse<String>> post(int api, String body, String key) {
        return http.sendAsync(HttpRequest.newBuilder(uri(api, "/api/tasks/diagnostic")).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> get(int api, String path) {
        return http.sendAsync(HttpRequest.newBuilder(uri(api, path)).timeout(CALL_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(int api, String path) {
        return URI.create("http://localhost:" + port(api) + path);
    }
}
