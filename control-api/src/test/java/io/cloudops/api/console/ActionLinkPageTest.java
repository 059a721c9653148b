package io.cloudops.api.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.api.testsupport.Tasks;
import io.cloudops.orchestrator.client.ActionLinks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The notifications' action links in the console (docs/notifications.md, "Action buttons"): opening one
 * changes nothing and asks for a confirmation; confirming runs the action with its role and rules (four
 * eyes for approvals), once; a used, altered, foreign or expired link is refused and says why. Users are
 * demo users ({@code X-Demo-User}, {@code X-Demo-Role}); approvals as the test profile asks them for
 * entities named {@code needs-approval...}.
 */
@QuarkusTest
class ActionLinkPageTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Inject
    ActionLinks links;

    @Test
    void anApproveLinkAsksFirstWorksOnceForAnotherApproverAndIsAudited() {
        String task = diagnostic("alice", "needs-approval/" + UUID.randomUUID(), "never");
        String token = token(ActionLinks.Action.APPROVE, task);

        Response page = open("bob", "admin", token);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("Confirm: Approve", "diagnostic on needs-approval/", "awaiting_approval",
                "requested by alice", "name=\"comment\"");
        assertThat(Tasks.task(task).getString("status")).as("opening the link changes nothing")
                .isEqualTo("awaiting_approval");

        // the requester's confirmation is refused (four eyes), and the link stays usable
        Response own = confirm("alice", "admin", token, Map.of());
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.asString()).contains("cannot approve");

        Response approved = confirm("bob", "admin", token, Map.of("comment", "looks right"));
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(approved.asString()).contains("Approved: the task is queued at its place.")
                .doesNotContain("Confirm: Approve");
        Tasks.awaitStatus(task, "succeeded");
        given().queryParam("action", "task.approve").queryParam("targetId", task).get("/api/audit").then()
                .statusCode(200).body("items[0].actor", equalTo("bob"))
                .body("items[0].detail.comment", equalTo("looks right"))
                .body("items[0].detail.request", equalTo("POST /links"));

        // once: a second click, by anyone, is refused naming who used it
        Response again = confirm("carol", "admin", token, Map.of());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.asString()).contains("already used by bob");
        Response reopened = open("carol", "admin", token);
        assertThat(reopened.statusCode()).isEqualTo(409);
        assertThat(reopened.asString()).contains("This link was already used by bob").doesNotContain("Confirm:");
    }

    @Test
    void aRejectLinkEndsTheTaskRejected() {
        String task = diagnostic("alice", "needs-approval/" + UUID.randomUUID(), "never");
        String token = token(ActionLinks.Action.REJECT, task);
        Response page = open("bob", "admin", token);
        Response rejected = confirm("bob", "admin", token, Map.of("comment", "not today"));
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(rejected.asString()).contains("Rejected: nothing of it runs.");
        JsonPath ended = Tasks.task(task);
        assertThat(ended.getString("status")).isEqualTo("rejected");
        assertThat(ended.getString("error.message")).isEqualTo("rejected by bob: not today");
    }

    @Test
    void aRetryLinkRequeuesAFailedTaskForAnOperatorNotForAViewer() {
        String task = diagnostic("alice", "links/" + UUID.randomUUID(), "permanent");
        Tasks.awaitStatus(task, "failed");
        String token = token(ActionLinks.Action.RETRY, task);

        Response page = open("carol", "viewer", token);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("Your role cannot do this").doesNotContain("Confirm: Retry");
        assertThat(confirm("carol", "viewer", token, Map.of()).statusCode()).isEqualTo(403);

        Instant firstEnd = Instant.parse(Tasks.task(task).getString("finishedAt"));
        Response retried = confirm("bob", "operator", token, Map.of());
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.asString()).contains("Re-queued at the tail of its entity");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath now = Tasks.task(task);
            return "failed".equals(now.getString("status"))
                    && Instant.parse(now.getString("finishedAt")).isAfter(firstEnd);
        });
        given().queryParam("action", "task.retry").queryParam("targetId", task).get("/api/audit").then()
                .statusCode(200).body("items[0].actor", equalTo("bob"))
                .body("items[0].detail.via", equalTo("action link"));
    }

    @Test
    void anExtendLinkAddsOneHourToTheSandbox() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("links"));
        JsonPath accepted = given().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "ttlMinutes", 60)).post("/api/sandboxes").then()
                .statusCode(202).extract().jsonPath();
        Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");
        String envId = accepted.getString("environmentId");
        Instant before = Instant.parse(given().get("/api/environments/{id}", envId).then().statusCode(200).extract()
                .path("expiresAt"));

        String token = token(ActionLinks.Action.EXTEND, envId);
        Response page = open("bob", "operator", token);
        assertThat(page.asString()).contains("Confirm: Extend TTL 1h", accepted.getString("name"));
        Response extended = confirm("bob", "operator", token, Map.of());
        assertThat(extended.statusCode()).isEqualTo(200);
        assertThat(extended.asString()).contains("Extended by 1 hour");
        given().get("/api/environments/{id}", envId).then().statusCode(200)
                .body("expiresAt", equalTo(before.plus(Duration.ofHours(1)).toString()))
                .body("ttlMinutes", equalTo(120));
    }

    @Test
    void anAlteredExpiredOrUnknownLinkIsRefusedSayingWhy() {
        String task = diagnostic("alice", "needs-approval/" + UUID.randomUUID(), "never");
        String token = token(ActionLinks.Action.APPROVE, task);
        String altered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        Response forged = open("bob", "admin", altered);
        assertThat(forged.statusCode()).isEqualTo(404);
        assertThat(forged.asString()).contains("signature does not hold").doesNotContain("Confirm:");

        String expired = links.sign(ActionLinks.Action.APPROVE, UUID.fromString(task), Instant.now().minusSeconds(1));
        Response late = open("bob", "admin", expired);
        assertThat(late.statusCode()).isEqualTo(404);
        assertThat(late.asString()).contains("expired at");
        assertThat(confirm("bob", "admin", expired, Map.of()).statusCode()).isEqualTo(404);

        String gone = links.sign(ActionLinks.Action.RETRY, UUID.randomUUID(), Instant.now().plusSeconds(60));
        assertThat(open("bob", "admin", gone).asString()).contains("no longer exists");
        assertThat(Tasks.task(task).getString("status")).isEqualTo("awaiting_approval");
        given().header("X-Demo-User", "bob").header("X-Demo-Role", "admin").contentType(ContentType.JSON)
                .body(Map.of()).post("/api/tasks/{id}/reject", task).then().statusCode(200);
    }

    private String token(ActionLinks.Action action, String subject) {
        String url = links.url("http://localhost:8080", action, UUID.fromString(subject));
        assertThat(url).startsWith("http://localhost:8080/links/");
        return url.substring("http://localhost:8080/links/".length());
    }

    private static String diagnostic(String user, String entity, String fail) {
        return given().header("X-Demo-User", user).header("X-Demo-Role", "operator").contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", 1, "stepMillis", 0, "fail", fail))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private static Response open(String user, String role, String token) {
        return given().header("X-Demo-User", user).header("X-Demo-Role", role).get("/links/{token}", token);
    }

    /** Posts the confirmation form as {@code user}, with a CSRF cookie and its token as a browser would. */
    private static Response confirm(String user, String role, String token, Map<String, String> form) {
        Response csrfPage = given().get("/settings");
        Matcher csrf = CSRF.matcher(csrfPage.asString());
        assertThat(csrf.find()).as("a CSRF token").isTrue();
        return given().redirects().follow(false).header("X-Demo-User", user).header("X-Demo-Role", role)
                .cookie("cloudops-csrf", csrfPage.getCookie("cloudops-csrf"))
                .contentType(ContentType.URLENC.withCharset("UTF-8")).formParams(form).formParam("token", token)
                .formParam("csrf-token", csrf.group(1)).post("/links");
    }
}
