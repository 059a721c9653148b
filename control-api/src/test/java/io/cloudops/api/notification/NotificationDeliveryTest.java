package io.cloudops.api.notification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.api.testsupport.Metrics;
import io.cloudops.api.testsupport.NotificationProfile;
import io.cloudops.api.testsupport.NotificationReceivers;
import io.cloudops.api.testsupport.NotificationReceivers.Post;
import io.cloudops.api.testsupport.Tasks;
import io.cloudops.orchestrator.notification.Delivery;
import io.cloudops.orchestrator.notification.NotificationDispatcher;
import io.cloudops.orchestrator.notification.NotificationMessage;
import io.cloudops.orchestrator.notification.OutboxPurge;
import io.cloudops.orchestrator.notification.SandboxNotices;
import io.cloudops.orchestrator.notification.SendGridSender;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications end to end: a task's outcome reaches the Teams webhook (an Adaptive Card in the
 * Workflows envelope) and the SMTP server (HTML and text), durably: a refused post is retried and
 * every attempt recorded, a claim lost in a crash is sent after its lease, and dispatchers racing
 * each other send each notification once.
 */
@QuarkusTest
@TestProfile(NotificationProfile.class)
class NotificationDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Inject
    NotificationDispatcher dispatcher;

    @Inject
    ObjectMapper json;

    @Inject
    SendGridSender sendGrid;

    @Inject
    SandboxNotices notices;

    @Inject
    OutboxPurge purge;

    @Inject
    Scheduler scheduler;

    /** Every test starts with full route buckets: earlier tests' notifications do not count against it. */
    @BeforeEach
    void fillRouteBuckets() {
        sql("DELETE FROM notification_route_bucket");
    }

    @Test
    void aFailedTaskPostsAnAdaptiveCardToTeamsAndEmailsTheGlobalRecipients() throws Exception {
        String entity = "diag/notify-fail-" + UUID.randomUUID();
        String taskId = diagnostic(entity, "permanent");
        Tasks.awaitStatus(taskId, "failed");

        JsonPath task = awaitNotifications(taskId, 3);
        assertThat(task.getList("notifications.routeKind")).containsExactlyInAnyOrder("teams", "email", "slack");
        assertThat(task.getList("notifications.event")).containsOnly("failed");
        assertThat(task.getList("notifications.status")).containsOnly("sent");
        String teamsTarget = task.getString("notifications.find { it.routeKind == 'teams' }.target");
        assertThat(teamsTarget).isEqualTo("http://127.0.0.1/****");
        assertThat(task.prettify()).doesNotContain(NotificationReceivers.SIGNATURE)
                .doesNotContain(NotificationReceivers.GLOBAL_PATH);
        assertThat(task.getString("notifications.find { it.routeKind == 'email' }.target"))
                .isEqualTo(NotificationReceivers.GLOBAL_RECIPIENT);
        assertThat(task.getInt("notifications.find { it.routeKind == 'teams' }.attemptLog[0].httpStatus"))
                .isEqualTo(200);

        // the card: envelope, schema 1.5, title, colour, facts and the "Open task" link
        String teamsId = task.getString("notifications.find { it.routeKind == 'teams' }.id");
        List<Post> posts = NotificationReceivers.postsWithKey(teamsId);
        assertThat(posts).hasSize(1);
        Post post = posts.get(0);
        assertThat(post.path()).isEqualTo(NotificationReceivers.GLOBAL_PATH);
        assertThat(post.query()).as("the webhook's query string (its signature) is kept")
                .isEqualTo(NotificationReceivers.SIGNATURE);
        assertThat(post.contentType()).startsWith("application/json");
        JsonNode envelope = json.readTree(post.body());
        sample("teams-card-failed.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(envelope));
        assertThat(envelope.path("type").asText()).isEqualTo("message");
        assertThat(envelope.path("attachments")).hasSize(1);
        assertThat(envelope.at("/attachments/0/contentType").asText())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = envelope.at("/attachments/0/content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asText()).isEqualTo("1.5");
        assertThat(card.at("/body/0/style").asText()).isEqualTo("attention");
        assertThat(card.at("/body/0/items/0/text").asText()).isEqualTo("diagnostic failed: " + entity);
        Map<String, String> facts = facts(card);
        assertThat(facts).containsEntry("Task type", "diagnostic").containsEntry("Status", "Failed")
                .containsEntry("Entity", entity).containsEntry("Requested by", "demo")
                .containsEntry("Failed step", "step-2").containsKey("Duration");
        assertThat(card.at("/body/2/text").asText()).isEqualTo("step-2: diagnostic permanent failure (fail=permanent)");
        assertThat(card.at("/body/2/color").asText()).isEqualTo("Attention");
        assertThat(card.at("/body/3/text").asText()).startsWith("This task was asked to fail permanently");
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/title").asText()).isEqualTo("Open task");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo("http://localhost:8080/tasks/" + taskId);
        // and "Retry": a signed link to the console's confirmation page (ActionLinkPageTest follows it)
        assertThat(card.at("/actions/1/title").asText()).isEqualTo("Retry");
        String retry = card.at("/actions/1/url").asText();
        assertThat(retry).startsWith("http://localhost:8080/links/");
        assertThat(given().get(retry.substring("http://localhost:8080".length())).then().statusCode(200).extract()
                .asString()).contains("Confirm: Retry", "diagnostic on " + entity);

        // the task page lists them, masked
        String page = given().get("/tasks/{id}", taskId).then().statusCode(200).extract().asString();
        assertThat(page).contains("aria-label=\"Notification list\"", "http://127.0.0.1/****",
                NotificationReceivers.GLOBAL_RECIPIENT, "HTTP 200").doesNotContain(NotificationReceivers.SIGNATURE);

        // the email: to the global recipient, a text and an HTML part with the same facts
        MimeMessage email = awaitEmail(entity);
        assertThat(email.getAllRecipients()[0].toString()).isEqualTo(NotificationReceivers.GLOBAL_RECIPIENT);
        String text = part(email, "text/plain");
        String html = part(email, "text/html");
        sample("email-failed.txt", "Subject: " + email.getSubject() + "\n\n" + text);
        assertThat(text).contains("Status: Failed", "Failed step: step-2",
                "Open task: http://localhost:8080/tasks/" + taskId, "Retry: http://localhost:8080/links/");
        assertThat(html).contains("<th align=\"left\">Failed step</th><td>step-2</td>",
                "href=\"http://localhost:8080/tasks/" + taskId + "\"");
    }

    @Test
    void aTaskAwaitingApprovalAsksItsApproversWithApproveAndRejectButtonsAndItsRejectionIsTold() throws Exception {
        String entity = "needs-approval/notify-" + UUID.randomUUID();
        String taskId = given().header("X-Demo-User", "alice").contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", 1, "stepMillis", 0)).post("/api/tasks/diagnostic").then()
                .statusCode(202).extract().path("taskId");
        JsonPath waiting = awaitNotifications(taskId, 3);
        assertThat(waiting.getString("status")).isEqualTo("awaiting_approval");
        assertThat(waiting.getList("notifications.event")).containsOnly("awaiting_approval");
        String teamsId = waiting.getString("notifications.find { it.routeKind == 'teams' }.id");
        JsonNode card = json.readTree(NotificationReceivers.postsWithKey(teamsId).get(0).body())
                .at("/attachments/0/content");
        assertThat(card.at("/body/0/style").asText()).isEqualTo("warning");
        assertThat(card.at("/body/0/items/1/text").asText()).isEqualTo("Awaiting approval");
        assertThat(facts(card)).containsEntry("Requested by", "alice");
        assertThat(card.at("/actions/1/title").asText()).isEqualTo("Approve");
        assertThat(card.at("/actions/2/title").asText()).isEqualTo("Reject");
        assertThat(card.at("/actions/1/url").asText()).startsWith("http://localhost:8080/links/")
                .isNotEqualTo(card.at("/actions/2/url").asText());

        given().header("X-Demo-User", "bob").header("X-Demo-Role", "admin").contentType(ContentType.JSON)
                .body(Map.of("comment", "not now")).post("/api/tasks/{id}/reject", taskId).then().statusCode(200);
        JsonPath told = awaitNotifications(taskId, 6);
        assertThat(told.getList("notifications.event")).containsOnly("awaiting_approval", "rejected");
        String rejectedTeams = told.getString(
                "notifications.find { it.routeKind == 'teams' && it.event == 'rejected' }.id");
        JsonNode rejected = json.readTree(NotificationReceivers.postsWithKey(rejectedTeams).get(0).body())
                .at("/attachments/0/content");
        assertThat(rejected.at("/body/0/style").asText()).isEqualTo("attention");
        assertThat(rejected.at("/body/0/items/0/text").asText()).isEqualTo("diagnostic rejected: " + entity);
        assertThat(texts(rejected)).contains("rejected by bob: not now");
        assertThat(rejected.at("/actions").size()).as("nothing to act on: only Open task").isEqualTo(1);
    }

    @Test
    void aSuccessGoesToTeamsOnlyAndADeadLetterToEveryRoute() {
        String succeeded = diagnostic("diag/notify-ok-" + UUID.randomUUID(), "never");
        String deadLettered = diagnostic("diag/notify-dlq-" + UUID.randomUUID(), "always");
        Tasks.awaitStatus(succeeded, "succeeded");
        Tasks.awaitStatus(deadLettered, "dead_lettered");

        JsonPath ok = awaitNotifications(succeeded, 1);
        assertThat(ok.getList("notifications.routeKind")).containsExactly("teams");
        assertThat(ok.getList("notifications.event")).containsExactly("succeeded");
        JsonPath dlq = awaitNotifications(deadLettered, 4);
        assertThat(dlq.getList("notifications.routeKind")).containsExactlyInAnyOrder("teams", "email", "slack",
                "pagerduty");
        assertThat(dlq.getList("notifications.event")).containsOnly("dead_lettered");
        String card = NotificationReceivers.postsWithKey(ok.getString("notifications[0].id")).get(0).body();
        assertThat(card).contains("\"style\":\"good\"", "\"color\":\"Good\"");
    }

    @Test
    void aDeploymentsCardNamesItsEnvironmentByProjectAndName() throws Exception {
        String project = Fixtures.uniqueName("notify-named");
        String projectId = Fixtures.createProject(project);
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");
        String taskId = given().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "envId", envId, "templateId", "web-app", "params",
                        Map.of("image", "nginx")))
                .post("/api/deployments").then().statusCode(202).extract().path("taskId");
        Tasks.awaitStatus(taskId, "succeeded");

        // the success goes to the global Teams route; the task's stored label names the entity, not its id
        JsonPath task = awaitNotifications(taskId, 1);
        assertThat(task.getString("entityLabel")).isEqualTo(project + "/dev");
        JsonNode card = json.readTree(NotificationReceivers.postsWithKey(task.getString("notifications[0].id"))
                .get(0).body()).at("/attachments/0/content");
        assertThat(card.at("/body/0/items/0/text").asText()).isEqualTo("deployment succeeded: " + project + "/dev");
        assertThat(facts(card)).containsEntry("Entity", project + "/dev").containsEntry("Environment", "dev");
    }

    @Test
    void aNotificationThatKeepsFailingEndsFailedAndNeverTouchesItsTask() {
        // the global webhook refuses every attempt (max-attempts is 3 in tests)
        NotificationReceivers.plan(NotificationReceivers.GLOBAL_PATH, 503, 503, 503);
        String taskId = diagnostic("diag/notify-refused-" + UUID.randomUUID(), "never");
        JsonPath done = Tasks.awaitStatus(taskId, "succeeded");

        await().atMost(WAIT).until(() -> "failed".equals(Tasks.task(taskId).getString("notifications[0].status")));
        JsonPath task = Tasks.task(taskId);
        assertThat(task.getString("status")).isEqualTo("succeeded");
        assertThat(task.getString("finishedAt")).isEqualTo(done.getString("finishedAt"));
        assertThat(task.getList("notifications[0].attemptLog.httpStatus")).containsExactly(503, 503, 503);
        assertThat(task.getString("notifications[0].lastError")).contains("503");
        // the task was finished before any attempt was made: the outcome never waited for the webhook
        assertThat(java.time.Instant.parse(task.getString("notifications[0].attemptLog[0].at")))
                .isAfterOrEqualTo(java.time.Instant.parse(task.getString("finishedAt")));
    }

    private static final String ATTEMPTS = "cloudops_notification_attempts_total";

    @Test
    void aRefusedPostIsRetriedAndEveryAttemptRecorded() {
        // a project whose own webhook answers 500 once: stored directly, since the save-time policy takes
        // only https URLs to the Teams hosts (a local receiver is neither)
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify"));
        String path = "/workflows/flaky-" + UUID.randomUUID();
        NotificationReceivers.plan(path, 500);
        sql("UPDATE project SET teams_webhook_url = ?, email_recipients = '{}' WHERE id = ?::uuid",
                NotificationReceivers.baseUrl() + path, projectId);

        // a test notification as a task's would be queued (the test endpoint itself sends once, no retry)
        Metrics before = Metrics.scrape();
        String id = UUID.randomUUID().toString();
        sql("""
                INSERT INTO notification_outbox (id, project_id, event, route_kind, target, status, attempts, max_attempts,
                                                 next_attempt_at, created_at)
                VALUES (?::uuid, ?::uuid, 'test', 'teams', ?, 'pending', 0, 3, now(), now())""",
                id, projectId, NotificationReceivers.baseUrl() + path);

        await().atMost(WAIT).until(() -> "sent".equals(notification(id).getString("status")));
        // the metric counts each attempt by outcome (other tests' notifications may add to it, never take away)
        Metrics after = Metrics.scrape();
        assertThat(after.value(ATTEMPTS, "route", "teams", "outcome", "retrying")
                - before.value(ATTEMPTS, "route", "teams", "outcome", "retrying")).isGreaterThanOrEqualTo(1);
        assertThat(after.value(ATTEMPTS, "route", "teams", "outcome", "sent")
                - before.value(ATTEMPTS, "route", "teams", "outcome", "sent")).isGreaterThanOrEqualTo(1);
        assertThat(after.has(ATTEMPTS)).isTrue();
        JsonPath sent = notification(id);
        assertThat(sent.getList("attemptLog.outcome")).containsExactly("failed", "sent");
        assertThat(sent.getList("attemptLog.httpStatus")).containsExactly(500, 200);
        assertThat(sent.getString("attemptLog[0].error")).contains("500");
        assertThat(sent.getInt("attempts")).isEqualTo(2);
        assertThat(NotificationReceivers.postsWithKey(id)).hasSize(2)
                .allSatisfy(p -> assertThat(p.path()).isEqualTo(path));
        // the test card names the project and links to the settings
        assertThat(NotificationReceivers.postsWithKey(id).get(1).body()).contains("CloudOps test notification",
                "\"style\":\"accent\"", "http://localhost:8080/settings");
    }

    @Test
    void aTestWithoutAProjectIsSentThroughTheGlobalRoutesAndAnsweredPerRoute() {
        JsonPath answer = given().contentType(ContentType.JSON).post("/api/notifications/test").then()
                .statusCode(200).extract().jsonPath();
        assertThat(answer.getString("projectId")).isNull();
        assertThat(answer.getList("results.target")).containsExactlyInAnyOrder("http://127.0.0.1/****",
                NotificationReceivers.GLOBAL_RECIPIENT, "http://127.0.0.1/****", "****wxyz");
        assertThat(answer.getList("results.outcome")).containsOnly("sent");
        assertThat(answer.getInt("results.find { it.routeKind == 'teams' }.httpStatus")).isEqualTo(200);
        // sent before the answer: the card is at the receiver, the attempt recorded
        String teamsId = answer.getString("results.find { it.routeKind == 'teams' }.notificationId");
        assertThat(NotificationReceivers.postsWithKey(teamsId)).hasSize(1);
        assertThat(notification(teamsId).getString("status")).isEqualTo("sent");
        assertThat(notification(teamsId).getList("attemptLog.outcome")).containsExactly("sent");
        // audited in the transaction that wrote it
        String requestId = "notify-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).contentType(ContentType.JSON).body("{}")
                .post("/api/notifications/test").then().statusCode(200);
        JsonPath audit = given().queryParam("requestId", requestId).get("/api/audit").then().statusCode(200)
                .extract().jsonPath();
        assertThat(audit.getList("items.action")).containsExactly("notification.test");
        assertThat(audit.getList("items.outcome")).containsExactly("succeeded");
        given().contentType(ContentType.JSON).body(Map.of("projectId", UUID.randomUUID().toString()))
                .post("/api/notifications/test").then().statusCode(404).contentType("application/problem+json");
        given().header("X-Demo-Role", "operator").contentType(ContentType.JSON).post("/api/notifications/test")
                .then().statusCode(403);
    }

    @Test
    void aFailingRouteIsAnsweredFailedWithTheReasonAndNotRetried() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-down"));
        String path = "/workflows/down-" + UUID.randomUUID();
        NotificationReceivers.plan(path, 503);
        sql("UPDATE project SET teams_webhook_url = ? WHERE id = ?::uuid", NotificationReceivers.baseUrl() + path,
                projectId);
        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of("projectId", projectId))
                .post("/api/notifications/test").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("results.find { it.routeKind == 'teams' }.outcome")).isEqualTo("failed");
        assertThat(answer.getString("results.find { it.routeKind == 'teams' }.reason"))
                .isEqualTo("the webhook answered 503");
        assertThat(answer.getInt("results.find { it.routeKind == 'teams' }.httpStatus")).isEqualTo(503);
        // the other routes are unaffected (Slack: a webhook like Teams, so no SMTP timing is involved)
        assertThat(answer.getString("results.find { it.routeKind == 'slack' }.outcome")).isEqualTo("sent");
        String id = answer.getString("results.find { it.routeKind == 'teams' }.notificationId");
        JsonPath failed = notification(id);
        assertThat(failed.getString("status")).as("the answer is final: a test is not retried").isEqualTo("failed");
        assertThat(failed.getInt("attempts")).isEqualTo(1);
        assertThat(NotificationReceivers.posts()).filteredOn(p -> p.path().equals(path)).hasSize(1);
    }

    @Test
    void theSettingsButtonSendsATestToTheProjectsRoutesAndShowsEachResult() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-page"));
        io.restassured.response.Response settings = given().get("/settings");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(settings.asString());
        assertThat(token.find()).as("a form with a CSRF token on /settings").isTrue();
        String answer = given().redirects().follow(false).cookie("cloudops-csrf", settings.getCookie("cloudops-csrf"))
                .header("HX-Request", "true").contentType(ContentType.URLENC.withCharset("UTF-8"))
                .formParam("csrf-token", token.group(1))
                .post("/settings/projects/{id}/test-notification", projectId).then().statusCode(200).extract()
                .asString();
        // the project has no routes of its own: the global ones, both sent before the page answered
        assertThat(answer).contains("Test notification:", "teams http://127.0.0.1/**** sent",
                "email " + NotificationReceivers.GLOBAL_RECIPIENT + " sent").doesNotContain("Not available yet");
        String name = given().get("/api/projects/{id}", projectId).then().extract().path("name");
        assertThat(NotificationReceivers.posts()).anyMatch(p -> p.body().contains("project " + name));
    }

    @Test
    void theSettingsFormChoosesWhichEventsGoToEachRoute() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-form"));
        io.restassured.response.Response settings = given().get("/settings");
        assertThat(settings.asString()).contains("aria-label=\"task.succeeded to teams of ",
                "aria-label=\"sandbox.expired to email of ");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(settings.asString());
        assertThat(token.find()).isTrue();
        given().redirects().follow(false).cookie("cloudops-csrf", settings.getCookie("cloudops-csrf"))
                .header("HX-Request", "true").contentType(ContentType.URLENC.withCharset("UTF-8"))
                .formParam("csrf-token", token.group(1)).formParam("teamsWebhookUrl", "")
                .formParam("emailRecipients", "").formParam("eventsShown", "1")
                .formParam("events", "teams:task.failed", "teams:sandbox.expired")
                .post("/settings/projects/{id}", projectId).then().statusCode(200);
        JsonPath project = given().get("/api/projects/{id}", projectId).then().statusCode(200).extract().jsonPath();
        assertThat(project.getList("notificationEvents.teams")).containsExactly("task.failed", "sandbox.expired");
        assertThat(project.getList("notificationEvents.email")).as("nothing ticked: nothing").isEmpty();
    }

    @Test
    void aWebhookOutsideTheAllowListIsRefusedAtSendTimeWithoutAPostOrARetry() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-ssrf"));
        // "localhost" is not listed (only 127.0.0.1 is, exactly); stored directly, past the save-time check
        String path = "/workflows/not-allowed-" + UUID.randomUUID();
        sql("UPDATE project SET teams_webhook_url = ? WHERE id = ?::uuid",
                NotificationReceivers.baseUrl().replace("127.0.0.1", "localhost") + path, projectId);
        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of("projectId", projectId))
                .post("/api/notifications/test").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("results.find { it.routeKind == 'teams' }.outcome")).isEqualTo("failed");
        assertThat(answer.getString("results.find { it.routeKind == 'teams' }.reason"))
                .isEqualTo("refused: only https webhooks are posted to (localhost is not listed exactly)");
        String id = answer.getString("results.find { it.routeKind == 'teams' }.notificationId");

        JsonPath refused = notification(id);
        assertThat(refused.getString("status")).isEqualTo("failed");
        assertThat(refused.getInt("attempts")).as("a refusal is not retried").isEqualTo(1);
        assertThat(refused.getString("attemptLog[0].error"))
                .isEqualTo("refused: only https webhooks are posted to (localhost is not listed exactly)");
        assertThat(NotificationReceivers.posts()).noneMatch(p -> p.path().equals(path));
    }

    @Test
    void aClaimLostInACrashIsSentAfterItsLease() {
        // as a dispatcher leaves it when its process dies between claiming and recording: sending, lease passed
        String id = UUID.randomUUID().toString();
        sql("""
                INSERT INTO notification_outbox (id, event, route_kind, target, status, attempts, max_attempts,
                                                 next_attempt_at, claim_token, created_at)
                VALUES (?::uuid, 'test', 'teams', ?, 'sending', 1, 3, now() - interval '1 second', gen_random_uuid(), now())""",
                id, NotificationReceivers.baseUrl() + "/workflows/crash");

        await().atMost(WAIT).until(() -> "sent".equals(notification(id).getString("status")));
        JsonPath sent = notification(id);
        assertThat(sent.getList("attemptLog.outcome")).containsExactly("failed", "sent");
        assertThat(sent.getString("attemptLog[0].error")).startsWith("interrupted");
        assertThat(NotificationReceivers.postsWithKey(id)).hasSize(1);
    }

    @Test
    void dispatchersRacingEachOtherSendEachNotificationOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            outboxRow(id, "teams", NotificationReceivers.baseUrl() + "/workflows/race", 3);
        }
        // four more dispatchers at once, next to the scheduled one
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> rounds = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                rounds.add(pool.submit(() -> {
                    start.await();
                    return dispatcher.dispatchDue();
                }));
            }
            for (Future<Integer> round : rounds) {
                round.get();
            }
        } finally {
            pool.shutdown();
        }
        for (String id : ids) {
            await().atMost(WAIT).until(() -> "sent".equals(notification(id).getString("status")));
        }
        for (String id : ids) {
            assertThat(NotificationReceivers.postsWithKey(id)).as("posts of %s", id).hasSize(1);
            assertThat(notification(id).getInt("attempts")).isEqualTo(1);
        }
    }

    /**
     * A destination that is slow to answer holds back only its own notification: the dispatcher's round does not
     * wait for its sends, so the next round sends another route's notification while the slow post is still
     * unanswered (driven round by round, the scheduled poll paused; the slow post is held far shorter than its read
     * timeout, 10 s, so its attempt is still under way when the other is sent).
     */
    @Test
    void aSlowDestinationHoldsBackOnlyItsOwnNotification() {
        String slowPath = "/workflows/slow-" + UUID.randomUUID();
        String slow = UUID.randomUUID().toString();
        String fast = UUID.randomUUID().toString();
        scheduler.pause(NotificationDispatcher.POLL_JOB);
        Runnable release = NotificationReceivers.hold(slowPath);
        try {
            outboxRow(slow, "teams", NotificationReceivers.baseUrl() + slowPath, 3);
            dispatchUntil(() -> !NotificationReceivers.postsWithKey(slow).isEmpty());
            outboxRow(fast, "teams", NotificationReceivers.baseUrl() + "/workflows/fast", 3);
            dispatchUntil(() -> "sent".equals(statuses(List.of(fast)).get(fast)));

            JsonPath held = notification(slow);
            assertThat(held.getString("status")).as("the slow post is still unanswered").isEqualTo("sending");
            assertThat(held.getList("attemptLog")).as("no attempt of it recorded yet").isEmpty();
        } finally {
            release.run();
            scheduler.resume(NotificationDispatcher.POLL_JOB);
        }
        await().atMost(WAIT).until(() -> "sent".equals(notification(slow).getString("status")));
        assertThat(NotificationReceivers.postsWithKey(slow)).hasSize(1);
    }

    /**
     * Many emails at once, each with one attempt: every one reaches the SMTP server on its first try. Vert.x's mail
     * client lost a server's greeting when it was called from the dispatcher's threads (the send then hung until
     * SMTP_TIMEOUT and, with one attempt, failed for good): see EmailSender.
     */
    @Test
    void manyEmailsAtOnceEachArriveOnTheirFirstAttempt() throws Exception {
        String recipient = "burst-" + UUID.randomUUID() + "@example.com";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            outboxRow(id, "email", recipient, 1);
        }
        await().atMost(WAIT).until(() -> statuses(ids).values().stream().allMatch(s -> !s.equals("pending")
                && !s.equals("sending")));
        assertThat(statuses(ids)).hasSize(ids.size()).allSatisfy((id, status) -> assertThat(status)
                .as("notification %s", id).isEqualTo("sent"));
        List<String> received = new ArrayList<>();
        for (MimeMessage message : NotificationReceivers.smtp().getReceivedMessages()) {
            if (Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient))) {
                received.add(message.getHeader("X-CloudOps-Notification-Id")[0]);
            }
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aFailureReachesSlackAsABlockKitMessageWithTheCardsFacts() throws Exception {
        String entity = "diag/notify-slack-" + UUID.randomUUID();
        String taskId = diagnostic(entity, "permanent");
        Tasks.awaitStatus(taskId, "failed");

        JsonPath task = awaitNotifications(taskId, 3);
        assertThat(task.getString("notifications.find { it.routeKind == 'slack' }.target"))
                .isEqualTo("http://127.0.0.1/****");
        assertThat(task.prettify()).doesNotContain("slack-secret-token");
        String slackId = task.getString("notifications.find { it.routeKind == 'slack' }.id");
        List<Post> posts = NotificationReceivers.postsWithKey(slackId);
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).path()).isEqualTo(NotificationReceivers.SLACK_PATH);
        assertThat(posts.get(0).contentType()).startsWith("application/json");
        JsonNode message = json.readTree(posts.get(0).body());
        assertThat(message.path("text").asText()).isEqualTo("diagnostic failed: " + entity);
        assertThat(message.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(message.at("/blocks/0/text/text").asText()).isEqualTo("diagnostic failed: " + entity);
        List<String> fields = new ArrayList<>();
        message.at("/blocks/1/fields").forEach(f -> fields.add(f.path("text").asText()));
        assertThat(fields).contains("*Task type*\ndiagnostic", "*Status*\n:red_circle: Failed",
                "*Entity*\n" + entity, "*Requested by*\ndemo", "*Failed step*\nstep-2");
        assertThat(fields).anyMatch(f -> f.startsWith("*Duration*"));
        assertThat(message.at("/blocks/2/text/text").asText())
                .isEqualTo("*Error:* step-2: diagnostic permanent failure (fail=permanent)");
        assertThat(message.at("/blocks/3/elements/0/text").asText()).startsWith("This task was asked to fail");
        JsonNode button = message.at("/blocks/4/elements/0");
        assertThat(button.path("type").asText()).isEqualTo("button");
        assertThat(button.at("/text/text").asText()).isEqualTo("Open task");
        assertThat(button.path("url").asText()).isEqualTo("http://localhost:8080/tasks/" + taskId);
    }

    @Test
    void aDeadLetterTriggersAPagerDutyIncidentThatSkippingItResolves() throws Exception {
        String entity = "diag/notify-pd-skip-" + UUID.randomUUID();
        String taskId = diagnostic(entity, "always");
        Tasks.awaitStatus(taskId, "dead_lettered");

        JsonPath task = awaitNotifications(taskId, 4);
        assertThat(task.getString("notifications.find { it.routeKind == 'pagerduty' }.target")).isEqualTo("****wxyz");
        assertThat(task.prettify()).doesNotContain(NotificationReceivers.ROUTING_KEY);
        JsonNode trigger = pagerDutyPost(task.getString("notifications.find { it.routeKind == 'pagerduty' }.id"));
        assertThat(trigger.path("routing_key").asText()).isEqualTo(NotificationReceivers.ROUTING_KEY);
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("cloudops-task-" + taskId);
        assertThat(trigger.at("/payload/summary").asText()).isEqualTo("diagnostic dead-lettered: " + entity);
        assertThat(trigger.at("/payload/source").asText()).isEqualTo(entity);
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("error");
        assertThat(trigger.at("/payload/custom_details/Failed step").asText()).isEqualTo("step-2");
        assertThat(trigger.at("/links/0/href").asText()).isEqualTo("http://localhost:8080/tasks/" + taskId);

        given().post("/api/dlq/{id}/skip", deadLetterOf(taskId)).then().statusCode(200);
        JsonNode resolve = awaitResolve(taskId);
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo("cloudops-task-" + taskId);
        assertThat(resolve.path("routing_key").asText()).isEqualTo(NotificationReceivers.ROUTING_KEY);
        // the other routes hear nothing of the resolve
        assertThat(Tasks.task(taskId).getList("notifications.findAll { it.event == 'dead_letter_resolved' }.routeKind"))
                .containsExactly("pagerduty");
    }

    @Test
    void aDeadLetterRetriedSuccessfullyResolvesItsIncident() {
        String taskId = diagnostic("diag/notify-pd-retry-" + UUID.randomUUID(), "always");
        Tasks.awaitStatus(taskId, "dead_lettered");
        awaitNotifications(taskId, 4);
        // the operator fixes the cause, then retries the dead letter
        sql("UPDATE task SET payload = jsonb_set(payload, '{fail}', '\"never\"') WHERE id = ?::uuid", taskId);
        given().post("/api/dlq/{id}/retry", deadLetterOf(taskId)).then().statusCode(200);
        Tasks.awaitStatus(taskId, "succeeded");

        JsonNode resolve = awaitResolve(taskId);
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key").asText()).isEqualTo("cloudops-task-" + taskId);
        // the success itself goes to Teams as usual, never to PagerDuty
        assertThat(Tasks.task(taskId).getList("notifications.findAll { it.event == 'succeeded' }.routeKind"))
                .containsExactly("teams");
    }

    @Test
    void aResolveWaitsForItsTriggerBeingRetriedAndIsPostedOnlyAfterPagerDutyAcceptedIt() {
        // this test plays the dispatchers, one round at a time: the scheduled poll is paused
        scheduler.pause(NotificationDispatcher.POLL_JOB);
        try {
            String taskId = diagnostic("diag/notify-pd-order-" + UUID.randomUUID(), "always");
            String dedupKey = "cloudops-task-" + taskId;
            NotificationReceivers.planFor(dedupKey, 503); // PagerDuty is down for the trigger's first attempt
            Tasks.awaitStatus(taskId, "dead_lettered");
            // skipped before anything was sent: the trigger and its resolve are both due
            given().post("/api/dlq/{id}/skip", deadLetterOf(taskId)).then().statusCode(200);
            String trigger = outboxId(taskId, "dead_lettered");
            String resolve = outboxId(taskId, "dead_letter_resolved");

            // the round that claims the trigger (refused) leaves the resolve unclaimed
            dispatchUntil(() -> notification(trigger).getInt("attempts") == 1);
            assertThat(notification(trigger).getString("status")).isEqualTo("pending");
            JsonPath waiting = notification(resolve);
            assertThat(waiting.getString("status")).isEqualTo("pending");
            assertThat(waiting.getInt("attempts")).isZero();

            // the trigger's retry is accepted, and only then is the resolve claimed and posted
            dispatchUntil(() -> "sent".equals(notification(resolve).getString("status")));
            List<Post> posts = NotificationReceivers.posts().stream().filter(p -> p.body().contains(dedupKey))
                    .toList();
            assertThat(posts).extracting(p -> tree(p.body()).path("event_action").asText(), Post::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("trigger", 503),
                            org.assertj.core.groups.Tuple.tuple("trigger", 202),
                            org.assertj.core.groups.Tuple.tuple("resolve", 202));
            JsonPath triggered = notification(trigger);
            assertThat(triggered.getList("attemptLog.httpStatus")).containsExactly(503, 202);
            assertThat(java.time.Instant.parse(notification(resolve).getString("attemptLog[0].at")))
                    .as("the resolve's attempt came after the trigger's accepted one")
                    .isAfter(java.time.Instant.parse(triggered.getString("attemptLog[1].at")));
        } finally {
            scheduler.resume(NotificationDispatcher.POLL_JOB);
        }
    }

    @Test
    void aResolveWhoseTriggerFailedForGoodIsSkippedUnsent() {
        scheduler.pause(NotificationDispatcher.POLL_JOB);
        try {
            String taskId = diagnostic("diag/notify-pd-never-" + UUID.randomUUID(), "always");
            String dedupKey = "cloudops-task-" + taskId;
            NotificationReceivers.planFor(dedupKey, 503, 503, 503); // every attempt (3 in tests) refused
            Tasks.awaitStatus(taskId, "dead_lettered");
            // the dead letter is retried and succeeds before PagerDuty heard of it
            sql("UPDATE task SET payload = jsonb_set(payload, '{fail}', '\"never\"') WHERE id = ?::uuid", taskId);
            given().post("/api/dlq/{id}/retry", deadLetterOf(taskId)).then().statusCode(200);
            Tasks.awaitStatus(taskId, "succeeded");
            String trigger = outboxId(taskId, "dead_lettered");
            String resolve = outboxId(taskId, "dead_letter_resolved");

            // while the trigger is being retried, its resolve waits
            dispatchUntil(() -> notification(trigger).getInt("attempts") == 1);
            assertThat(notification(resolve).getString("status")).isEqualTo("pending");

            // once it failed for good there is no incident to resolve: skipped, with the reason, never posted
            dispatchUntil(() -> "skipped".equals(notification(resolve).getString("status")));
            JsonPath failed = notification(trigger);
            assertThat(failed.getString("status")).isEqualTo("failed");
            assertThat(failed.getList("attemptLog.httpStatus")).containsExactly(503, 503, 503);
            JsonPath skipped = notification(resolve);
            assertThat(skipped.getInt("attempts")).isZero();
            assertThat(skipped.getList("attemptLog")).isEmpty();
            assertThat(skipped.getString("lastError")).isEqualTo(
                    "not sent: PagerDuty accepted no trigger of this task, so there is no incident to resolve");
            assertThat(NotificationReceivers.posts()).filteredOn(p -> p.body().contains(dedupKey))
                    .extracting(p -> tree(p.body()).path("event_action").asText()).containsOnly("trigger")
                    .hasSize(3);
        } finally {
            scheduler.resume(NotificationDispatcher.POLL_JOB);
        }
    }

    @Test
    void thePurgeDeletesOnlyFinishedRowsPastTheRetentionThatNothingNeedsAnyMore() throws Exception {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-purge"));
        String active = sandbox(projectId);
        String expired = sandbox(projectId);
        sql("UPDATE environment SET status = 'expired' WHERE id = ?::uuid", expired);
        String deleted = UUID.randomUUID().toString();
        String x = UUID.randomUUID().toString();
        String y = UUID.randomUUID().toString();
        String z = UUID.randomUUID().toString();
        String key = "R0PURGE" + UUID.randomUUID().toString().replace("-", "");

        // gone: finished, written 40 days ago (the retention is 30), and needed by nothing
        String sent = row("failed", "teams", "sent", "40 days", null, null, null);
        sql("""
                INSERT INTO notification_attempt (outbox_id, attempt, at, outcome, http_status, duration_ms)
                VALUES (?::uuid, 1, now() - interval '40 days', 'sent', 200, 5)""", sent);
        String failed = row("failed", "slack", "failed", "40 days", null, null, null);
        String digest = row("digest", "teams", "sent", "40 days", null, null, null);
        String digested = row("failed", "teams", "digested", "40 days", null, digest, null);
        String expiredNotice = row("sandbox.expiring", "teams", "sent", "40 days", null, null, expired);
        String goneNotice = row("sandbox.expired", "teams", "sent", "40 days", null, null, deleted);
        String refusedTrigger = pagerDuty("dead_lettered", "failed", "41 days", x, key);
        String skippedResolve = pagerDuty("dead_letter_resolved", "skipped", "40 days", x, key);
        String resolvedTrigger = pagerDuty("dead_lettered", "sent", "41 days", y, key);
        String resolve = pagerDuty("dead_letter_resolved", "sent", "40 days", y, key);
        // kept
        String pending = row("failed", "teams", "pending", "40 days", null, null, null);
        String sending = row("failed", "teams", "sending", "40 days", null, null, null);
        String recent = row("failed", "teams", "sent", "29 days", null, null, null);
        String openDigest = row("digest", "teams", "pending", "40 days", null, null, null);
        String toldLater = row("failed", "teams", "digested", "40 days", null, openDigest, null);
        String sentDigest = row("digest", "teams", "sent", "40 days", null, null, null);
        String recentlyDigested = row("failed", "teams", "digested", "1 day", null, sentDigest, null);
        String activeNotice = row("sandbox.expiring", "teams", "sent", "40 days", null, null, active);
        String openIncident = pagerDuty("dead_lettered", "sent", "40 days", z, key);
        List<String> gone = List.of(sent, failed, digest, digested, expiredNotice, goneNotice, refusedTrigger,
                skippedResolve, resolvedTrigger, resolve);
        List<String> kept = List.of(pending, sending, recent, openDigest, toldLater, sentDigest, recentlyDigested,
                activeNotice, openIncident);

        assertThat(purge.purge(java.time.Instant.now())).isGreaterThanOrEqualTo(gone.size());
        List<String> ours = new ArrayList<>(gone);
        ours.addAll(kept);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT id::text FROM notification_outbox WHERE id = ANY (?::uuid[])")) {
            s.setArray(1, c.createArrayOf("text", ours.toArray()));
            List<String> left = new ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
            }
            assertThat(left).containsExactlyInAnyOrderElementsOf(kept);
        }
        assertThat(count("SELECT count(*) FROM notification_attempt WHERE outbox_id = ?::uuid", sent))
                .as("its attempts went with it").isZero();
    }

    /** An outbox row written {@code age} ago (an SQL interval); an unfinished one is due only tomorrow. */
    private String row(String event, String routeKind, String status, String age, String taskId, String digestId,
            String environmentId) {
        String id = UUID.randomUUID().toString();
        sql("""
                INSERT INTO notification_outbox (id, task_id, event, route_kind, target, status, attempts, max_attempts,
                                                 next_attempt_at, created_at, digest_id, environment_id)
                VALUES (?::uuid, ?::uuid, ?, ?, ?, ?, 1, 3,
                        CASE WHEN ? IN ('pending', 'sending') THEN now() + interval '1 day' END,
                        now() - ?::interval, ?::uuid, ?::uuid)""",
                id, taskId, event, routeKind, "http://127.0.0.1/purge-" + id, status, status, age, digestId,
                environmentId);
        return id;
    }

    private String pagerDuty(String event, String status, String age, String taskId, String routingKey) {
        String id = row(event, "pagerduty", status, age, taskId, null, null);
        sql("UPDATE notification_outbox SET target = ? WHERE id = ?::uuid", routingKey, id);
        return id;
    }

    /** An active sandbox of the project, expiring tomorrow. */
    private String sandbox(String projectId) {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", Fixtures.uniqueName("sbx"), "type", "sandbox", "ttlMinutes", 60))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201).extract().path("id");
        sql("UPDATE environment SET expires_at = now() + interval '1 day' WHERE id = ?::uuid", id);
        return id;
    }

    /** Runs dispatcher rounds (the poll being paused) until {@code done}. */
    private void dispatchUntil(java.util.concurrent.Callable<Boolean> done) {
        await().atMost(WAIT).until(() -> {
            dispatcher.dispatchDue();
            return done.call();
        });
    }

    private String outboxId(String taskId, String event) {
        return await().atMost(WAIT).until(() -> Tasks.task(taskId).getString(
                "notifications.find { it.routeKind == 'pagerduty' && it.event == '" + event + "' }.id"),
                found -> found != null);
    }

    @Test
    void sendGridGetsTheMailAsItsV3ApiDocumentsIt() throws Exception {
        UUID id = UUID.randomUUID();
        NotificationMessage message = new NotificationMessage(id, "failed", UUID.randomUUID(), "db_backup",
                "azure-postgres/orders", null, Duration.ofSeconds(3), "bob", "dump", "pg_dump exited 1 <oops>",
                "Check the credentials", "http://localhost:8080/tasks/x");
        Delivery delivery = sendGrid.send("SG.test-key", List.of("a@example.com", "b@example.com"),
                "[CloudOps] " + message.title(), message);
        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(delivery.httpStatus()).isEqualTo(202);
        Post post = NotificationReceivers.posts().stream()
                .filter(p -> p.path().equals(NotificationReceivers.SENDGRID_PATH) && p.body().contains(id.toString()))
                .findFirst().orElseThrow();
        assertThat(post.authorization()).isEqualTo("Bearer SG.test-key");
        assertThat(post.contentType()).startsWith("application/json");
        JsonNode mail = json.readTree(post.body());
        assertThat(mail.at("/personalizations/0/to/0/email").asText()).isEqualTo("a@example.com");
        assertThat(mail.at("/personalizations/0/to/1/email").asText()).isEqualTo("b@example.com");
        assertThat(mail.at("/from/email").asText()).isEqualTo("cloudops@example.com");
        assertThat(mail.path("subject").asText()).isEqualTo("[CloudOps] db_backup failed: azure-postgres/orders");
        assertThat(mail.at("/content/0/type").asText()).isEqualTo("text/plain");
        assertThat(mail.at("/content/0/value").asText()).contains("Failed step: dump",
                "Error: pg_dump exited 1 <oops>");
        assertThat(mail.at("/content/1/type").asText()).isEqualTo("text/html");
        assertThat(mail.at("/content/1/value").asText()).contains("pg_dump exited 1 &lt;oops&gt;");
        assertThat(mail.at("/headers/X-CloudOps-Notification-Id").asText()).isEqualTo(id.toString());

        // a refused key is a permanent failure: the same request would be refused again
        NotificationReceivers.plan(NotificationReceivers.SENDGRID_PATH, 401);
        Delivery refused = sendGrid.send("SG.wrong-key", List.of("a@example.com"), "x", message);
        assertThat(refused.delivered()).isFalse();
        assertThat(refused.httpStatus()).isEqualTo(401);
        assertThat(refused.permanent()).isTrue();
        assertThat(refused.error()).doesNotContain("SG.wrong-key");
    }

    @Test
    void aProjectsSlackAndPagerDutyRoutesAreStoredAsSecretsAndUsedForItsTest() {
        String name = Fixtures.uniqueName("notify-routes");
        String slack = NotificationReceivers.baseUrl() + "/services/T111/B222/project-slack-token";
        String key = "R0PROJECT0123456789abcdef0123pqrs";
        String projectId = Fixtures.createProject(Map.of("name", name, "slackWebhookUrl", slack,
                "pagerDutyRoutingKey", key));
        JsonPath read = given().get("/api/projects/{id}", projectId).then().statusCode(200).extract().jsonPath();
        assertThat(read.getString("slackWebhookUrl")).isEqualTo("http://127.0.0.1/****");
        assertThat(read.getString("pagerDutyRoutingKey")).isEqualTo("****pqrs");
        String listed = given().queryParam("size", 200).get("/api/projects").then().statusCode(200).extract()
                .asString();
        assertThat(listed).contains("****pqrs").doesNotContain("project-slack-token", key);

        // the masked values sent back keep what is stored
        given().contentType(ContentType.JSON).body(Map.of("name", name, "slackWebhookUrl", "http://127.0.0.1/****",
                "pagerDutyRoutingKey", "****pqrs")).put("/api/projects/{id}", projectId).then().statusCode(200)
                .body("pagerDutyRoutingKey", org.hamcrest.Matchers.equalTo("****pqrs"));
        assertThat(stored(projectId, "slack_webhook_url")).isEqualTo(slack);
        assertThat(stored(projectId, "pager_duty_routing_key")).isEqualTo(key);

        // the project's own routes get its test
        JsonPath queued = given().contentType(ContentType.JSON).body(Map.of("projectId", projectId))
                .post("/api/notifications/test").then().statusCode(200).extract().jsonPath();
        String slackId = queued.getString("results.find { it.routeKind == 'slack' }.notificationId");
        String pagerDutyId = queued.getString("results.find { it.routeKind == 'pagerduty' }.notificationId");
        await().atMost(WAIT).until(() -> "sent".equals(notification(slackId).getString("status"))
                && "sent".equals(notification(pagerDutyId).getString("status")));
        assertThat(NotificationReceivers.postsWithKey(slackId)).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("/services/T111/B222/project-slack-token"));
        // a PagerDuty test triggers an info event and resolves it at once: no incident left open
        List<Post> pagerDuty = NotificationReceivers.posts().stream()
                .filter(p -> p.path().equals(NotificationReceivers.PAGERDUTY_PATH) && p.body().contains(pagerDutyId))
                .toList();
        assertThat(pagerDuty).extracting(p -> tree(p.body()).path("event_action").asText())
                .containsExactly("trigger", "resolve");
        assertThat(pagerDuty).allSatisfy(p -> assertThat(p.body()).contains(key));

        // an empty string removes them
        given().contentType(ContentType.JSON).body(Map.of("name", name, "slackWebhookUrl", "",
                "pagerDutyRoutingKey", "")).put("/api/projects/{id}", projectId).then().statusCode(200)
                .body("slackWebhookUrl", org.hamcrest.Matchers.nullValue())
                .body("pagerDutyRoutingKey", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aSlackWebhookOffItsAllowListOrOnAPrivateAddressIsRefusedWhenSaved() {
        for (String url : List.of("https://evil.example.com/services/x", "http://other.hooks.slack.com/services/x",
                "https://acme.webhook.office.com/webhookb2/x",
                // under the wildcard *.169.254, but the cloud metadata address
                "https://169.254.169.254/latest/meta-data")) {
            String name = Fixtures.uniqueName("notify-ssrf-save");
            JsonPath problem = given().contentType(ContentType.JSON).body(Map.of("name", name, "slackWebhookUrl", url))
                    .post("/api/projects").then().statusCode(422).contentType("application/problem+json").extract()
                    .jsonPath();
            assertThat(problem.getList("errors.field")).as(url).containsExactly("slackWebhookUrl");
        }
        String metadata = given().contentType(ContentType.JSON)
                .body(Map.of("name", Fixtures.uniqueName("notify-ssrf-save"), "slackWebhookUrl",
                        "https://169.254.169.254/latest/meta-data"))
                .post("/api/projects").then().statusCode(422).extract().path("errors[0].message");
        assertThat(metadata)
                .isEqualTo("must not point to a private address (169.254.169.254 resolves to 169.254.169.254)");

        // on update too, leaving what was stored
        String id = Fixtures.createProject(Fixtures.uniqueName("notify-ssrf-put"));
        given().contentType(ContentType.JSON).body(Map.of("name", given().get("/api/projects/{id}", id).then()
                .extract().path("name"), "slackWebhookUrl", "https://169.254.169.254/x")).put("/api/projects/{id}", id)
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("slackWebhookUrl"));
        assertThat(stored(id, "slack_webhook_url")).isNull();

        // a routing key that is not one
        given().contentType(ContentType.JSON).body(Map.of("name", Fixtures.uniqueName("notify-pd-key"),
                "pagerDutyRoutingKey", "not a key; DROP TABLE")).post("/api/projects").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field",
                        org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("pagerDutyRoutingKey")));
    }

    private static JsonNode pagerDutyPost(String notificationId) {
        List<Post> posts = NotificationReceivers.postsWithKey(notificationId);
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).path()).isEqualTo(NotificationReceivers.PAGERDUTY_PATH);
        return tree(posts.get(0).body());
    }

    private static JsonNode tree(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PagerDuty post of the task's resolve, once it was sent. */
    private static JsonNode awaitResolve(String taskId) {
        String id = await().atMost(WAIT).until(() -> {
            JsonPath task = Tasks.task(taskId);
            return task.getString(
                    "notifications.find { it.event == 'dead_letter_resolved' && it.status == 'sent' }.id");
        }, found -> found != null);
        return pagerDutyPost(id);
    }

    private static String deadLetterOf(String taskId) {
        return given().queryParam("size", 200).get("/api/dlq").then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.taskId == '" + taskId + "' }.id");
    }

    private String stored(String projectId, String column) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM project WHERE id = ?::uuid")) {
            s.setString(1, projectId);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBurstOfTwentyFailuresToOneRouteSendsFiveCardsAndOneDigestNamingTheRest() throws Exception {
        // twenty failures reaching one project's route at once, as twenty tasks' outcomes write them
        String name = Fixtures.uniqueName("notify-burst");
        String projectId = Fixtures.createProject(name);
        String path = "/workflows/burst-" + UUID.randomUUID();
        String taskId = diagnostic("diag/notify-burst-" + UUID.randomUUID(), "permanent");
        Tasks.awaitStatus(taskId, "failed");
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO notification_outbox (id, task_id, project_id, event, route_kind, target, status, attempts,
                                                 max_attempts, next_attempt_at, created_at)
                VALUES (gen_random_uuid(), ?::uuid, ?::uuid, 'failed', 'teams', ?, 'pending', 0, 3, now(), now())""")) {
            c.setAutoCommit(false);
            for (int i = 0; i < 20; i++) {
                insert.setString(1, taskId);
                insert.setString(2, projectId);
                insert.setString(3, NotificationReceivers.baseUrl() + path);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        }

        // five cards at once, then one digest after the window (3 s in tests), and nothing more
        await().atMost(WAIT).until(() -> posts(path).size() == 6);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> posts(path).size() == 6);
        List<Post> posts = posts(path);
        List<Post> digests = posts.stream().filter(p -> p.body().contains("more tasks failed")).toList();
        assertThat(digests).hasSize(1);
        assertThat(posts.stream().filter(p -> p.body().contains("diagnostic failed:"))).hasSize(5);
        JsonNode card = json.readTree(digests.get(0).body()).at("/attachments/0/content");
        sample("teams-digest.json", json.writerWithDefaultPrettyPrinter().writeValueAsString(card));
        assertThat(card.at("/body/0/items/0/text").asText())
                .isEqualTo("15 more tasks failed in " + name + " in the last 3 seconds");
        assertThat(card.at("/actions/0/title").asText()).isEqualTo("Open task list");
        assertThat(card.at("/actions/0/url").asText())
                .isEqualTo("http://localhost:8080/tasks?status=failed&project=" + name);
        // none dropped: the fifteen are digested into the one digest, which was sent
        String digestId = digests.get(0).idempotencyKey();
        assertThat(notification(digestId).getString("status")).isEqualTo("sent");
        assertThat(count("SELECT count(*) FROM notification_outbox WHERE digest_id = ?::uuid AND status = 'digested'",
                digestId)).isEqualTo(15);
        assertThat(count("SELECT count(*) FROM notification_outbox WHERE project_id = ?::uuid AND status = 'sent'"
                + " AND event = 'failed'", projectId)).isEqualTo(5);
    }

    @Test
    void aSandboxIsToldOnceAtEachOffsetAndOnceWhenItExpiredThroughTheRoutesItChose() throws Exception {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-sandbox"));
        String path = "/workflows/sandbox-" + UUID.randomUUID();
        sql("UPDATE project SET teams_webhook_url = ? WHERE id = ?::uuid", NotificationReceivers.baseUrl() + path,
                projectId);
        // sandbox notices only to Teams, and no task outcomes there (the expiry task's success would be one)
        String name = given().get("/api/projects/{id}", projectId).then().extract().path("name");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "notificationEvents",
                        Map.of("teams", List.of("sandbox.expiring", "sandbox.expired"), "email", List.of(), "slack",
                                List.of(), "pagerduty", List.of())))
                .put("/api/projects/{id}", projectId).then().statusCode(200)
                .body("notificationEvents.email", org.hamcrest.Matchers.empty());
        String envId = given().contentType(ContentType.JSON)
                .body(Map.of("name", Fixtures.uniqueName("sbx"), "type", "sandbox", "ttlMinutes", 1))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201).extract().path("id");
        // it expires in 5 s (and lived a minute): the 6 s notice is due now, the 3 s one in 2 s
        sql("""
                UPDATE environment SET created_at = now() - interval '1 minute', expires_at = now() + interval '5 seconds'
                WHERE id = ?::uuid""",
                envId);

        // several instances looking at once (next to the scheduled check) write the due notice once
        int racers = 4;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        int written = 0;
        try {
            List<Future<Integer>> looks = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                looks.add(pool.submit(() -> {
                    start.await();
                    return notices.writeDue();
                }));
            }
            for (Future<Integer> look : looks) {
                written += look.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(written).as("rows the racers wrote (the scheduled check may have been first)").isBetween(0, 1);
        await().atMost(WAIT).until(() -> posts(path).stream().anyMatch(p -> p.body().contains(" expired\"")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> posts(path).size() == 3);
        List<Post> posts = posts(path);
        assertThat(posts).filteredOn(p -> p.body().contains(" expires in ")).hasSize(2);
        assertThat(posts).filteredOn(p -> p.body().contains(" expired\"")).hasSize(1);
        assertThat(
                count("SELECT count(*) FROM notification_outbox WHERE environment_id = ?::uuid AND route_kind = 'teams'"
                        + " AND dedup_key LIKE 'sandbox.expiring:%:6:%'", envId))
                .isEqualTo(1);
        assertThat(
                count("SELECT count(*) FROM notification_outbox WHERE environment_id = ?::uuid AND route_kind = 'teams'"
                        + " AND dedup_key LIKE 'sandbox.expiring:%:3:%'", envId))
                .isEqualTo(1);
        assertThat(count(
                "SELECT count(*) FROM notification_outbox WHERE environment_id = ?::uuid AND route_kind = 'email'",
                envId)).as("email chose no sandbox events").isZero();
        // the notice opens the sandbox's project page and carries an "Extend TTL 1h" action link to it
        JsonNode card = json.readTree(posts.stream().filter(p -> p.body().contains(" expires in ")).findFirst()
                .orElseThrow().body()).at("/attachments/0/content");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo("http://localhost:8080/projects/" + projectId);
        assertThat(card.at("/actions/1/title").asText()).isEqualTo("Extend TTL 1h");
        String extend = card.at("/actions/1/url").asText();
        assertThat(extend).startsWith("http://localhost:8080/links/");
        assertThat(given().get(extend.substring("http://localhost:8080".length())).then().extract().asString())
                .contains("Confirm: Extend TTL 1h");
    }

    private static List<Post> posts(String path) {
        return NotificationReceivers.posts().stream().filter(p -> p.path().equals(path)).toList();
    }

    private long count(String query, String parameter) throws java.sql.SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, parameter);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String diagnostic(String entityId, String fail) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("entityId", entityId, "steps", 2, "stepMillis", 0, "fail", fail))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private static JsonPath awaitNotifications(String taskId, int count) {
        await().atMost(WAIT).until(() -> {
            JsonPath task = Tasks.task(taskId);
            List<String> statuses = task.getList("notifications.status");
            return statuses.size() == count && statuses.stream().allMatch("sent"::equals);
        });
        return Tasks.task(taskId);
    }

    private static JsonPath notification(String id) {
        return given().get("/api/notifications/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** Keeps what a test received under target/notification-samples (for people: what a delivery looks like). */
    private static void sample(String file, String content) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files
                .createDirectories(java.nio.file.Path.of("target", "notification-samples"));
        java.nio.file.Files.writeString(dir.resolve(file), content);
    }

    private static List<String> texts(JsonNode card) {
        List<String> texts = new java.util.ArrayList<>();
        card.path("body").forEach(b -> texts.add(b.path("text").asText()));
        return texts;
    }

    private static Map<String, String> facts(JsonNode card) {
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        card.at("/body/1/facts").forEach(f -> facts.put(f.path("title").asText(), f.path("value").asText()));
        return facts;
    }

    private static MimeMessage awaitEmail(String subjectPart) {
        return await().atMost(WAIT).until(() -> {
            for (MimeMessage message : NotificationReceivers.smtp().getReceivedMessages()) {
                if (message.getSubject().contains(subjectPart)) {
                    return message;
                }
            }
            return null;
        }, m -> m != null);
    }

    /** The body of the first part of {@code type}, looking into nested multiparts (alternative inside mixed). */
    private static String part(MimeMessage message, String type) throws Exception {
        String found = part(message.getContent(), type);
        if (found == null) {
            throw new AssertionError("no " + type + " part in " + message.getSubject());
        }
        return found;
    }

    private static String part(Object content, String type) throws Exception {
        if (content instanceof MimeMultipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                if (multipart.getBodyPart(i).isMimeType(type)) {
                    return String.valueOf(multipart.getBodyPart(i).getContent());
                }
                String nested = part(multipart.getBodyPart(i).getContent(), type);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    /** A due test notification to {@code target} that may be tried {@code maxAttempts} times. */
    private void outboxRow(String id, String routeKind, String target, int maxAttempts) {
        sql("""
                INSERT INTO notification_outbox (id, event, route_kind, target, status, attempts, max_attempts,
                                                 next_attempt_at, created_at)
                VALUES (?::uuid, 'test', ?, ?, 'pending', 0, ?, now(), now())""", id, routeKind, target, maxAttempts);
    }

    /** The status of each of these outbox rows. */
    private Map<String, String> statuses(List<String> ids) {
        Map<String, String> statuses = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT id::text, status FROM notification_outbox WHERE id = ANY (?::uuid[])")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (java.sql.ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    statuses.put(rows.getString(1), rows.getString(2));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return statuses;
    }

    private void sql(String statement, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
