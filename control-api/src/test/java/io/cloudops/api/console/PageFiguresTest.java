package io.cloudops.api.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Measures the console's main pages (not a timed assertion): server time per page from the
 * {@code Server-Timing} header (request in to response headers out, so template rendering
 * included), round trip on loopback, and payload bytes (as sent and gzip-compressed). Prints a small
 * table and writes it to {@code target/page-figures.txt}. It checks only that each page answers
 * HTML with the header.
 */
@QuarkusTest
class PageFiguresTest {

    private static final int WARMUP = 30;
    private static final int MEASURED = 100;

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void printsServerTimeAndBytesOfTheMainPages() throws Exception {
        // a realistic amount of data: a full first page of tasks, and a task with ten steps and logs
        for (int i = 0; i < 25; i++) {
            submit("figures/" + (i % 5), 2, 0);
        }
        UUID task = submit("figures/detail-" + UUID.randomUUID(), 10, 5);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "succeeded".equals(given().get("/api/tasks/{id}", task).then().extract().path("status")));

        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-14s %9s %9s %9s %9s %10s %10s", "page", "server p50", "p95",
                "rtt p50", "p95", "bytes", "gzip"));
        for (String page : List.of("/", "/tasks", "/tasks/" + task)) {
            Figures figures = measure(page);
            lines.add(String.format(Locale.ROOT, "%-14s %8.2fms %7.2fms %7.2fms %7.2fms %10d %10d",
                    page.startsWith("/tasks/") ? "/tasks/{id}" : page, figures.serverP50, figures.serverP95,
                    figures.rttP50, figures.rttP95, figures.bytes, figures.gzipBytes));
        }
        String table = String.join("\n", lines);
        System.out.println("Console page figures (" + MEASURED + " requests each after " + WARMUP
                + " warm-up, loopback, one client):\n" + table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "page-figures.txt"), table + "\n");
    }

    private record Figures(double serverP50, double serverP95, double rttP50, double rttP95, int bytes,
            int gzipBytes) {
    }

    private Figures measure(String path) throws Exception {
        URI uri = base.toURI().resolve(path);
        List<Double> server = new ArrayList<>();
        List<Double> rtt = new ArrayList<>();
        byte[] body = null;
        for (int i = 0; i < WARMUP + MEASURED; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            double elapsed = (System.nanoTime() - start) / 1_000_000.0;
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            String timing = response.headers().firstValue(ServerTimingHandler.HEADER).orElseThrow();
            if (i >= WARMUP) {
                server.add(Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4)));
                rtt.add(elapsed);
            }
            body = response.body();
        }
        assertThat(body).isNotEmpty();
        return new Figures(percentile(server, 50), percentile(server, 95), percentile(rtt, 50), percentile(rtt, 95),
                body.length, gzip(body));
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static int gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.size();
    }

    private static UUID submit(String entity, int steps, int stepMillis) {
        return UUID.fromString(given().contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", steps, "stepMillis", stepMillis))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId"));
    }
}
