package io.cloudops.api.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Tasks;
import io.cloudops.orchestrator.ops.EnvironmentStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
import static org.hamcrest.Matchers.equalTo;

/** Sandboxes with the simulated adapter: creation, extension, expiry by the scheduled job. */
@QuarkusTest
class SandboxResourceTest {

    @Inject
    EntityManager em;

    @Inject
    EnvironmentStore environments;

    String projectName;
    String projectId;

    @BeforeEach
    void project() {
        projectName = uniqueName("sbx");
        projectId = createProject(projectName);
    }

    @Test
    void aSandboxIsCreatedExtendedAndExpiredByTheJob() {
        JsonPath accepted = create(Map.of("projectId", projectId, "ttlMinutes", 60)).then().statusCode(202)
                .extract().jsonPath();
        String envId = accepted.getString("environmentId");
        String name = accepted.getString("name");
        assertThat(name).matches("sandbox-[0-9a-f]{8}");
        assertThat(accepted.getString("namespace")).isEqualTo(projectName + "-" + name);

        JsonPath task = Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");
        assertThat(task.getString("type")).isEqualTo("sandbox_create");
        assertThat(task.getString("entityId")).isEqualTo(envId);
        assertThat(task.getList("steps.name")).containsExactly("create-record", "provision", "schedule-expiry");
        assertThat(task.getList("steps.status")).containsOnly("succeeded");
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("namespace/" + projectName + "-" + name + " serverside-applied"))
                .anyMatch(line -> line.contains("sandbox expires at"));

        JsonPath env = given().get("/api/environments/{id}", envId).then().statusCode(200)
                .body("type", equalTo("sandbox")).body("status", equalTo("active")).body("name", equalTo(name))
                .body("projectId", equalTo(projectId)).body("ttlMinutes", equalTo(60)).extract().jsonPath();
        Instant createdAt = Instant.parse(env.getString("createdAt"));
        assertThat(Instant.parse(env.getString("expiresAt"))).isEqualTo(createdAt.plus(Duration.ofMinutes(60)));

        given().contentType(ContentType.JSON).body(Map.of("ttlMinutes", 30))
                .post("/api/sandboxes/{id}/extend", envId).then().statusCode(200)
                .body("ttlMinutes", equalTo(90))
                .body("expiresAt", equalTo(createdAt.plus(Duration.ofMinutes(90)).toString()));

        makeDue(envId);
        await().atMost(Duration.ofSeconds(30)).until(() -> "expired".equals(
                given().get("/api/environments/{id}", envId).then().extract().path("status")));
        JsonPath expiry = Tasks.task(onlyTask("sandbox_expire", envId));
        assertThat(expiry.getString("status")).isEqualTo("succeeded");
        assertThat(expiry.getString("requestedBy")).isEqualTo("system:sandbox-expiry");
        assertThat(expiry.getString("idempotencyKey")).isEqualTo("sandbox-expire:" + envId);
        assertThat(expiry.getList("steps.name")).containsExactly("teardown", "mark-expired", "notify");
        assertThat(expiry.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("namespace/" + projectName + "-" + name + " deleted"));
        assertThat(SandboxExpiredEvents.RECEIVED).anyMatch(e -> e.environmentId().toString().equals(envId)
                && e.name().equals(name) && e.namespace().equals(projectName + "-" + name));

