package io.cloudops.api.task;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.cloudops.orchestrator.queue.QueueExpiry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * Queue hygiene (docs/change-safety.md): pausing and resuming one entity's queue or every queue
 * (maintenance) through the API, the backlog per entity in {@code GET /api/queue} and on the
 * dashboard, and the expiry of queued tasks older than the maximum age. "Nothing starts while
 * paused" is asserted over a window longer than two sweep intervals, so the sweeper had its chance
 * to start it too.
 */
@QuarkusTest
class QueueHygieneTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Longer than two sweep intervals (2 s): the sweeper re-dispatches due work nobody holds. */
    private static final Duration HOLDS = Duration.ofSeconds(5);

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskQueries queries;

    @Inject
    QueueExpiry expiry;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void resetProbe() {
        ProbeHandler.EXECUTIONS.clear();
    }

    @Test
    void aPausedEntityLetsItsRunningTaskFinishAndStartsNothingUntilResumed() throws Exception {
        String entity = "pause-" + UUID.randomUUID();
        String gate = "gate-" + entity;
        UUID running = submit(entity, probe(1).put("gate", gate));
        assertThat(ProbeHandler.awaitEntered(gate)).isTrue();

        JsonPath paused = given().queryParam("entityId", entity).post("/api/queue/pause").then().statusCode(200)
                .extract().jsonPath();
        assertThat(paused.getList("pausedEntities", String.class)).contains(entity);
        UUID second = submit(entity, probe(1));
        UUID third = submit(entity, probe(1));
        String other = "unpaused-" + UUID.randomUUID();
        UUID elsewhere = submit(other, probe(1));

        ProbeHandler.open(gate);
        await().atMost(TIMEOUT).until(() -> status(running) == TaskStatus.SUCCEEDED
                && status(elsewhere) == TaskStatus.SUCCEEDED);
        await().during(HOLDS).atMost(HOLDS.plusSeconds(5))
                .until(() -> status(second) == TaskStatus.QUEUED && status(third) == TaskStatus.QUEUED);
        JsonPath queue = given().get("/api/queue").then().statusCode(200).extract().jsonPath();
        assertThat(queue.getLong("sessions.find { it.entityId == '" + entity + "' }.queued")).isEqualTo(2);
        assertThat(queue.getBoolean("sessions.find { it.entityId == '" + entity + "' }.paused")).isTrue();
        given().get("/").then().statusCode(200).body(containsString("Queue of " + entity + " paused"));

        given().queryParam("entityId", entity).post("/api/queue/resume").then().statusCode(200);
        await().atMost(TIMEOUT).until(() -> status(third) == TaskStatus.SUCCEEDED);
        assertThat(status(second)).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(ProbeHandler.EXECUTIONS.stream().filter(x -> x.entityId().equals(entity))
                .sorted(java.util.Comparator.comparingLong(ProbeHandler.Execution::startNanos))
                .map(ProbeHandler.Execution::taskId).toList()).as("the queue kept its order across the pause")
                .containsExactly(running.toString(), second.toString(), third.toString());
    }

    @Test
    void maintenancePausesEveryQueueShowsABannerAndEndsOnResume() {
        String entity = "maintenance-" + UUID.randomUUID();
        try {
            given().post("/api/queue/pause").then().statusCode(200).body("maintenance", org.hamcrest.Matchers.is(true));
            UUID task = submit(entity, probe(1));
            given().get("/").then().statusCode(200).body(containsString("Maintenance mode"));
            await().during(HOLDS).atMost(HOLDS.plusSeconds(5)).until(() -> status(task) == TaskStatus.QUEUED);

            given().post("/api/queue/resume").then().statusCode(200).body("maintenance",
                    org.hamcrest.Matchers.is(false));
            await().atMost(TIMEOUT).until(() -> status(task) == TaskStatus.SUCCEEDED);
        } finally {
            given().post("/api/queue/resume");
        }
    }

    @Test
    void anAdminPausesAndResumesQueuesFromTheDashboardAndOthersMayNot() {
        String entity = "console-pause-" + UUID.randomUUID();
        io.restassured.response.Response page = given().get("/");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(page.asString());
        assertThat(token.find()).as("an admin's dashboard has the pause form").isTrue();
        assertThat(page.asString()).contains("aria-label=\"Pause every queue (maintenance)\"");
        String cookie = page.getCookie("cloudops-csrf");
        java.util.function.BiFunction<String, String, io.restassured.response.Response> post = (path, entityId) -> {
            var request = given().cookie("cloudops-csrf", cookie).header("HX-Request", "true")
                    .contentType(io.restassured.http.ContentType.URLENC.withCharset("UTF-8"))
                    .formParam("csrf-token", token.group(1));
            return (entityId == null ? request : request.formParam("entityId", entityId)).post(path);
        };
        try {
            assertThat(post.apply("/dashboard/queue/pause", entity).then().statusCode(200).extract().asString())
                    .contains("The queue of " + entity + " is paused");
            assertThat(given().get("/api/queue").then().extract().jsonPath().getList("pausedEntities", String.class))
                    .contains(entity);
            UUID task = submit(entity, probe(1));
            assertThat(given().get("/").asString()).contains("aria-label=\"Resume " + entity + "\"");
            await().during(HOLDS).atMost(HOLDS.plusSeconds(5)).until(() -> status(task) == TaskStatus.QUEUED);
            assertThat(post.apply("/dashboard/queue/resume", entity).then().statusCode(200).extract().asString())
                    .contains("The queue of " + entity + " runs again");
            await().atMost(TIMEOUT).until(() -> status(task) == TaskStatus.SUCCEEDED);

            assertThat(post.apply("/dashboard/queue/pause", null).then().statusCode(200).extract().asString())
                    .contains("Every queue is paused", "aria-label=\"Resume every queue\"");
            given().get("/api/queue").then().body("maintenance", org.hamcrest.Matchers.is(true));
            post.apply("/dashboard/queue/resume", null).then().statusCode(200)
                    .body(containsString("Maintenance ended"));
            given().get("/api/queue").then().body("maintenance", org.hamcrest.Matchers.is(false));

            String operatorAnswer = given().cookie("cloudops-csrf", cookie).header("HX-Request", "true")
                    .header("X-Demo-Role", "operator").contentType(io.restassured.http.ContentType.URLENC)
                    .formParam("csrf-token", token.group(1)).post("/dashboard/queue/pause").then().statusCode(403)
                    .extract().asString();
            assertThat(operatorAnswer).doesNotContain("Every queue is paused");
            given().get("/api/queue").then().body("maintenance", org.hamcrest.Matchers.is(false));
            assertThat(given().header("X-Demo-Role", "operator").get("/").asString())
                    .doesNotContain("Pause every queue");
            post.apply("/dashboard/queue/pause", "*").then().statusCode(400).body(containsString("entityId"));
        } finally {
            given().post("/api/queue/resume");
            given().queryParam("entityId", entity).post("/api/queue/resume");
        }
    }

    @Test
    void pausingNeedsAnAdminAndAnEntityIdThatIsNotTheWildcard() {
        given().header("X-Demo-Role", "operator").queryParam("entityId", "x").post("/api/queue/pause").then()
                .statusCode(403);
        given().header("X-Demo-Role", "viewer").post("/api/queue/resume").then().statusCode(403);
        given().queryParam("entityId", "*").post("/api/queue/pause").then().statusCode(400)
                .body(containsString("entityId"));
        given().get("/api/queue").then().statusCode(200).body("maintenance", org.hamcrest.Matchers.is(false));
    }

    @Test
    void aQueuedTaskOlderThanTheMaximumAgeExpiresAndIsListedAsExpired() {
        String entity = "expiry-" + UUID.randomUUID();
        given().queryParam("entityId", entity).post("/api/queue/pause").then().statusCode(200);
        try {
            UUID stale = submit(entity, probe(2));
            List<UUID> expired = await().atMost(TIMEOUT).until(() -> expiry.expireOlderThan(Duration.ofMillis(1)),
                    ids -> ids.contains(stale));
            assertThat(expired).contains(stale);

            TaskView view = queries.get(stale).orElseThrow();
            assertThat(view.status()).isEqualTo(TaskStatus.EXPIRED);
            assertThat(view.finishedAt()).isNotNull();
            assertThat(view.error().message()).contains("QUEUE_MAX_AGE");
            assertThat(view.steps()).extracting(s -> s.status().value()).containsOnly("skipped");
            given().queryParam("status", "expired").queryParam("entityId", entity).get("/api/tasks").then()
                    .statusCode(200).body("items[0].id", org.hamcrest.Matchers.is(stale.toString()))
                    .body("items[0].status", org.hamcrest.Matchers.is("expired"));
            assertThat(io.cloudops.api.testsupport.Metrics.scrape().value("cloudops_tasks_expired_total", "type",
                    ProbeHandler.TYPE)).as("expired tasks counted").isGreaterThanOrEqualTo(1);
        } finally {
            given().queryParam("entityId", entity).post("/api/queue/resume").then().statusCode(200);
        }
        assertThat(expiry.expireOlderThan(Duration.ofDays(365))).as("nothing that old").isEmpty();
    }

    private UUID submit(String entity, ObjectNode payload) {
        return submitter.submit(new TaskSubmitter.Submission(ProbeHandler.TYPE, entity, payload, "test", null, null,
                null)).taskId();
    }

    private ObjectNode probe(int steps) {
        return json.createObjectNode().put("steps", steps);
    }

    private TaskStatus status(UUID id) {
        return queries.get(id).map(TaskView::status).orElseThrow();
    }
}
