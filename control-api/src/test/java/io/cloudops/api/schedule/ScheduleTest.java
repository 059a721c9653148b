package io.cloudops.api.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.cloudops.api.testsupport.Fixtures.createEnvironment;
import static io.cloudops.api.testsupport.Fixtures.createProject;
import static io.cloudops.api.testsupport.Fixtures.uniqueName;
import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Schedules through the API, with the poller driven by the test at the times it chooses
 * ({@link SchedulePoller#tick}; the test profile polls nowhere on its own): one fire per due time
 * with two pollers racing, each overlap policy, the catch-up window, guard rails, and the problems
 * that refuse a broken schedule.
 */
@QuarkusTest
class ScheduleTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Inject
    SchedulePoller poller;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteSchedulesAndTheirLongTasks() {
        for (String id : created) {
            for (String taskId : given().get("/api/schedules/{id}", id).then().extract().jsonPath()
                    .getList("recentRuns.taskId", String.class)) {
                if (taskId != null && !Tasks.task(taskId).getString("status").matches("succeeded|failed|cancelled")) {
                    given().post("/api/tasks/{id}/cancel", taskId);
                }
            }
            given().delete("/api/schedules/{id}", id).then().statusCode(204);
        }
    }

    @Test
    void aScheduleIsCreatedListedAndReadWithItsNextDueTime() {
        Response response = create(Map.of("name", uniqueName("nightly-backup"), "operation", "db_backup",
                "request", Map.of("engine", "azure-postgres", "instanceId", "orders"), "cron", "0 2 * * *",
                "timeZone", "Europe/Berlin"));
        response.then().statusCode(201).header("Location", containsString("/api/schedules/"))
                .body("operation", equalTo("db_backup")).body("overlapPolicy", equalTo("skip"))
                .body("enabled", equalTo(true)).body("createdBy", equalTo("demo"));
        JsonPath schedule = response.jsonPath();
        Instant next = Instant.parse(schedule.getString("nextRunAt"));
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(25)));
        assertThat(next.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(2);

        given().get("/api/schedules").then().statusCode(200).body("name", hasItem(schedule.getString("name")));
        given().get(response.header("Location")).then().statusCode(200)
                .body("schedule.id", equalTo(schedule.getString("id"))).body("recentRuns.size()", equalTo(0));
        assertThat(auditActions(schedule.getString("id"))).contains("schedule.create");
    }

    @Test
    void aBrokenScheduleIsRefusedWithTheProblemNamingTheField() {
        Map<String, Object> backup = Map.of("engine", "azure-postgres", "instanceId", "orders");
        assertField(create(body("db_backup", backup, "every night")), 422, "cron");
        assertField(create(body("db_backup", backup, "0 0 30 2 *")), 422, "cron"); // February 30th: never
        assertField(create(Map.of("name", uniqueName("s"), "operation", "db_backup", "request", backup, "cron",
                "0 2 * * *", "timeZone", "Mars/Olympus")), 422, "timeZone");
        assertField(create(Map.of("name", uniqueName("s"), "operation", "db_backup", "request", backup, "cron",
                "0 2 * * *", "overlapPolicy", "queue")), 422, "overlapPolicy");
        assertField(create(body("reboot_everything", backup, "0 2 * * *")), 422, "operation");
        // the operation's own checks, as its endpoint makes them
        assertField(create(body("db_backup", Map.of("engine", "oracle", "instanceId", "orders"), "0 2 * * *")), 400,
                "request.engine");
        assertField(create(body("db_backup", Map.of("engine", "azure-postgres"), "0 2 * * *")), 400,
                "request.instanceId");
        assertField(create(body("db_backup", Map.of("engine", "azure-postgres", "instanceId", "orders", "simulate",
                "sometimes"), "0 2 * * *")), 400, "request.simulate");
        assertField(create(body("diagnostic", Map.of("entityId", "diag/x", "steps", 500), "* * * * *")), 400,
                "request.steps");
        assertField(create(body("deployment", Map.of("projectId", UUID.randomUUID(), "envId", UUID.randomUUID(),
                "templateId", "web-app"), "0 2 * * *")), 422, "request.projectId");
        assertField(create(body("restart_workload", Map.of("ns", "Shop_Prod", "name", "web"), "0 2 * * *")), 400,
                "request.ns");
        assertField(create(Map.of("name", "no spaces", "operation", "diagnostic", "request", Map.of("entityId", "d"),
                "cron", "* * * * *")), 400, "name");

        String name = uniqueName("taken");
        created.add(create(body(name, "diagnostic", Map.of("entityId", "diag/" + name), "0 2 * * *", "skip"))
                .then().statusCode(201).extract().path("id"));
        assertField(create(body(name, "diagnostic", Map.of("entityId", "diag/" + name), "0 2 * * *", "skip")), 409,
                "name");
    }

    @Test
    void twoPollersRacingFireEachDueTimeOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(diagnosticSchedule("buffer-all", 0));
        }
        Instant due = latestNextRun(ids);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Integer>> ticks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ticks.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return poller.tick(due);
                }, threads));
            }
            int processed = ticks.stream().mapToInt(CompletableFuture::join).sum();
            assertThat(processed).as("claims made by both pollers together").isEqualTo(ids.size());
        } finally {
            threads.shutdown();
        }
        for (String id : ids) {
            List<Map<String, Object>> runs = runs(id);
            assertThat(runs).as("runs of " + id).hasSize(1);
            assertThat(runs.getFirst()).containsEntry("outcome", "fired");
            String entity = given().get("/api/schedules/{id}", id).then().extract().path("schedule.request.entityId");
            assertThat(given().queryParam("entityId", entity).get("/api/tasks").then().extract().jsonPath()
                    .getInt("total")).as("tasks of " + entity).isEqualTo(1);
        }
        assertThat(poller.tick(due)).as("a second poll at the same time finds nothing due").isZero();
    }

    @Test
    void skipRecordsADueTimeAsSkippedWhileTheEarlierRunIsInProgress() {
        String id = diagnosticSchedule("skip", 600_000);
        Instant due = nextRun(id);
        poller.tick(due);
        poller.tick(due.plus(MINUTE));
        List<Map<String, Object>> runs = runs(id);
        assertThat(runs).extracting(r -> r.get("outcome")).containsExactly("skipped", "fired");
        assertThat((String) runs.getFirst().get("detail")).contains("task " + runs.get(1).get("taskId"))
                .contains("overlap policy skip");
        assertThat(given().get("/api/schedules/{id}", id).then().extract().jsonPath()
                .getString("schedule.lastOutcome")).isEqualTo("skipped");
    }

    @Test
    void bufferOneLetsOneRunWaitBehindTheRunningOneAndSkipsTheNext() {
        String id = diagnosticSchedule("buffer-one", 600_000);
        Instant due = nextRun(id);
        for (int i = 0; i < 3; i++) {
            poller.tick(due.plus(MINUTE.multipliedBy(i)));
        }
        assertThat(runs(id)).extracting(r -> r.get("outcome")).containsExactly("skipped", "fired", "fired");
    }

    @Test
    void bufferAllSubmitsEveryDueTimeAndTheQueueOrdersThem() {
        String id = diagnosticSchedule("buffer-all", 600_000);
        Instant due = nextRun(id);
        for (int i = 0; i < 3; i++) {
            poller.tick(due.plus(MINUTE.multipliedBy(i)));
        }
        List<Map<String, Object>> runs = runs(id);
        assertThat(runs).extracting(r -> r.get("outcome")).containsOnly("fired").hasSize(3);
        assertThat(Tasks.task((String) runs.getFirst().get("taskId")).getString("status")).isEqualTo("queued");
    }

    @Test
    void cancelOtherCancelsTheEarlierRunThenSubmits() {
        String id = diagnosticSchedule("cancel-other", 600_000);
        Instant due = nextRun(id);
        poller.tick(due);
        String first = (String) runs(id).getFirst().get("taskId");
        poller.tick(due.plus(MINUTE));
        List<Map<String, Object>> runs = runs(id);
        assertThat(runs).extracting(r -> r.get("outcome")).containsExactly("fired", "fired");
        Tasks.awaitStatus(first, "cancelled");
        assertThat(runs.getFirst().get("taskId")).isNotEqualTo(first);
        assertThat(auditActions(first)).contains("task.cancel");
    }

    @Test
    void afterAnOutageOldDueTimesAreRecordedAsMissedAndNoneFiresLate() {
        String id = diagnosticSchedule("buffer-all", 0, "0 * * * *"); // hourly
        Instant first = nextRun(id);
        // every instance was down for three hours and five minutes
        Instant now = first.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(5));
        poller.tick(now);
        List<Map<String, Object>> runs = runs(id);
        assertThat(runs).extracting(r -> r.get("outcome")).containsExactly("missed", "missed", "missed", "missed");
        assertThat(runs).allSatisfy(r -> assertThat(r.get("taskId")).isNull());
        assertThat((String) runs.getFirst().get("detail")).contains("older than the catch-up window (60 s)");
        JsonPath schedule = given().get("/api/schedules/{id}", id).then().extract().jsonPath();
        assertThat(Instant.parse(schedule.getString("schedule.nextRunAt"))).isEqualTo(first.plus(Duration.ofHours(4)));
        assertThat(schedule.getString("schedule.lastOutcome")).isEqualTo("missed");

        // the outage ends 30 s after a due time: that one, inside the window, fires; the older one is missed
        String other = diagnosticSchedule("buffer-all", 0, "0 * * * *");
        Instant otherFirst = nextRun(other);
        poller.tick(otherFirst.plus(Duration.ofHours(1)).plusSeconds(30));
        assertThat(runs(other)).extracting(r -> r.get("outcome")).containsExactly("fired", "missed");
        assertThat(runs(other).getFirst().get("dueAt")).isEqualTo(otherFirst.plus(Duration.ofHours(1)).toString());
    }

    @Test
    void aRunAGuardRailDeniesIsRecordedAsFailedWithTheReasonAndAudited() {
        String projectId = createProject(uniqueName("frozen"));
        String prod = createEnvironment(projectId, "prod", "prod");
        String name = uniqueName("frozen-deploy");
        String id = create(body(name, "deployment", Map.of("projectId", projectId, "envId", prod, "templateId",
                "web-app", "params", Map.of("image", "nginx:1.27", "replicas", 2)), "0 2 * * *", "skip")).then()
                .statusCode(201).extract().path("id");
        created.add(id);
        poller.tick(nextRun(id));
        Map<String, Object> run = runs(id).getFirst();
        assertThat(run).containsEntry("outcome", "failed");
        assertThat(run.get("taskId")).isNull();
        assertThat((String) run.get("detail")).contains("403").contains("Denied by policy frozen-projects");
        JsonPath denial = given().queryParam("action", "guardrail.deny").queryParam("actor", "schedule:" + name)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(denial.getList("items.actor", String.class)).contains("schedule:" + name);
    }

    @Test
    void aFiredRunIsTheScheduleAsPrincipalAndItsTaskIsAudited() {
        String id = diagnosticSchedule("skip", 0);
        String name = given().get("/api/schedules/{id}", id).then().extract().path("schedule.name");
        poller.tick(nextRun(id));
        String taskId = (String) runs(id).getFirst().get("taskId");
        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getString("requestedBy")).isEqualTo("schedule:" + name);
        assertThat(task.getString("idempotencyKey")).startsWith("schedule-" + id + "-");
        JsonPath entry = given().queryParam("action", "task.create").queryParam("targetId", taskId)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(entry.getList("items.actor", String.class)).containsExactly("schedule:" + name);
    }

    @Test
    void aDisabledScheduleIsNotDueAndIsEnabledFromNowOn() {
        String id = diagnosticSchedule("skip", 0);
        Instant due = nextRun(id);
        given().contentType(ContentType.JSON).body(Map.of("enabled", false)).patch("/api/schedules/{id}", id).then()
                .statusCode(200).body("enabled", equalTo(false)).body("nextRunAt", equalTo(null));
        poller.tick(due.plus(Duration.ofHours(1)));
        assertThat(runs(id)).isEmpty();
        given().contentType(ContentType.JSON).body(Map.of("enabled", true)).patch("/api/schedules/{id}", id).then()
                .statusCode(200).body("enabled", equalTo(true));
        assertThat(nextRun(id)).isAfter(Instant.now());
        assertThat(auditActions(id)).contains("schedule.create", "schedule.update");
        assertProblem(given().contentType(ContentType.JSON).body(Map.of()).patch("/api/schedules/{id}", id), 400)
                .body("errors.field", hasItem("enabled"));
        assertProblem(given().delete("/api/schedules/{id}", UUID.randomUUID()), 404);
    }

    @Test
    void theSchedulesPageListsThemAndASchedulePageLinksItsRunsToTheirTasks() {
        String id = diagnosticSchedule("skip", 0);
        String name = given().get("/api/schedules/{id}", id).then().extract().path("schedule.name");
        poller.tick(nextRun(id));
        String taskId = (String) runs(id).getFirst().get("taskId");

        String list = given().get("/schedules").then().statusCode(200).extract().asString();
        assertThat(list).contains("aria-label=\"Schedule " + name + "\"").contains("Last outcome of " + name)
                .contains("aria-label=\"Disable schedule " + name + "\"").contains("aria-label=\"New schedule form\"")
                .contains("href=\"/schedules\" aria-label=\"Schedules\" aria-current=\"page\"");
        String detail = given().get("/schedules/{id}", id).then().statusCode(200).extract().asString();
        assertThat(detail).contains("href=\"/tasks/" + taskId + "\"").contains(">fired<");
        given().get("/schedules/{id}", UUID.randomUUID()).then().statusCode(404);
        // a viewer sees the list without the admin's forms
        String asViewer = given().cookie("cloudops-demo-role", "viewer").get("/schedules").then().statusCode(200)
                .extract().asString();
        assertThat(asViewer).contains("Schedule " + name).doesNotContain("New schedule form")
                .doesNotContain("Disable schedule");
    }

    // --- helpers

    private String diagnosticSchedule(String policy, int stepMillis) {
        return diagnosticSchedule(policy, stepMillis, "* * * * *");
    }

    private String diagnosticSchedule(String policy, int stepMillis, String cron) {
        String name = uniqueName("sched");
        String id = create(body(name, "diagnostic", Map.of("entityId", "diag/" + name, "steps", 1, "stepMillis",
                stepMillis), cron, policy)).then().statusCode(201).extract().path("id");
        created.add(id);
        return id;
    }

    private static Map<String, Object> body(String operation, Map<String, ?> request, String cron) {
        return Map.of("name", uniqueName("s"), "operation", operation, "request", request, "cron", cron);
    }

    private static Map<String, Object> body(String name, String operation, Map<String, ?> request, String cron,
            String policy) {
        return Map.of("name", name, "operation", operation, "request", request, "cron", cron, "overlapPolicy",
                policy);
    }

    private static Response create(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/schedules");
    }

    private static void assertField(Response response, int status, String field) {
        assertProblem(response, status).body("errors.field", hasItem(field));
    }

    private static Instant nextRun(String id) {
        return Instant.parse(given().get("/api/schedules/{id}", id).then().statusCode(200).extract()
                .path("schedule.nextRunAt"));
    }

    private static Instant latestNextRun(List<String> ids) {
        return ids.stream().map(ScheduleTest::nextRun).max(Instant::compareTo).orElseThrow();
    }

    private static List<Map<String, Object>> runs(String id) {
        return given().get("/api/schedules/{id}", id).then().statusCode(200).extract().jsonPath()
                .getList("recentRuns");
    }

    private static List<String> auditActions(String targetId) {
        return given().queryParam("targetId", targetId).get("/api/audit").then().statusCode(200).extract()
                .jsonPath().getList("items.action", String.class);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
