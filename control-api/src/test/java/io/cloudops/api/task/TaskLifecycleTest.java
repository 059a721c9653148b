package io.cloudops.api.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.RetryPolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Retries, dead letters, idempotency and cancel, through the REST API. */
@QuarkusTest
class TaskLifecycleTest {

    @Inject
    TaskQueries queries;

    @Inject
    TaskSubmitter submitter;

    @Inject
    EngineConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    javax.sql.DataSource dataSource;

    /**
     * The list counts at most {@link TaskQueries#COUNT_BEYOND_PAGE} tasks past the page: beyond that the total
     * is a lower bound and says so, so that a listing's cost does not grow with the table. Finished rows
     * dated 2001 (at the end of every newest-first list) on an entity of their own.
     */
    @Test
    void theTaskListCountsExactlyUpToABoundPastThePageThenSaysItIsALowerBound() throws Exception {
        String entity = "count-bound/" + UUID.randomUUID();
        int rows = TaskQueries.COUNT_BEYOND_PAGE + 50;
        try (var c = dataSource.getConnection();
                var insert = c.prepareStatement(
                        """
                                INSERT INTO task (id, type, status, entity_id, queue_position, payload, max_attempts, created_at,
                                                  finished_at, event_seq)
                                SELECT gen_random_uuid(), 'diagnostic', 'succeeded', ?, nextval('task_queue_position'), '{}'::jsonb, 1,
                                       timestamptz '2001-01-01' + n * interval '1 second', timestamptz '2001-01-01' + n * interval '1 second', 1
                                FROM generate_series(1, ?) AS n""")) {
            insert.setString(1, entity);
            insert.setInt(2, rows);
            insert.executeUpdate();
        }
        given().queryParam("entityId", entity).queryParam("size", 20).get("/api/tasks").then().statusCode(200)
                .body("total", equalTo(20 + TaskQueries.COUNT_BEYOND_PAGE)).body("totalExact", equalTo(false))
                .body("items.size()", equalTo(20));
        // far enough along, the rest is counted exactly
        int last = (rows - 1) / 20;
        given().queryParam("entityId", entity).queryParam("size", 20).queryParam("page", last).get("/api/tasks").then()
                .statusCode(200).body("total", equalTo(rows)).body("totalExact", equalTo(true))
                .body("items.size()", equalTo(rows - last * 20));
        String page = given().queryParam("entityId", entity).get("/tasks").then().statusCode(200).extract().asString();
        assertThat(page).contains("more than " + (20 + TaskQueries.COUNT_BEYOND_PAGE) + " tasks · page 1");
    }

    @Test
    void aDiagnosticTaskRunsItsStepsAndShowsLogs() {
        String id = diagnostic("diag-" + UUID.randomUUID(), 3, 20, "never", null).then().statusCode(202).extract()
                .path("taskId");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.SUCCEEDED);