        assertProblem(given().contentType(ContentType.JSON).body(Map.of("ttlMinutes", 30))
                .post("/api/sandboxes/{id}/extend", envId), 409);
    }

    @Test
    void invalidRequestsAreProblemsNamingTheFieldAndEnqueueNothing() {
        long before = Tasks.count("sandbox_create");

        assertProblem(create(Map.of("ttlMinutes", 60)), 400).body("errors.field", equalTo(List.of("projectId")));
        assertProblem(create(Map.of("projectId", projectId)), 400).body("errors.field",
                equalTo(List.of("ttlMinutes")));
        assertProblem(create(Map.of("projectId", projectId, "ttlMinutes", 0)), 400).body("errors.field",
                equalTo(List.of("ttlMinutes")));
        assertProblem(create(Map.of("projectId", projectId, "ttlMinutes", 43_201)), 400).body("errors.field",
                equalTo(List.of("ttlMinutes")));
        assertProblem(create(Map.of("projectId", UUID.randomUUID(), "ttlMinutes", 60)), 404)
                .body("errors.field", equalTo(List.of("projectId")));
        assertProblem(create(Map.of("projectId", projectId, "ttlMinutes", 60, "params", Map.of("size", "xl"))), 422)
                .body("errors.field", equalTo(List.of("params.size")));
        assertProblem(create(Map.of("projectId", projectId, "ttlMinutes", 60, "params",
                Map.of("simulate", "flaky:0"))), 422).body("errors.field", equalTo(List.of("params.simulate")));
        assertProblem(given().header("X-Demo-Role", "viewer").contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "ttlMinutes", 60)).post("/api/sandboxes"), 403);

        assertThat(Tasks.count("sandbox_create")).isEqualTo(before);
    }

    @Test
    void onlyExistingActiveSandboxesCanBeExtendedAndNeverPast30Days() {
        String devId = createEnvironment(projectId, "dev", "dev");
        assertProblem(extend(devId, 10), 404);
        assertProblem(extend(UUID.randomUUID().toString(), 10), 404);
        assertProblem(extend(UUID.randomUUID().toString(), 0), 400).body("errors.field",
                equalTo(List.of("ttlMinutes")));

        JsonPath accepted = create(Map.of("projectId", projectId, "ttlMinutes", 43_000)).then().statusCode(202)
                .extract().jsonPath();
        Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");
        assertProblem(extend(accepted.getString("environmentId"), 201), 422).body("errors.field",
                equalTo(List.of("ttlMinutes")));
        extend(accepted.getString("environmentId"), 200).then().statusCode(200).body("ttlMinutes",
                equalTo(43_200));
    }

    @Test
    void aFailingProvisionIsRetriedThenDeadLettered() {
        String taskId = create(Map.of("projectId", projectId, "ttlMinutes", 60, "params",
                Map.of("simulate", "fail"))).then().statusCode(202).extract().path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "dead_lettered");
        assertThat(task.getInt("attempt")).isEqualTo(3);
        assertThat(task.getList("steps.status")).containsExactly("succeeded", "failed", "skipped");
        assertThat(task.getString("error.message")).contains("provision", "simulate=fail");
    }

    @Test
    void aFlakyProvisionSucceedsOnItsSecondAttemptWithOneRecord() {
        String taskId = create(Map.of("projectId", projectId, "ttlMinutes", 60, "params",
                Map.of("simulate", "flaky:1"))).then().statusCode(202).extract().path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getInt("attempt")).isEqualTo(2);
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("environments.findAll { it.type == 'sandbox' }.size()", equalTo(1));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameSandbox() {
        String key = "sandbox-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("projectId", projectId, "ttlMinutes", 15);
        JsonPath first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/api/sandboxes").then().statusCode(202).extract().jsonPath();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/api/sandboxes").then().statusCode(200)
                .body("taskId", equalTo(first.getString("taskId")))
                .body("environmentId", equalTo(first.getString("environmentId")))
                .body("name", equalTo(first.getString("name")));
        assertProblem(given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("projectId", projectId, "ttlMinutes", 16)).post("/api/sandboxes"), 409);
    }

    @Test
    void concurrentExpiryChecksClaimEachDueSandboxOnceAndAnUnenqueuedClaimIsPickedUp() throws Exception {
        List<String> envIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonPath accepted = create(Map.of("projectId", projectId, "ttlMinutes", 60)).then().statusCode(202)
                    .extract().jsonPath();
            Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");
            envIds.add(accepted.getString("environmentId"));
        }
        envIds.forEach(this::makeDue);

        // two instances claiming at the same moment (the app's own job may be a third contender)
        int instances = 2;
        CyclicBarrier start = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<List<EnvironmentStore.DueSandbox>>> claims = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            claims.add(pool.submit((Callable<List<EnvironmentStore.DueSandbox>>) () -> {
                start.await();
                return environments.claimDueSandboxes(100);
            }));
        }
        Set<String> claimed = new HashSet<>();
        for (Future<List<EnvironmentStore.DueSandbox>> claim : claims) {
            for (EnvironmentStore.DueSandbox sandbox : claim.get()) {
                assertThat(claimed.add(sandbox.id().toString())).as("claimed twice: " + sandbox.id()).isTrue();
            }
        }
        pool.shutdown();

        // these claims were never enqueued (as if their instance died): the job enqueues them, once
        await().atMost(Duration.ofSeconds(30)).until(() -> envIds.stream().allMatch(id -> "expired".equals(
                given().get("/api/environments/{id}", id).then().extract().path("status"))));
        for (String envId : envIds) {
            assertThat(Tasks.task(onlyTask("sandbox_expire", envId)).getString("status")).isEqualTo("succeeded");
        }
    }

    private void makeDue(String envId) {
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("UPDATE environment SET expires_at = now() - interval '1 second' WHERE id = :id")
                .setParameter("id", UUID.fromString(envId)).executeUpdate());
    }

    private static String onlyTask(String type, String entityId) {
        JsonPath tasks = given().queryParam("type", type).queryParam("entityId", entityId).get("/api/tasks")
                .then().statusCode(200).extract().jsonPath();
        assertThat(tasks.getLong("total")).as(type + " tasks of " + entityId).isEqualTo(1);
        return tasks.getString("items[0].id");
    }

    private static Response create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/sandboxes");
    }

    private static Response extend(String envId, int minutes) {
        return given().contentType(ContentType.JSON).body(Map.of("ttlMinutes", minutes))
                .post("/api/sandboxes/{id}/extend", envId);
    }
}
