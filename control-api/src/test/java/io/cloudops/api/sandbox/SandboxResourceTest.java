package io.cloudops.api.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import io.cloudops.orchestrator.notification.SandboxNotices;
import io.cloudops.orchestrator.ops.EnvironmentStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.cloudops.api.testsupport.Fixtures.createEnvironment;
import static io.cloudops.api.testsupport.Fixtures.createProject;
import static io.cloudops.api.testsupport.Fixtures.uniqueName;
import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Sandboxes with the simulated adapter: creation, extension, expiry by the scheduled job, and the
 * TTL policy (project default and maximum, the admin exemption, the expiring notice after an
 * extension). Roles are switched with the demo header; without it the caller is the demo admin.
 */
@QuarkusTest
class SandboxResourceTest {

    @Inject
    EntityManager em;

    @Inject
    EnvironmentStore environments;

    @Inject
    SandboxNotices notices;

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
        assertThat(task.getString("entityLabel")).isEqualTo(projectName + "/" + name);
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
        assertThat(expiry.getString("entityLabel")).as("named by the expiry job, though its payload lacks the project")
                .isEqualTo(projectName + "/" + name);
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
    void aSandboxWithoutTtlGetsItsProjectsDefaultElseTheGlobalOne() {
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("sandboxDefaultTtlMinutes", nullValue()).body("sandboxMaxTtlMinutes", nullValue())
                .body("sandboxTtl.defaultTtlMinutes", equalTo(480)).body("sandboxTtl.maxTtlMinutes", equalTo(10_080))
                .body("sandboxTtl.absoluteMaxTtlMinutes", equalTo(43_200));
        assertThat(ttlOf(awaitCreated(Map.of("projectId", projectId)))).as("SANDBOX_DEFAULT_TTL, 8h").isEqualTo(480);

        String own = projectWithTtl(45, 120);
        assertThat(ttlOf(awaitCreated(Map.of("projectId", own)))).isEqualTo(45);
        // a maximum below the global default makes the maximum the default
        String capped = projectWithTtl(null, 30);
        given().get("/api/projects/{id}", capped).then().body("sandboxTtl.defaultTtlMinutes", equalTo(30));
        assertThat(ttlOf(awaitCreated(asOperator(), Map.of("projectId", capped)))).isEqualTo(30);
    }

    @Test
    void operatorsStayWithinTheProjectMaximumOnCreateAndExtend() {
        String capped = projectWithTtl(60, 120);
        long before = Tasks.count("sandbox_create");
        assertProblem(asOperator().body(Map.of("projectId", capped, "ttlMinutes", 121)).post("/api/sandboxes"), 422)
                .body("errors.field", equalTo(List.of("ttlMinutes")))
                .body("detail", containsString("at most 120 (2 h)"));
        assertThat(Tasks.count("sandbox_create")).as("a refused sandbox enqueues nothing").isEqualTo(before);

        String envId = awaitCreated(asOperator(), Map.of("projectId", capped, "ttlMinutes", 100));
        assertProblem(asOperator().body(Map.of("ttlMinutes", 21)).post("/api/sandboxes/{id}/extend", envId), 422)
                .body("errors.field", equalTo(List.of("ttlMinutes")))
                .body("detail", containsString("at most 120 (2 h), 20 more minutes at most"));
        asOperator().body(Map.of("ttlMinutes", 20)).post("/api/sandboxes/{id}/extend", envId).then()
                .statusCode(200).body("ttlMinutes", equalTo(120));
        assertProblem(asOperator().body(Map.of("ttlMinutes", 1)).post("/api/sandboxes/{id}/extend", envId), 422)
                .body("detail", containsString("it is there already"));
        assertThat(ttlOf(envId)).as("refused extensions change nothing").isEqualTo(120);
    }

    @Test
    void adminsMayGoPastTheProjectMaximumUpTo30DaysAndTheExemptionIsAudited() {
        String capped = projectWithTtl(60, 120);
        String create = "test-" + UUID.randomUUID();
        JsonPath accepted = given().header("X-Request-Id", create).contentType(ContentType.JSON)
                .body(Map.of("projectId", capped, "ttlMinutes", 600)).post("/api/sandboxes").then().statusCode(202)
                .extract().jsonPath();
        Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");
        String envId = accepted.getString("environmentId");
        assertThat(ttlOf(envId)).isEqualTo(600);
        JsonPath created = auditEntry(create);
        assertThat(created.getString("action")).isEqualTo("task.create");
        assertThat(created.getString("detail.exemption")).isEqualTo("true");
        assertThat(created.getString("detail.maxTtlMinutes")).isEqualTo("120");
        assertThat(created.getInt("detail.parameters.ttlMinutes")).isEqualTo(600);

        // past the project's maximum already: an operator may not extend it, an admin may
        assertProblem(asOperator().body(Map.of("ttlMinutes", 5)).post("/api/sandboxes/{id}/extend", envId), 422)
                .body("errors.field", equalTo(List.of("ttlMinutes")));
        String extend = "test-" + UUID.randomUUID();
        given().header("X-Request-Id", extend).contentType(ContentType.JSON).body(Map.of("ttlMinutes", 60))
                .post("/api/sandboxes/{id}/extend", envId).then().statusCode(200).body("ttlMinutes", equalTo(660));
        JsonPath extended = auditEntry(extend);
        assertThat(extended.getString("action")).isEqualTo("sandbox.extend");
        assertThat(extended.getBoolean("detail.exemption")).isTrue();
        assertThat(extended.getInt("detail.maxTtlMinutes")).isEqualTo(120);
        // not even an admin passes 30 days
        assertProblem(extend(envId, 43_200 - 660 + 1), 422).body("detail", containsString("43200 (30 days)"));

        // within the maximum an admin's sandbox is no exemption
        String plain = "test-" + UUID.randomUUID();
        String task = given().header("X-Request-Id", plain).contentType(ContentType.JSON)
                .body(Map.of("projectId", capped)).post("/api/sandboxes").then().statusCode(202).extract()
                .path("taskId");
        assertThat(auditEntry(plain).getString("detail.exemption")).isEqualTo("false");
        Tasks.awaitStatus(task, "succeeded");
    }