        given().get("/api/tasks/{id}", id).then().statusCode(200)
                .body("type", equalTo("diagnostic"))
                .body("attempt", equalTo(1))
                .body("steps.name", equalTo(List.of("step-1", "step-2", "step-3")))
                .body("steps.status", equalTo(List.of("succeeded", "succeeded", "succeeded")))
                .body("logs.size()", equalTo(3))
                .body("requestedBy", equalTo("demo"));
        given().queryParam("type", "diagnostic").queryParam("status", "succeeded").get("/api/tasks")
                .then().statusCode(200).body("items.id", hasItem(id));
    }

    @Test
    void transientFailuresAreRetriedWithinTheBackoffBoundsThenSucceed() {
        String id = diagnostic("flaky-" + UUID.randomUUID(), 1, 0, "times:2", null).then().statusCode(202).extract()
                .path("taskId");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.SUCCEEDED);

        TaskView view = queries.get(UUID.fromString(id)).orElseThrow();
        assertThat(view.attempt()).isEqualTo(3);
        // each retry announced its back-off: it must lie within the policy's full-jitter bounds
        RetryPolicy policy = RetryPolicy.from(config.retry());
        List<Long> delays = queries.eventsAfter(view.id(), 0, 100).stream()
                .filter(e -> "queued".equals(e.status()) && e.message() != null && e.message().contains(" in "))
                .map(e -> Long.parseLong(e.message().replaceAll(".* in (\\d+) ms$", "$1"))).toList();
        assertThat(delays).hasSize(2);
        assertThat(delays.get(0)).isBetween(0L, policy.ceilingMs(1));
        assertThat(delays.get(1)).isBetween(0L, policy.ceilingMs(2));
    }

    @Test
    void aPermanentFailureFailsAtOnceWithAHint() {
        String id = diagnostic("perm-" + UUID.randomUUID(), 2, 0, "permanent", null).then().statusCode(202).extract()
                .path("taskId");

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id) == TaskStatus.FAILED);

        given().get("/api/tasks/{id}", id).then()
                .body("attempt", equalTo(1))
                .body("error.message", org.hamcrest.Matchers.containsString("permanent"))
                .body("error.hint", org.hamcrest.Matchers.notNullValue())
                .body("steps.status", equalTo(List.of("succeeded", "failed")));
    }

    @Test
    void exhaustedRetriesDeadLetterTheTaskAndTheEntityMovesOn() {
        String entity = "dlq-" + UUID.randomUUID();
        String doomed = diagnostic(entity, 1, 0, "always", null).then().statusCode(202).extract().path("taskId");
        String behind = diagnostic(entity, 1, 0, "never", null).then().statusCode(202).extract().path("taskId");

        await().atMost(Duration.ofSeconds(30)).until(() -> status(behind) == TaskStatus.SUCCEEDED);
        assertThat(status(doomed)).isEqualTo(TaskStatus.DEAD_LETTERED);
        assertThat(queries.get(UUID.fromString(doomed)).orElseThrow().attempt())
                .isEqualTo(config.retry().maxAttempts());

        Response dlq = given().queryParam("size", 200).get("/api/dlq");
        String deadLetterId = dlq.then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.taskId == '" + doomed + "' }.id");
        assertThat(deadLetterId).isNotNull();

        // retry: back at the tail of the entity's queue with attempts reset; twice is the same as once
        given().post("/api/dlq/{id}/retry", deadLetterId).then().statusCode(200).body("resolution", equalTo("retried"));
        given().post("/api/dlq/{id}/retry", deadLetterId).then().statusCode(200).body("resolution", equalTo("retried"));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(doomed) == TaskStatus.DEAD_LETTERED
                && queries.get(UUID.fromString(doomed)).orElseThrow().attempt() == config.retry().maxAttempts());
        given().get("/api/dlq").then().body("items.id", not(hasItem(deadLetterId)));
        given().queryParam("includeResolved", true).queryParam("size", 200).get("/api/dlq").then().body("items.id",
                hasItem(deadLetterId));

        // the second dead letter of the same task: skip it, idempotently; retrying a skipped one is a conflict
        String second = given().queryParam("size", 200).get("/api/dlq").then().extract().jsonPath()
                .getString("items.find { it.taskId == '" + doomed + "' }.id");
        given().post("/api/dlq/{id}/skip", second).then().statusCode(200).body("resolution", equalTo("skipped"));
        given().post("/api/dlq/{id}/skip", second).then().statusCode(200).body("resolution", equalTo("skipped"));
        given().post("/api/dlq/{id}/retry", second).then().statusCode(409).contentType("application/problem+json");
        given().post("/api/dlq/{id}/retry", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void concurrentRequestsWithTheSameIdempotencyKeyCreateOneTask() throws Exception {
        String key = "key-" + UUID.randomUUID();
        String entity = "idem-" + UUID.randomUUID();
        int clients = 8;
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Response>> responses = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            responses.add(pool.submit((Callable<Response>) () -> {
                start.await();
                return diagnostic(entity, 1, 0, "never", key);
            }));
        }
        Set<String> taskIds = new HashSet<>();
        int created = 0;
        for (Future<Response> f : responses) {
            Response r = f.get();
            assertThat(r.statusCode()).isIn(200, 202);
            created += r.statusCode() == 202 ? 1 : 0;
            taskIds.add(r.path("taskId"));
        }
        pool.shutdown();

        assertThat(taskIds).hasSize(1);
        assertThat(created).isEqualTo(1);
        assertThat(queries.list(new TaskQueries.Filter(null, null, entity), 0, 10).total()).isEqualTo(1);

        diagnostic(entity, 2, 0, "never", key).then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void cancellingAQueuedTaskRemovesItAndARunningTaskStopsAtItsStepBoundary() throws Exception {
        String entity = "cancel-" + UUID.randomUUID();
        String gate = "gate-" + UUID.randomUUID();
        UUID running = submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity,
                json.createObjectNode().put("steps", 2).put("gate", gate), "test", null, null, null)).taskId();
        String queued = diagnostic(entity, 1, 0, "never", null).then().statusCode(202).extract().path("taskId");
        String after = diagnostic(entity, 1, 0, "never", null).then().statusCode(202).extract().path("taskId");
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();

        given().get("/api/queue").then().statusCode(200)
                .body("sessions.find { it.entityId == '" + entity + "' }.queued", equalTo(2))
                .body("sessions.find { it.entityId == '" + entity + "' }.runningTaskId", equalTo(running.toString()))
                .body("maxConcurrentSessions", equalTo(config.maxConcurrentSessions()));

        given().post("/api/tasks/{id}/cancel", queued).then().statusCode(202).body("status", equalTo("cancelled"));
        given().post("/api/tasks/{id}/cancel", running).then().statusCode(202).body("status", equalTo("running"))
                .body("cancelRequested", equalTo(true));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(running.toString()) == TaskStatus.CANCELLED);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(after) == TaskStatus.SUCCEEDED);
        TaskView cancelled = queries.get(running).orElseThrow();
        assertThat(cancelled.steps()).extracting(s -> s.status()).containsExactly(StepStatus.SKIPPED,
                StepStatus.SKIPPED);
        assertThat(ProbeHandler.EXECUTIONS.stream().noneMatch(x -> x.taskId().equals(queued))).isTrue();

        given().post("/api/tasks/{id}/cancel", after).then().statusCode(409).contentType("application/problem+json");
        given().post("/api/tasks/{id}/cancel", UUID.randomUUID()).then().statusCode(404);

        // a cancelled task can be retried as a new attempt
        ProbeHandler.open(gate);
        given().post("/api/tasks/{id}/retry", running).then().statusCode(202)
                .body("status", org.hamcrest.Matchers.oneOf("queued", "running", "succeeded"));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(running.toString()) == TaskStatus.SUCCEEDED);
        given().post("/api/tasks/{id}/retry", running).then().statusCode(409);
    }

    @Test
    void invalidDiagnosticRequestsAreProblemsNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"steps\":0}").post("/api/tasks/diagnostic")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("steps"));
        given().contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"stepMillis\":600001}")
                .post("/api/tasks/diagnostic")
                .then().statusCode(400).body("errors[0].field", equalTo("stepMillis"));
        given().contentType(ContentType.JSON).body("{\"entityId\":\"x\",\"fail\":\"sometimes\"}")
                .post("/api/tasks/diagnostic")
                .then().statusCode(400).body("errors[0].field", equalTo("fail"));
        given().contentType(ContentType.JSON).body("{\"steps\":1}").post("/api/tasks/diagnostic")
                .then().statusCode(400).body("errors[0].field", equalTo("entityId"));
        given().queryParam("status", "done").get("/api/tasks").then().statusCode(400).body("errors[0].field",
                equalTo("status"));
        given().header("X-Demo-Role", "viewer").contentType(ContentType.JSON).body("{\"entityId\":\"x\"}")
                .post("/api/tasks/diagnostic")
                .then().statusCode(403).contentType("application/problem+json");
    }

    private Response diagnostic(String entity, int steps, int stepMillis, String fail, String key) {
        var request = given().contentType(ContentType.JSON)
                .body("{\"entityId\":\"" + entity + "\",\"steps\":" + steps + ",\"stepMillis\":" + stepMillis
                        + ",\"fail\":\"" + fail + "\"}");
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/tasks/diagnostic");
    }

    private TaskStatus status(String id) {
        return queries.get(UUID.fromString(id)).map(TaskView::status).orElseThrow();
    }
}
