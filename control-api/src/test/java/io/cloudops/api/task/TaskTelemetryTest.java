package io.cloudops.api.task;

import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.HubClient;
import io.cloudops.api.testsupport.Metrics;
import io.cloudops.api.testsupport.SseClient;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's metrics and log context, read the way operators read them: {@code /q/metrics} scraped
 * before and after tasks that succeed, retry and dead-letter (the figures must move by exactly what the
 * runs did), the live-connection gauges while clients are connected, and the MDC of the log lines a
 * run writes.
 */
@QuarkusTest
class TaskTelemetryTest {

    private static final String TYPE = "diagnostic";

    @Inject
    TaskQueries queries;

    @Inject
    EngineConfig config;

    @Inject
    InMemorySpanExporter spans;

    @TestHTTPResource("/")
    URL base;

    @Test
    void runsThatSucceedRetryAndDeadLetterMoveTheEngineMetricsByExactlyWhatTheyDid() {
        awaitNoDiagnosticTaskActive();
        Metrics before = Metrics.scrape();

        String ok = diagnostic("metrics-ok-" + UUID.randomUUID(), 2, "never");
        String flaky = diagnostic("metrics-flaky-" + UUID.randomUUID(), 1, "times:1");
        String doomed = diagnostic("metrics-doomed-" + UUID.randomUUID(), 1, "always");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(ok) == TaskStatus.SUCCEEDED
                && status(flaky) == TaskStatus.SUCCEEDED && status(doomed) == TaskStatus.DEAD_LETTERED);
        int attempts = config.retry().maxAttempts();
        // the timers are recorded just after the finishing transaction: wait for the last one
        Metrics after = await().atMost(Duration.ofSeconds(10)).until(Metrics::scrape,
                m -> delta(before, m, "cloudops_task_duration_seconds_count", "type", TYPE) == 2 + 1 + attempts);

        assertThat(delta(before, after, "cloudops_tasks_accepted_total", "type", TYPE)).isEqualTo(3);
        assertThat(delta(before, after, "cloudops_tasks_started_total", "type", TYPE)).isEqualTo(1 + 2 + attempts);
        assertThat(delta(before, after, "cloudops_task_duration_seconds_count", "type", TYPE, "outcome", "succeeded"))
                .isEqualTo(2);
        assertThat(delta(before, after, "cloudops_task_duration_seconds_count", "type", TYPE, "outcome", "retrying"))
                .isEqualTo(1 + attempts - 1);
        assertThat(delta(before, after, "cloudops_task_duration_seconds_count", "type", TYPE, "outcome",
                "dead_lettered")).isEqualTo(1);
        assertThat(delta(before, after, "cloudops_task_retries_total", "type", TYPE)).isEqualTo(1 + attempts - 1);
        assertThat(delta(before, after, "cloudops_tasks_dead_lettered_total", "type", TYPE)).isEqualTo(1);
        // ok: step-1 and step-2 succeed; flaky: step-1 fails once, then succeeds; doomed: step-1 fails every attempt
        assertThat(delta(before, after, "cloudops_step_duration_seconds_count", "type", TYPE, "step", "step-1",
                "outcome", "succeeded")).isEqualTo(2);
        assertThat(delta(before, after, "cloudops_step_duration_seconds_count", "type", TYPE, "step", "step-2",
                "outcome", "succeeded")).isEqualTo(1);
        assertThat(delta(before, after, "cloudops_step_duration_seconds_count", "type", TYPE, "step", "step-1",
                "outcome", "failed")).isEqualTo(1 + attempts);
        assertThat(delta(before, after, "cloudops_task_duration_seconds_bucket", "type", TYPE, "outcome", "succeeded",
                "le", "+Inf")).isEqualTo(2);
        // accepted without an Idempotency-Key: written by group commits, 3 tasks in all
        assertThat(delta(before, after, "cloudops_group_commit_batch_size_sum")).isEqualTo(3);
        assertThat(delta(before, after, "cloudops_group_commit_batch_size_count")).isBetween(1.0, 3.0);

