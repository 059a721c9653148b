package io.cloudops.api.console;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.ApiGate;
import io.cloudops.api.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * The console's pages and forms over plain HTTP (what a browser without script gets): pages are
 * HTML, errors of pages are HTML pages while {@code /api} keeps problem+json, every form post needs
 * the CSRF token, actions show the API's answer (field errors, "not available yet"), and the demo
 * role switcher sets the role cookie.
 */
@QuarkusTest
class ConsolePagesTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Test
    void everyPageAnswersHtmlWithTheNavbar() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("pages"));
        for (String page : new String[]{"/", "/tasks", "/tasks?status=failed&page=0", "/projects",
                "/projects/" + projectId, "/dlq", "/dlq?includeResolved=true", "/cost", "/settings",
                "/actions/deploy", "/actions/backup", "/actions/restore", "/actions/restart", "/actions/sandbox",
                "/actions/diagnostic"}) {
            given().get(page).then().statusCode(200).contentType(ContentType.HTML)
                    .header("Server-Timing", containsString("app;dur="))
                    .body(containsString("aria-label=\"Quick action: Deploy\""),
                            containsString("aria-label=\"Demo mode\""), not(containsString("aria-label=\"Sign out\"")));
        }
    }

    @Test
    void anUnknownTaskIsAnHtml404PageWhileTheApiKeepsItsProblem() {
        given().get("/tasks/{id}", UUID.randomUUID()).then().statusCode(404).contentType(ContentType.HTML)
                .body(containsString("does not exist"));
        given().get("/tasks/not-a-uuid").then().statusCode(404).contentType(ContentType.HTML);
        given().get("/api/tasks/{id}", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefused() {
        given().contentType(ContentType.URLENC).formParam("entityId", "diag/csrf")
                .post("/actions/diagnostic").then().statusCode(400);
    }

    @Test
    void aFormBodySentToTheApiIsA415ProblemAndABodylessPostStillWorks() {
        given().contentType(ContentType.URLENC).formParam("entityId", "x")
                .post("/api/tasks/diagnostic").then().statusCode(415).contentType("application/problem+json");
        String task = given().contentType(ContentType.JSON)
                .body(Map.of("entityId", "diag/bodyless-" + UUID.randomUUID(), "steps", 1, "stepMillis", 5000))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
        // RestAssured labels a POST without a body as a form: the label is dropped, no token is asked for
        given().post("/api/tasks/{id}/cancel", task).then().statusCode(202);
    }

    @Test
    void aQuickActionWithoutScriptShowsTheApisFieldErrorsAndThenTheNewTask() {
        Session session = Session.open("/actions/diagnostic");
        session.post("/actions/diagnostic", Map.of("entityId", "", "steps", "2", "stepMillis", "0", "fail", "never"))
                .then().statusCode(400).contentType(ContentType.HTML)
                .body(containsString("aria-invalid=\"true\""), containsString("must not be blank"));
        session.post("/actions/diagnostic",
                Map.of("entityId", "diag/page-" + UUID.randomUUID(), "steps", "1", "stepMillis", "0", "fail", "never"))
                .then().statusCode(200).body(containsString("aria-label=\"Open the new task\""));
    }

    /**
     * Sandbox extension, test notifications and cost estimates land on other branches: until then
     * the console says "not available yet"; once they are here it shows their answer instead.
     */
    @Test
    void actionsOnEndpointsThatHaveNotLandedSayNotAvailableYet() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("later"));
        String sandbox = given().contentType(ContentType.JSON)
                .body(Map.of("name", "sbx", "type", "sandbox", "ttlMinutes", 60))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201).extract().path("id");
        Session session = Session.open("/projects/" + projectId);
        expectRelayed(session.post("/projects/" + projectId + "/sandboxes/" + sandbox + "/extend",
                Map.of("minutes", "60")), "/api/sandboxes/" + sandbox + "/extend");
        expectRelayed(session.post("/settings/projects/" + projectId + "/test-notification", Map.of()),
                "/api/notifications/test");
        expectRelayed(
                session.post("/cost",
                        Map.of("resources[0].kind", "vm", "resources[0].cpu", "2", "resources[0].memoryGiB", "4",
                                "resources[0].storageGiB", "10", "resources[0].region", "westeurope",
                                "resources[0].hours", "730")),
                "/api/cost/estimate");
    }

    @Test
    void everyQuickActionFormStartsItsOperation() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("actions"));
        Session session = Session.open("/actions/backup");
        String instance = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        String backupPage = session.post("/actions/backup", Map.of("engine", "azure-postgres", "instanceId", instance))
                .then().statusCode(200).body(containsString("aria-label=\"Open the new task\"")).extract().asString();
        String backupTask = backupPage.replaceAll("(?s).*href=\"/tasks/([0-9a-f-]{36})\".*", "$1");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "succeeded"
                .equals(given().get("/api/tasks/{id}", backupTask).then().extract().path("status")));
        String artifactId = given().get("/api/tasks/{id}", backupTask).then().extract().path("artifacts[0].id");
        session.post("/actions/restore",
                Map.of("engine", "azure-postgres", "instanceId", instance, "artifactId", artifactId,
                        "target", instance + "-restored"))
                .then().statusCode(200).body(containsString("aria-label=\"Open the new task\""));
        session.post("/actions/restart", Map.of("namespace", "shop-prod", "name", "web"))
                .then().statusCode(200).body(containsString("aria-label=\"Open the new task\""));
        session.post("/actions/sandbox", Map.of("projectId", projectId, "ttlMinutes", "60"))
                .then().statusCode(200).body(containsString("aria-label=\"Open the new task\""));
    }

    @Test
    void theCostFormShowsTheEstimateOrTheProblemNextToTheField() {
        Session session = Session.open("/cost");
        session.post("/cost", Map.of("resources[0].kind", "vm", "resources[0].sku", "Standard_D2s_v5",
                "resources[0].region", "westeurope", "resources[0].hours", "730"))
                .then().statusCode(200).body(containsString("/ month"));
        session.post("/cost", Map.of("resources[0].kind", "vm", "resources[0].sku", "Standard_Nope_v9",
                "resources[0].region", "westeurope", "resources[0].hours", "730"))
                .then().statusCode(422).body(containsString("aria-label=\"SKU of resource 1\" aria-invalid=\"true\""));
    }

    @Test
    void settingsShowTheApisProblemNextToTheRecipientsAndSaveGoodOnes() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify"));
        Session session = Session.open("/settings");
        session.post("/settings/projects/" + projectId,
                Map.of("teamsWebhookUrl", "", "emailRecipients", "ops@example.com\nnot-an-address"))
                .then().statusCode(400).body(containsString("[1] must be a well-formed email address"));
        session.post("/settings/projects/" + projectId,
                Map.of("teamsWebhookUrl", "", "emailRecipients", "ops@example.com, dev@example.com"))
                .then().statusCode(200).body(containsString("Saved."));
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("emailRecipients", org.hamcrest.Matchers.contains("ops@example.com", "dev@example.com"));
    }

    @Test
    void settingsSaveTheSlackWebhookAndPagerDutyKeyAndShowThemOnlyMasked() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("notify-slack"));
        Session session = Session.open("/settings");
        String webhook = "https://hooks.slack.com/services/T0/B0/page-slack-token";
        String key = "R0PAGE0123456789abcdef0123456789";
        String saved = session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "",
                "emailRecipients", "", "slackWebhookUrl", webhook, "pagerDutyRoutingKey", key))
                .then().statusCode(200).body(containsString("Saved.")).extract().asString();
        assertThat(saved).contains("https://hooks.slack.com/****", "****6789").doesNotContain("page-slack-token", key);
        String page = given().get("/settings").then().statusCode(200).extract().asString();
        assertThat(page).contains("aria-label=\"Slack webhook of", "aria-label=\"PagerDuty routing key of")
                .doesNotContain("page-slack-token", key);
        // saving the page again as shown (masked values) keeps the secrets
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", "",
                "slackWebhookUrl", "https://hooks.slack.com/****", "pagerDutyRoutingKey", "****6789"))
                .then().statusCode(200).body(containsString("Saved."));
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("slackWebhookUrl", org.hamcrest.Matchers.equalTo("https://hooks.slack.com/****"))
                .body("pagerDutyRoutingKey", org.hamcrest.Matchers.equalTo("****6789"));
        // a Slack URL off its allow-list is the API's 422 next to the field
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", "",
                "slackWebhookUrl", "https://evil.example.com/services/x"))
                .then().statusCode(422).body(containsString("aria-label=\"Slack webhook of"),
                        containsString("must point to an allowed host (hooks.slack.com)"));
    }

    @Test
    void settingsSaveASandboxTtlPolicyAndShowTheApisProblemNextToItsField() {
        String name = Fixtures.uniqueName("ttl-form");
        String projectId = Fixtures.createProject(name);
        Session session = Session.open("/settings");
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", "",
                "sandboxDefaultTtlMinutes", "300", "sandboxMaxTtlMinutes", "240"))
                .then().statusCode(422)
                .body(containsString("aria-label=\"Sandbox default TTL of"),
                        containsString("must not be more than sandboxMaxTtlMinutes (240)"));
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", "",
                "sandboxDefaultTtlMinutes", "soon", "sandboxMaxTtlMinutes", ""))
                .then().statusCode(400)
                .body(containsString("aria-label=\"Sandbox default TTL of " + name + "\" aria-invalid=\"true\""));
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", "",
                "sandboxDefaultTtlMinutes", "60", "sandboxMaxTtlMinutes", "240"))
                .then().statusCode(200)
                .body(containsString("Saved."), containsString("In force: 1 h by default, at most 4 h"));
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("sandboxDefaultTtlMinutes", org.hamcrest.Matchers.equalTo(60))
                .body("sandboxMaxTtlMinutes", org.hamcrest.Matchers.equalTo(240));
        // a form without the fields (another part of the page) keeps them; empty ones follow the global policy
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", ""))
                .then().statusCode(200);
        given().get("/api/projects/{id}", projectId).then().body("sandboxMaxTtlMinutes",
                org.hamcrest.Matchers.equalTo(240));
        session.post("/settings/projects/" + projectId, Map.of("teamsWebhookUrl", "", "emailRecipients", "",
                "sandboxDefaultTtlMinutes", "", "sandboxMaxTtlMinutes", "")).then().statusCode(200);
        given().get("/api/projects/{id}", projectId).then()
                .body("sandboxMaxTtlMinutes", org.hamcrest.Matchers.nullValue())
                .body("sandboxTtl.maxTtlMinutes", org.hamcrest.Matchers.equalTo(10_080));
    }

    /** The sandbox form takes the project's default when empty; the extend button shows a refusal inline. */
    @Test
    void theSandboxFormsFollowTheProjectsTtlPolicy() {
        String projectId = Fixtures.createProject(Map.of("name", Fixtures.uniqueName("ttl-pages"),
                "sandboxDefaultTtlMinutes", 45, "sandboxMaxTtlMinutes", 60));
        Session operator = Session.open("/actions/sandbox").as("operator");
        given().get("/actions/sandbox").then().statusCode(200).body(containsString("(default 45 min, at most 1 h)"));
        operator.post("/actions/sandbox", Map.of("projectId", projectId, "ttlMinutes", "90"))
                .then().statusCode(422).body(containsString("aria-describedby=\"sandbox-ttlMinutes-error\""),
                        containsString("must be at most 60 (1 h)"));
        String page = operator.post("/actions/sandbox", Map.of("projectId", projectId, "ttlMinutes", ""))
                .then().statusCode(200).extract().asString();
        String task = taskOf(page);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "succeeded"
                .equals(given().get("/api/tasks/{id}", task).then().extract().path("status")));
        String sandbox = given().get("/api/tasks/{id}", task).then().extract().path("entityId");
        given().get("/api/environments/{id}", sandbox).then().body("ttlMinutes", org.hamcrest.Matchers.equalTo(45));

        given().get("/projects/" + projectId).then().statusCode(200)
                .body(containsString("Sandboxes live 45 min unless asked otherwise, at most 1 h in all"));
        operator.post("/projects/" + projectId + "/sandboxes/" + sandbox + "/extend", Map.of("minutes", "30"))
                .then().statusCode(422).contentType(ContentType.HTML)
                .body(containsString("at most 60 (1 h), 15 more minutes at most"));
        operator.post("/projects/" + projectId + "/sandboxes/" + sandbox + "/extend", Map.of("minutes", "15"))
                .then().statusCode(200).body(containsString("Extended by 15 minutes."));
        given().get("/api/environments/{id}", sandbox).then().body("ttlMinutes", org.hamcrest.Matchers.equalTo(60));
    }

    /**
     * The page calls the service with the form's Idempotency-Key and the API path it stands for: a
     * resubmit of the same form and the same request sent to the API with the same key are replays
     * of one task, and the key with another body is the API's 409 next to nothing but the form.
     */
    @Test
    void aQuickActionSharesItsIdempotencyKeyWithTheApi() {
        String entity = "diag/idem-" + UUID.randomUUID();
        String key = "page-" + UUID.randomUUID();
        Session session = Session.open("/actions/diagnostic");
        Map<String, String> form = Map.of("entityId", entity, "steps", "1", "stepMillis", "0", "fail", "never",
                "idempotencyKey", key);
        String first = taskOf(session.post("/actions/diagnostic", form).then().statusCode(200).extract().asString());
        String again = taskOf(session.post("/actions/diagnostic", form).then().statusCode(200).extract().asString());
        assertThat(again).as("the same form again").isEqualTo(first);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("entityId", entity, "steps", 1, "stepMillis", 0, "fail", "never"))
                .post("/api/tasks/diagnostic").then().statusCode(200).body("taskId", org.hamcrest.Matchers.equalTo(
                        first));
        session.post("/actions/diagnostic", Map.of("entityId", entity, "steps", "2", "stepMillis", "0", "fail",
                "never", "idempotencyKey", key))
                .then().statusCode(409).contentType(ContentType.HTML)
                .body(containsString("Idempotency-Key reused"));
    }

    /**
     * Pages call the services in process: with {@code /api} closed to every HTTP request, a quick
     * action, a cost estimate and a settings save still work, and nothing knocked on the API.
     */
    @Test
    void pageActionsWorkWhileTheApiIsUnreachableOverHttp() throws Exception {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("closed"));
        Session session = Session.open("/settings");
        try (AutoCloseable gate = ApiGate.close()) {
            session.post("/actions/diagnostic",
                    Map.of("entityId", "diag/closed-" + UUID.randomUUID(), "steps", "1", "stepMillis", "0", "fail",
                            "never"))
                    .then().statusCode(200).body(containsString("aria-label=\"Open the new task\""));
            session.post("/cost", Map.of("resources[0].kind", "vm", "resources[0].sku", "Standard_D2s_v5",
                    "resources[0].region", "westeurope", "resources[0].hours", "730"))
                    .then().statusCode(200).body(containsString("/ month"));
            session.post("/settings/projects/" + projectId,
                    Map.of("teamsWebhookUrl", "", "emailRecipients", "ops@example.com"))
                    .then().statusCode(200).body(containsString("Saved."));
            given().get("/api/projects/{id}", projectId).then().statusCode(503);
            assertThat(ApiGate.refused()).as("only the test's own probe reached the gate").isEqualTo(1);
        }
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("emailRecipients", org.hamcrest.Matchers.contains("ops@example.com"));
    }

    /** Pages check the role of the API endpoint they stand for and show its 403 problem inline. */
    @Test
    void anActionBeyondTheRoleShowsTheApisForbiddenProblemAndChangesNothing() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("roles"));
        Session session = Session.open("/settings");
        String entity = "diag/viewer-" + UUID.randomUUID();
        session.as("viewer").post("/actions/diagnostic",
                Map.of("entityId", entity, "steps", "1", "stepMillis", "0", "fail", "never"))
                .then().statusCode(403).contentType(ContentType.HTML)
                .body(containsString("Forbidden: Your role does not allow this action"));
        given().queryParam("entityId", entity).get("/api/tasks").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
        // saving settings is admin's (PUT /api/projects/{id}), not operator's
        session.as("operator").post("/settings/projects/" + projectId,
                Map.of("teamsWebhookUrl", "", "emailRecipients", "ops@example.com"))
                .then().statusCode(403).body(containsString("Forbidden"));
        given().get("/api/projects/{id}", projectId).then().statusCode(200)
                .body("emailRecipients", not(org.hamcrest.Matchers.hasItem("ops@example.com")));
        // the operator may do what the API lets operators do
        session.as("operator").post("/actions/diagnostic",
                Map.of("entityId", entity, "steps", "1", "stepMillis", "0", "fail", "never"))
                .then().statusCode(200).body(containsString("aria-label=\"Open the new task\""));
    }

    @Test
    void theDemoRoleSwitcherSetsTheRoleCookieAndRefusesUnknownRoles() {
        Session session = Session.open("/settings");
        Response switched = session.post("/settings/role", Map.of("role", "operator"));
        assertThat(switched.statusCode()).isEqualTo(303);
        assertThat(switched.getCookie("cloudops-demo-role")).isEqualTo("operator");
        given().cookie("cloudops-demo-role", "operator").get("/settings").then().statusCode(200)
                .body(containsString("with role operator"), not(containsString("with role admin")));
        session.post("/settings/role", Map.of("role", "root")).then().statusCode(400);
    }

    /** The page shows "not available yet" exactly when the API has no such route. */
    private static void expectRelayed(Response page, String apiPath) {
        Response api = given().contentType(ContentType.JSON).body("{}").post(apiPath);
        boolean missing = api.statusCode() == 404
                && String.valueOf(api.jsonPath().getString("detail")).startsWith("No resource at");
        assertThat(page.contentType()).startsWith("text/html");
        if (missing) {
            assertThat(page.statusCode()).as(apiPath).isEqualTo(404);
            assertThat(page.asString()).as(apiPath).contains("Not available yet");
        } else {
            assertThat(page.asString()).as(apiPath).doesNotContain("Not available yet");
        }
    }

    private static String taskOf(String page) {
        Matcher task = Pattern.compile("href=\"/tasks/([0-9a-f-]{36})\" aria-label=\"Open the new task\"")
                .matcher(page);
        assertThat(task.find()).as("a link to the new task").isTrue();
        return task.group(1);
    }

    /** A browser without script: the CSRF cookie of a page and the token of its forms, and a demo role (null: admin). */
    private record Session(String cookie, String token, String role) {

        static Session open(String page) {
            Response response = given().get(page);
            Matcher token = TOKEN.matcher(response.asString());
            assertThat(token.find()).as("a form with a CSRF token on " + page).isTrue();
            return new Session(response.getCookie("cloudops-csrf"), token.group(1), null);
        }

        /** The same browser after choosing {@code role} in the demo role switcher. */
        Session as(String role) {
            return new Session(cookie, token, role);
        }

        Response post(String path, Map<String, String> form) {
            var request = given().redirects().follow(false).cookie("cloudops-csrf", cookie);
            if (role != null) {
                request = request.cookie("cloudops-demo-role", role);
            }
            return request.contentType(ContentType.URLENC.withCharset("UTF-8"))
                    .formParams(form).formParam("csrf-token", token)
                    .post(path);
        }
    }
}