    @Test
    void theExpiringNoticeFollowsTheExtendedExpiry() {
        String project = createProject(Map.of("name", uniqueName("sbx-notice"), "emailRecipients",
                List.of("sandbox-owner@example.com"), "sandboxDefaultTtlMinutes", 30, "sandboxMaxTtlMinutes", 60));
        String envId = awaitCreated(asOperator(), Map.of("projectId", project));
        // it has lived 25 of its 30 minutes: the 10-minute notice is due
        QuarkusTransaction.requiringNew()
                .run(() -> em
                        .createNativeQuery(
                                """
                                        UPDATE environment SET created_at = now() - interval '25 minutes', expires_at = now() + interval '5 minutes'
                                        WHERE id = :id""")
                        .setParameter("id", UUID.fromString(envId)).executeUpdate());
        Instant firstExpiry = Instant.parse(given().get("/api/environments/{id}", envId).then().extract()
                .path("expiresAt"));
        notices.writeDue();
        assertThat(expiringNotices(envId)).containsExactly(noticeKey(envId, firstExpiry));

        // refused past the project's maximum: the expiry stays, so does the notice
        assertProblem(asOperator().body(Map.of("ttlMinutes", 31)).post("/api/sandboxes/{id}/extend", envId), 422);
        notices.writeDue();
        assertThat(expiringNotices(envId)).containsExactly(noticeKey(envId, firstExpiry));

        // extended within it: the sandbox is told again about its new expiry
        Instant extendedExpiry = Instant.parse(asOperator().body(Map.of("ttlMinutes", 2))
                .post("/api/sandboxes/{id}/extend", envId).then().statusCode(200).extract().path("expiresAt"));
        assertThat(extendedExpiry).isEqualTo(firstExpiry.plus(Duration.ofMinutes(2)));
        notices.writeDue();
        assertThat(expiringNotices(envId)).containsExactlyInAnyOrder(noticeKey(envId, firstExpiry),
                noticeKey(envId, extendedExpiry));
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

    /** The dedup keys of the email route's "expiring" notices of a sandbox. */
    @SuppressWarnings("unchecked")
    private List<String> expiringNotices(String envId) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                SELECT dedup_key FROM notification_outbox
                WHERE environment_id = :id AND event = 'sandbox.expiring' AND route_kind = 'email'""")
                .setParameter("id", UUID.fromString(envId)).getResultList());
    }

    /** The 10-minute notice's key for an expiry (NotificationOutbox#enqueueSandboxExpiring). */
    private static String noticeKey(String envId, Instant expiresAt) {
        return "sandbox.expiring:" + envId + ":600:" + expiresAt.getEpochSecond();
    }

    private static String projectWithTtl(Integer defaultMinutes, Integer maxMinutes) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", uniqueName("sbx-ttl"));
        body.put("sandboxDefaultTtlMinutes", defaultMinutes);
        body.put("sandboxMaxTtlMinutes", maxMinutes);
        return createProject(body);
    }

    private static RequestSpecification asOperator() {
        return given().header("X-Demo-Role", "operator").contentType(ContentType.JSON);
    }

    /** Creates a sandbox as the default demo admin and waits for it; its environment id. */
    private static String awaitCreated(Map<String, Object> body) {
        return awaitCreated(given().contentType(ContentType.JSON), body);
    }

    private static String awaitCreated(RequestSpecification as, Map<String, Object> body) {
        JsonPath accepted = as.body(body).post("/api/sandboxes").then().statusCode(202).extract().jsonPath();
        Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");
        return accepted.getString("environmentId");
    }

    private static int ttlOf(String envId) {
        return given().get("/api/environments/{id}", envId).then().statusCode(200).extract().path("ttlMinutes");
    }

    /** The only audit entry of the request that sent {@code X-Request-Id: requestId}. */
    private static JsonPath auditEntry(String requestId) {
        JsonPath page = given().queryParam("requestId", requestId).get("/api/audit").then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getList("items")).as("audit entries of request %s", requestId).hasSize(1);
        return page.setRootPath("items[0]");
    }

    private static Response create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/sandboxes");
    }

    private static Response extend(String envId, int minutes) {
        return given().contentType(ContentType.JSON).body(Map.of("ttlMinutes", minutes))
                .post("/api/sandboxes/{id}/extend", envId);
    }
}