        // the queue gauges are read from the database at most once per refresh interval: wait for the next reading
        assertThat(await().atMost(Duration.ofSeconds(10)).until(Metrics::scrape,
                m -> m.value("cloudops_dead_letters_open") >= 1).value("cloudops_dead_letters_open"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("cloudops_sessions_max")).isEqualTo(config.maxConcurrentSessions());
        assertThat(after.value("cloudops_sessions_running")).isBetween(0.0, (double) config.maxConcurrentSessions());
        assertThat(after.value("cloudops_database_up")).isEqualTo(1);
        assertThat(after.has("cloudops_queue_depth")).isTrue();
        assertThat(after.has("cloudops_queue_oldest_age_seconds")).isTrue();
        assertThat(after.text()).as("the readiness checks, one series each")
                .containsPattern("cloudops_readiness_up\\{check=\"[^\"]+\"[^}]*\\} 1\\.0");
        assertThat(after.value("cloudops_lease_fencing_rejections_total", "reason", "fenced"))
                .as("registered at zero").isGreaterThanOrEqualTo(0);
        assertThat(after.has("cloudops_lease_takeovers_total")).isTrue();
        assertThat(after.value("cloudops_recovery_sweeps_total", "outcome", "ok")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aQueuedTaskShowsInTheQueueDepthAndTheOldestQueuedAge() {
        String entity = "metrics-queue-" + UUID.randomUUID();
        String head = diagnostic(entity, 1, "never", 1500);
        String behind = diagnostic(entity, 1, "never", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(head) == TaskStatus.RUNNING);

        Metrics during = await().atMost(Duration.ofSeconds(5)).until(Metrics::scrape,
                m -> m.value("cloudops_queue_depth", "state", "queued") >= 1
                        && m.value("cloudops_queue_depth", "state", "running") >= 1
                        && m.value("cloudops_queue_oldest_age_seconds") > 0);
        assertThat(status(behind)).isEqualTo(TaskStatus.QUEUED);
        assertThat(during.value("cloudops_sessions_running")).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(behind) == TaskStatus.SUCCEEDED);
    }

    @Test
    void hubAndSseConnectionsAreCountedWhileTheyAreOpen() throws Exception {
        double hubBefore = Metrics.scrape().value("cloudops_hub_connections");
        HttpClient http = HttpClient.newHttpClient();
        try (HubClient hub = HubClient.connect(http, base.getHost(), base.getPort(), "/hubs/tasks")) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Metrics.scrape().value("cloudops_hub_connections") == hubBefore + 1);
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Metrics.scrape().value("cloudops_hub_connections") == hubBefore);

