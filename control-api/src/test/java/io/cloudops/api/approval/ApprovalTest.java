package io.cloudops.api.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.api.testsupport.Tasks;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Approvals (docs/change-safety.md): a task that needs approval waits as {@code awaiting_approval}
 * at the head of its entity's queue without taking a worker; the requester can never approve it,
 * only the approver role can; N approvals queue it at its place, one rejection or the timeout ends
 * it as {@code rejected}; every decision is audited and written as an event. The test profile asks
 * approval for entities and projects named {@code needs-approval...} (diagnostic tasks included, so
 * the runs are cheap), and nothing else, so other tests are unaffected.
 */
@QuarkusTest
class ApprovalTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Longer than two sweep intervals (2 s): the sweeper had its chance to start what must wait. */
    private static final Duration HOLDS = Duration.ofSeconds(5);

    @Inject
    TaskSubmitter submitter;

    @Inject
    TaskQueries queries;

    @Inject
    ObjectMapper json;

    @Test
    void aTaskAwaitingApprovalHoldsItsPlaceWithoutAWorkerAndRunsFirstOnceAnotherUserApproves() {
        String entity = "needs-approval/" + UUID.randomUUID();
        String first = diagnostic(as("alice", "operator"), entity);
        String second = diagnostic(as("alice", "operator"), entity);
        JsonPath waiting = Tasks.task(first);
        assertThat(waiting.getString("status")).isEqualTo("awaiting_approval");
        assertThat(waiting.getInt("approval.required")).isEqualTo(1);
        assertThat(waiting.getString("approval.approverRole")).isEqualTo("admin");
        assertThat(Instant.parse(waiting.getString("approval.deadline")))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));

        // more tasks awaiting approval than workers: none of them takes one, other entities run
        List<String> others = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> diagnostic(as("alice", "operator"), "needs-approval/" + UUID.randomUUID())).toList();
        String free = diagnostic(as("alice", "operator"), "free/" + UUID.randomUUID());
        Tasks.awaitStatus(free, "succeeded");

        // four eyes: not the requester, whatever their role; not without the approver role
        assertProblem(decide(as("alice", "admin"), first, "approve", "my own change"), 403)
                .body("detail", containsString("cannot approve"));
        assertProblem(decide(as("bob", "operator"), first, "approve", null), 403)
                .body("detail", containsString("only role admin"));

        // the one behind is approved first: it still waits for the head
        decide(as("bob", "admin"), second, "approve", "fine").then().statusCode(200)
                .body("status", equalTo("queued")).body("approval.approved", equalTo(1))
                .body("approval.decisions[0].approver", equalTo("bob"));
        await().during(HOLDS).atMost(HOLDS.plusSeconds(5)).until(() -> "queued".equals(status(second))
                && "awaiting_approval".equals(status(first)));

        decide(as("carol", "admin"), first, "approve", "checked with the on-call lead").then().statusCode(200);
        JsonPath ranSecond = Tasks.awaitStatus(second, "succeeded");
        JsonPath ranFirst = Tasks.task(first);
        assertThat(ranFirst.getString("status")).isEqualTo("succeeded");
        assertThat(Instant.parse(ranFirst.getString("finishedAt")))
                .as("the approved head ran before the task behind it")
                .isBeforeOrEqualTo(Instant.parse(ranSecond.getString("startedAt")));
        assertThat(events(first)).anyMatch(e -> "queued".equals(e.status())
                && e.message().contains("approved by carol (1 of 1): checked with the on-call lead"));
        given().queryParam("action", "task.approve").queryParam("targetId", first).get("/api/audit").then()
                .statusCode(200).body("items[0].actor", equalTo("carol"))
                .body("items[0].detail.comment", equalTo("checked with the on-call lead"));
        others.forEach(id -> assertThat(status(id)).isEqualTo("awaiting_approval"));
        others.forEach(id -> decide(as("bob", "admin"), id, "reject", "clean up").then().statusCode(200));
    }

    @Test
    void oneRejectionEndsTheTaskWithNothingRunAndTheQueueMovesOn() {
        String entity = "needs-approval/" + UUID.randomUUID();
        String first = diagnostic(as("alice", "operator"), entity);
        String second = diagnostic(as("alice", "operator"), entity);

        decide(as("bob", "admin"), first, "reject", "not during the sale").then().statusCode(200)
                .body("status", equalTo("rejected"))
                .body("error.message", equalTo("rejected by bob: not during the sale"))
                .body("steps.status", equalTo(List.of("skipped")));
        assertProblem(decide(as("carol", "admin"), first, "approve", null), 409)
                .body("detail", containsString("only a task awaiting approval"));
        decide(as("carol", "admin"), second, "approve", null).then().statusCode(200);
        Tasks.awaitStatus(second, "succeeded");
        assertThat(Tasks.task(first).getString("startedAt")).as("the rejected task never ran").isNull();
        given().queryParam("action", "task.reject").queryParam("targetId", first).get("/api/audit").then()
                .statusCode(200).body("items[0].actor", equalTo("bob"));
    }

    @Test
    void aTaskThatNeedsTwoApprovalsCountsEachApproverOnce() {
        String entity = "two-approvals/" + UUID.randomUUID();
        String task = submit(entity, new TaskSubmitter.Approval(2, "admin", Duration.ofHours(1)));

        decide(as("bob", "admin"), task, "approve", null).then().statusCode(200)
                .body("status", equalTo("awaiting_approval")).body("approval.approved", equalTo(1));
        assertProblem(decide(as("bob", "admin"), task, "approve", null), 409)
                .body("detail", containsString("already decided"));
        assertThat(status(task)).isEqualTo("awaiting_approval");
        decide(as("carol", "admin"), task, "approve", null).then().statusCode(200)
                .body("approval.approved", equalTo(2));
        Tasks.awaitStatus(task, "succeeded");
    }

    @Test
    void noDecisionBeforeTheDeadlineRejectsNeverApproves() {
        String entity = "approval-timeout/" + UUID.randomUUID();
        String task = submit(entity, new TaskSubmitter.Approval(1, "admin", Duration.ofMillis(1)));
        String behind = submit(entity, null);

        JsonPath rejected = Tasks.awaitStatus(task, "rejected");
        assertThat(rejected.getString("error.message")).contains("a timeout never approves");
        assertThat(rejected.getString("startedAt")).isNull();
        Tasks.awaitStatus(behind, "succeeded");
        assertThat(events(task)).anyMatch(e -> "rejected".equals(e.status()));
    }

    @Test
    void aCancelledTaskThatWasNeverApprovedWaitsForApprovalAgainWhenRetried() {
        String task = diagnostic(as("alice", "operator"), "needs-approval/" + UUID.randomUUID());
        as("alice", "operator").post("/api/tasks/{id}/cancel", task).then().statusCode(202)
                .body("status", equalTo("cancelled"));
        as("alice", "operator").post("/api/tasks/{id}/retry", task).then().statusCode(202)
                .body("status", equalTo("awaiting_approval"));
        await().during(HOLDS).atMost(HOLDS.plusSeconds(5)).until(() -> "awaiting_approval".equals(status(task)));
        decide(as("bob", "admin"), task, "approve", null).then().statusCode(200);
        Tasks.awaitStatus(task, "succeeded");
    }

    @Test
    void aProdDeploymentNeedsApprovalAndADryRunDoesNot() {
        String project = Fixtures.uniqueName("needs-approval");
        String projectId = Fixtures.createProject(project);
        String envId = Fixtures.createEnvironment(projectId, "prod", "prod");
        Map<String, Object> body = Map.of("projectId", projectId, "envId", envId, "templateId", "web-app",
                "params", Map.of("image", "nginx:1.27"));
        String deployment = as("alice", "operator").contentType(ContentType.JSON).body(body).post("/api/deployments")
                .then().statusCode(202).extract().path("taskId");
        assertThat(status(deployment)).isEqualTo("awaiting_approval");
        given().queryParam("action", "task.create").queryParam("targetId", deployment).get("/api/audit").then()
                .statusCode(200).body("items[0].detail.approvalsRequired", equalTo(1));

        Map<String, Object> preview = new java.util.HashMap<>(body);
        preview.put("dryRun", true);
        String dryRun = as("alice", "operator").contentType(ContentType.JSON).body(preview).post("/api/deployments")
                .then().statusCode(202).extract().path("taskId");
        Tasks.awaitStatus(dryRun, "succeeded");
        decide(as("bob", "admin"), deployment, "approve", null).then().statusCode(200);
        Tasks.awaitStatus(deployment, "succeeded");
    }

    @Test
    void badDecisionsAreProblemsAndChangeNothing() {
        String task = diagnostic(as("alice", "operator"), "needs-approval/" + UUID.randomUUID());
        assertProblem(decide(as("bob", "admin"), task, "approve", "x".repeat(1001)), 400)
                .body("errors.field", equalTo(List.of("comment")));
        assertProblem(decide(as("bob", "viewer"), task, "approve", null), 403);
        assertProblem(decide(as("bob", "admin"), UUID.randomUUID().toString(), "approve", null), 404);
        assertProblem(given().header("X-Demo-User", "mallory").contentType(ContentType.JSON).body("{}")
                .post("/api/tasks/{id}/approve", task), 400).body("errors.field", equalTo(List.of("X-Demo-User")));
        assertThat(Tasks.task(task).getList("approval.decisions")).isEmpty();
        assertThat(status(task)).isEqualTo("awaiting_approval");
        decide(as("bob", "admin"), task, "reject", null).then().statusCode(200);
    }

    private static RequestSpecification as(String user, String role) {
        return given().header("X-Demo-User", user).header("X-Demo-Role", role);
    }

    private static String diagnostic(RequestSpecification as, String entity) {
        return as.contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", 1, "stepMillis", 0, "fail", "never"))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private static Response decide(RequestSpecification as, String task, String decision, String comment) {
        return as.contentType(ContentType.JSON).body(comment == null ? Map.of() : Map.of("comment", comment))
                .post("/api/tasks/{id}/" + decision, task);
    }

    /** A diagnostic task submitted by alice straight to the engine, with {@code approval} (null: none). */
    private String submit(String entity, TaskSubmitter.Approval approval) {
        var payload = json.createObjectNode().put("entityId", entity).put("steps", 1).put("stepMillis", 0)
                .put("fail", "never");
        var submission = new TaskSubmitter.Submission("diagnostic", entity, payload, "alice", null, null, null);
        return submitter.submit(approval == null ? submission : submission.withApproval(approval)).taskId()
                .toString();
    }

    private static String status(String task) {
        return Tasks.task(task).getString("status");
    }

    private List<TaskEvent> events(String task) {
        return queries.eventsAfter(UUID.fromString(task), 0, 100);
    }
}