        String task = diagnostic("metrics-sse-" + UUID.randomUUID(), 1, "never", 1500);
        double sseBefore = Metrics.scrape().value("cloudops_sse_connections");
        SseClient sse = SseClient.open(http, base.getPort(), UUID.fromString(task));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Metrics.scrape().value("cloudops_sse_connections") == sseBefore + 1);
        await().atMost(Duration.ofSeconds(20)).until(sse::ended);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Metrics.scrape().value("cloudops_sse_connections") == sseBefore);
    }

    /** A log record of the executor as the handler saw it, with the MDC of the thread that wrote it. */
    private record Line(String message, Map<String, String> mdc) {
    }

    @Test
    void everyLogLineOfARunNamesTheTaskTheEntityAndTheSpanItWasWrittenIn() {
        java.util.logging.Logger executor = java.util.logging.Logger
                .getLogger("io.cloudops.orchestrator.engine.TaskExecutor");
        Level level = executor.getLevel();
        List<Line> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = (ExtLogRecord) record;
                Map<String, String> mdc = new java.util.HashMap<>();
                for (String key : List.of("taskId", "entityId", "traceId", "spanId")) {
                    if (ext.getMdc(key) != null) {
                        mdc.put(key, ext.getMdc(key));
                    }
                }
                lines.add(new Line(ext.getFormattedMessage(), mdc));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        executor.setLevel(Level.FINE);
        executor.addHandler(capture);
        spans.reset();
        String entity = "logged-" + UUID.randomUUID();
        String id;
        try {
            id = diagnostic(entity, 1, "times:1");
            await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.SUCCEEDED);
            // started and finished of both attempts, and the failed step of the first
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().filter(l -> l.message().contains(id))
                    .count() == 5);
        } finally {
            executor.removeHandler(capture);
            executor.setLevel(level);
        }

        List<SpanData> traced = await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems()
                .stream().filter(s -> id.equals(s.getAttributes().get(AttributeKey.stringKey("cloudops.task.id"))))
                .toList(), found -> found.size() == 4); // two runs, a step span in each
        List<String> runSpans = traced.stream().filter(s -> s.getName().startsWith("run ")).map(SpanData::getSpanId)
                .toList();
        List<String> stepSpans = traced.stream().filter(s -> s.getName().startsWith("step "))
                .map(SpanData::getSpanId).toList();
        String traceId = traced.getFirst().getTraceId();
        List<Line> ofTask = lines.stream().filter(l -> l.message().contains(id)).toList();
        for (Line line : ofTask) {
            assertThat(line.mdc()).as(line.message()).containsEntry("taskId", id).containsEntry("entityId", entity)
                    .containsEntry("traceId", traceId);
            assertThat(line.message().contains("failed") ? stepSpans : runSpans).as(line.message())
                    .contains(line.mdc().get("spanId"));
        }
        assertThat(ofTask).filteredOn(l -> l.message().contains("step step-1 failed")).hasSize(1);
    }

    @Test
    void aRetriedTaskRunsInTheTraceOfTheRequestThatRetriedIt() {
        spans.reset();
        String id = diagnostic("retried-" + UUID.randomUUID(), 1, "permanent");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.FAILED);
        given().post("/api/tasks/{id}/retry", id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.FAILED
                && queries.get(UUID.fromString(id)).orElseThrow().attempt() == 1 && runSpans(id).size() == 2);

        List<SpanData> runs = runSpans(id);
        assertThat(runs).extracting(SpanData::getTraceId).as("the accept's trace, then the retry's")
                .doesNotHaveDuplicates();
        for (SpanData run : runs) {
            SpanData parent = await().atMost(Duration.ofSeconds(5)).until(() -> spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getSpanId().equals(run.getParentSpanId())).findFirst().orElse(null),
                    java.util.Objects::nonNull);
            assertThat(parent.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.SERVER);
        }
        assertThat(runs).extracting(run -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(run.getParentSpanId())).findFirst().orElseThrow().getName())
                .anyMatch(name -> name.contains("/api/tasks/diagnostic"))
                .anyMatch(name -> name.contains("/retry"));
    }

    private List<SpanData> runSpans(String id) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("run "))
                .filter(s -> id.equals(s.getAttributes().get(AttributeKey.stringKey("cloudops.task.id")))).toList();
    }

    private void awaitNoDiagnosticTaskActive() {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("queued", "running").stream()
                .allMatch(s -> given().queryParam("type", TYPE).queryParam("status", s).get("/api/tasks").then()
                        .statusCode(200).extract().<List<?>>path("items").isEmpty()));
    }

    private static double delta(Metrics before, Metrics after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private String diagnostic(String entity, int steps, String fail) {
        return diagnostic(entity, steps, fail, 1);
    }

    private String diagnostic(String entity, int steps, String fail, int stepMillis) {
        return given().contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"steps\":" + steps + ",\"stepMillis\":" + stepMillis
                        + ",\"fail\":\"" + fail + "\"}")
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private TaskStatus status(String id) {
        return queries.get(UUID.fromString(id)).map(TaskView::status).orElseThrow();
    }
}
