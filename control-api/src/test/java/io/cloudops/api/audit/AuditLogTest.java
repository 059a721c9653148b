package io.cloudops.api.audit;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.testsupport.Fixtures;
import io.cloudops.api.testsupport.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.cloudops.api.audit.AuditApi.awaitOnly;
import static io.cloudops.api.audit.AuditApi.entries;
import static io.cloudops.api.audit.AuditApi.none;
import static io.cloudops.api.audit.AuditApi.only;
import static io.cloudops.api.audit.AuditApi.requestId;
import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The audit log end to end on the default (demo mode) profile: one entry per change, for the API
 * and the console's forms alike, with who, roles, request id, source address, target and
 * parameters (secrets masked); refused attempts as {@code denied} or {@code rejected}; the listing's
 * filters, paging and CSV; the console page.
 */
@QuarkusTest
class AuditLogTest {

    private static final String REQUEST_ID = RequestIdHandler.HEADER;
    private static final String WEBHOOK = "https://acme.webhook.office.com/webhookb2/audit-secret-token/IncomingWebhook/1";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final Pattern NEW_TASK = Pattern
            .compile("href=\"/tasks/([0-9a-f-]{36})\" aria-label=\"Open the new task\"");

    @Test
    void projectAndEnvironmentChangesWriteOneEntryEachWithWhoWhereAndTheWebhookMasked() {
        String created = requestId();
        Instant before = Instant.now().minusSeconds(1);
        // forwarding headers count only when quarkus.http.proxy.* trusts them (not by default)
        String projectId = api(created).header("X-Forwarded-For", "203.0.113.9").contentType(ContentType.JSON)
                .body(Map.of("name", Fixtures.uniqueName("audit"), "teamsWebhookUrl", WEBHOOK))
                .post("/api/projects").then().statusCode(201).header(REQUEST_ID, created).extract().path("id");
        JsonPath entry = only(created);
        assertThat(entry.getString("actor")).isEqualTo("demo");
        assertThat(entry.getList("roles")).containsExactly("viewer", "operator", "admin");
        assertThat(entry.getString("action")).isEqualTo("project.create");
        assertThat(entry.getString("targetType")).isEqualTo("project");
        assertThat(entry.getString("targetId")).isEqualTo(projectId);
        assertThat(entry.getString("requestId")).isEqualTo(created);
        assertThat(entry.getString("sourceAddress")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
        assertThat(entry.getString("outcome")).isEqualTo("succeeded");
        assertThat(Instant.parse(entry.getString("at"))).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(entry.getString("detail.request")).isEqualTo("POST /api/projects");
        assertThat(entry.getString("detail.teamsWebhookUrl")).isEqualTo("https://acme.webhook.office.com/****");
        assertThat(given().queryParam("requestId", created).get("/api/audit").asString())
                .doesNotContain("audit-secret-token");

        String updated = requestId();
        api(updated).contentType(ContentType.JSON)
                .body(Map.of("name", Fixtures.uniqueName("audit"), "description", "renamed", "teamsWebhookUrl", ""))
                .put("/api/projects/{id}", projectId).then().statusCode(200);
        entry = only(updated);
        assertThat(entry.getString("action")).isEqualTo("project.update");
        assertThat(entry.getString("targetId")).isEqualTo(projectId);
        assertThat(entry.getString("detail.description")).isEqualTo("renamed");
        assertThat(entry.getBoolean("detail.teamsWebhookUrlChanged")).isTrue();

        String envCreated = requestId();
        String envId = api(envCreated).contentType(ContentType.JSON).body(Map.of("name", "dev", "type", "dev"))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201).extract().path("id");
        entry = only(envCreated);
        assertThat(entry.getString("action")).isEqualTo("environment.create");
        assertThat(entry.getString("targetType")).isEqualTo("environment");
        assertThat(entry.getString("targetId")).isEqualTo(envId);
        assertThat(entry.getString("detail.projectId")).isEqualTo(projectId);

        String envDeleted = requestId();
        api(envDeleted).delete("/api/environments/{id}", envId).then().statusCode(204);
        assertThat(only(envDeleted).getString("action")).isEqualTo("environment.delete");

        String deleted = requestId();
        api(deleted).delete("/api/projects/{id}", projectId).then().statusCode(204);
        entry = only(deleted);
        assertThat(entry.getString("action")).isEqualTo("project.delete");
        assertThat(entry.getString("targetId")).isEqualTo(projectId);
    }

    @Test
    void everyTaskCreatingEndpointWritesOneEntryWithItsParametersAndDigests() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("audit-ops"));
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");

        String deploy = requestId();
        String deployTask = api(deploy).contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "envId", envId, "templateId", "web-app", "params",
                        Map.of("image", "nginx:1.27", "replicas", 2)))
                .post("/api/deployments").then().statusCode(202).extract().path("taskId");
        JsonPath entry = taskCreated(deploy, deployTask, "deployment");
        assertThat(entry.getString("detail.parameters.params.image")).isEqualTo("nginx:1.27");
        assertThat(entry.getString("detail.manifestsSha256")).matches("[0-9a-f]{64}");
        assertThat(entry.getString("detail.entityId")).isEqualTo(envId);

        String sandbox = requestId();
        JsonPath sandboxAccepted = api(sandbox).contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "ttlMinutes", 60)).post("/api/sandboxes")
                .then().statusCode(202).extract().jsonPath();
        taskCreated(sandbox, sandboxAccepted.getString("taskId"), "sandbox_create");
        Tasks.awaitStatus(sandboxAccepted.getString("taskId"), "succeeded");
        String extend = requestId();
        api(extend).contentType(ContentType.JSON).body(Map.of("ttlMinutes", 30))
                .post("/api/sandboxes/{id}/extend", sandboxAccepted.getString("environmentId")).then().statusCode(200);
        entry = only(extend);
        assertThat(entry.getString("action")).isEqualTo("sandbox.extend");
        assertThat(entry.getString("targetId")).isEqualTo(sandboxAccepted.getString("environmentId"));
        assertThat(entry.getInt("detail.extendedByMinutes")).isEqualTo(30);

        String instance = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String backup = requestId();
        String backupTask = api(backup).post("/api/db/azure-postgres/{instance}/backup", instance)
                .then().statusCode(202).extract().path("taskId");
        assertThat(taskCreated(backup, backupTask, "db_backup").getString("detail.entityId"))
                .isEqualTo("azure-postgres/" + instance);
        JsonPath backedUp = Tasks.awaitStatus(backupTask, "succeeded");
        String restore = requestId();
        String restoreTask = api(restore).contentType(ContentType.JSON)
                .body(Map.of("artifactId", backedUp.getString("artifacts[0].id"), "target", instance + "_restored"))
                .post("/api/db/azure-postgres/{instance}/restore", instance).then().statusCode(202).extract()
                .path("taskId");
        assertThat(taskCreated(restore, restoreTask, "db_restore").getString("detail.artifactSha256"))
                .isEqualTo(backedUp.getString("artifacts[0].sha256"));

        String restart = requestId();
        String restartTask = api(restart).post("/api/k8s/workloads/shop-prod/web:restart").then().statusCode(202)
                .extract().path("taskId");
        assertThat(taskCreated(restart, restartTask, "restart_workload").getString("detail.parameters.name"))
                .isEqualTo("web");
    }

    @Test
    void anIdempotentReplayWritesNoSecondEntry() {
        String key = "audit-replay-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("entityId", "audit/" + UUID.randomUUID(), "steps", 1, "stepMillis", 0);
        String first = requestId();
        String task = api(first).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
        JsonPath entry = taskCreated(first, task, "diagnostic");
        assertThat(entry.getString("detail.idempotencyKey")).isEqualTo(key);
        assertThat(entry.getString("detail.payloadSha256")).matches("[0-9a-f]{64}");

        String replay = requestId();
        api(replay).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/tasks/diagnostic").then().statusCode(200).body("taskId", equalTo(task));
        assertThat(none(replay)).as("a replay changes nothing and writes nothing").isTrue();
        assertThat(entries("action", "task.create", "targetId", task)).hasSize(1);
    }

    @Test
    void cancelRetryAndDeadLetterActionsAreAuditedAndARefusedOneLeavesOnlyItsRejection() {
        String entity = "audit/" + UUID.randomUUID();
        String blocker = diagnostic(entity, 30, 1000, "never"); // keeps the next task of its entity queued
        String queued = diagnostic(entity, 1, 0, "never");
        String cancel = requestId();
        api(cancel).post("/api/tasks/{id}/cancel", queued).then().statusCode(202);
        JsonPath entry = only(cancel);
        assertThat(entry.getString("action")).isEqualTo("task.cancel");
        assertThat(entry.getString("targetType")).isEqualTo("task");
        assertThat(entry.getString("targetId")).isEqualTo(queued);

        // the second cancel fails after its entry was inserted: the transaction takes the entry with it,
        // and only the rejection (written on its own) remains
        String again = requestId();
        api(again).post("/api/tasks/{id}/cancel", queued).then().statusCode(409);
        entry = awaitOnly(again);
        assertThat(entry.getString("outcome")).isEqualTo("rejected");
        assertThat(entry.getString("action")).isEqualTo("task.cancel");
        assertThat(entry.getString("targetId")).isEqualTo(queued);
        assertThat(entry.getInt("detail.status")).isEqualTo(409);
        assertThat(entry.getString("detail.reason")).contains("cannot be cancelled");
        given().post("/api/tasks/{id}/cancel", blocker).then().statusCode(202);

        String failed = diagnostic("audit/" + UUID.randomUUID(), 1, 0, "permanent");
        Tasks.awaitStatus(failed, "failed");
        String retry = requestId();
        api(retry).post("/api/tasks/{id}/retry", failed).then().statusCode(202);
        assertThat(only(retry).getString("action")).isEqualTo("task.retry");

        String doomed = diagnostic("audit/" + UUID.randomUUID(), 1, 0, "always");
        Tasks.awaitStatus(doomed, "dead_lettered");
        String letter = openDeadLetter(doomed);
        String dlqRetry = requestId();
        api(dlqRetry).post("/api/dlq/{id}/retry", letter).then().statusCode(200);
        entry = only(dlqRetry);
        assertThat(entry.getString("action")).isEqualTo("deadletter.retry");
        assertThat(entry.getString("targetType")).isEqualTo("deadletter");
        assertThat(entry.getString("targetId")).isEqualTo(letter);

        // the retried task dead-letters again; this time the console's skip button resolves it
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> openDeadLetterOrNull(doomed) != null);
        String second = openDeadLetter(doomed);
        Console console = Console.open("/dlq");
        String skip = requestId();
        console.post("/dlq/" + second + "/skip", Map.of(), skip).then().statusCode(200);
        entry = only(skip);
        assertThat(entry.getString("action")).isEqualTo("deadletter.skip");
        assertThat(entry.getString("targetId")).isEqualTo(second);
        assertThat(entry.getString("detail.request")).isEqualTo("POST /dlq/" + second + "/skip");
    }

    @Test
    void consoleFormsWriteTheSameOneEntryAsTheirEndpoints() {
        String projectId = Fixtures.createProject(Fixtures.uniqueName("audit-console"));
        Console console = Console.open("/actions/diagnostic");

        String quick = requestId();
        String page = console.post("/actions/diagnostic",
                Map.of("entityId", "audit/" + UUID.randomUUID(), "steps", "30", "stepMillis", "1000", "fail", "never"),
                quick).then().statusCode(200).extract().asString();
        Matcher link = NEW_TASK.matcher(page);
        assertThat(link.find()).as("a link to the new task").isTrue();
        String task = link.group(1);
        JsonPath entry = taskCreated(quick, task, "diagnostic");
        assertThat(entry.getString("detail.request")).isEqualTo("POST /actions/diagnostic");

        String cancel = requestId();
        console.post("/tasks/" + task + "/cancel", Map.of(), cancel).then().statusCode(200);
        entry = only(cancel);
        assertThat(entry.getString("action")).isEqualTo("task.cancel");
        assertThat(entry.getString("targetId")).isEqualTo(task);
        Tasks.awaitStatus(task, "cancelled");
        String retry = requestId();
        console.post("/tasks/" + task + "/retry", Map.of(), retry).then().statusCode(200);
        entry = only(retry);
        assertThat(entry.getString("action")).isEqualTo("task.retry");
        assertThat(entry.getString("targetId")).isEqualTo(task);

        // the other quick actions: one task.create each, with the page it came from
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");
        Map<String, Map<String, String>> forms = Map.of(
                "deploy", Map.of("envId", envId, "templateId", "web-app", "params.image", "nginx:1.27"),
                "backup", Map.of("engine", "azure-postgres", "instanceId", "audit-" + UUID.randomUUID().toString()
                        .substring(0, 8)),
                "restart", Map.of("namespace", "shop-prod", "name", "web"),
                "sandbox", Map.of("projectId", projectId, "ttlMinutes", "60"));
        Map<String, String> types = Map.of("deploy", "deployment", "backup", "db_backup", "restart",
                "restart_workload", "sandbox", "sandbox_create");
        forms.forEach((action, form) -> {
            String id = requestId();
            Matcher created = NEW_TASK.matcher(console.post("/actions/" + action, form, id).then().statusCode(200)
                    .extract().asString());
            assertThat(created.find()).as("a link to the task of " + action).isTrue();
            assertThat(taskCreated(id, created.group(1), types.get(action)).getString("detail.request"))
                    .isEqualTo("POST /actions/" + action);
        });

        // a form post without its CSRF token changes nothing: its one entry is a refusal
        String forged = requestId();
        given().header(REQUEST_ID, forged).contentType(ContentType.URLENC).formParam("entityId", "audit/forged")
                .post("/actions/diagnostic").then().statusCode(org.hamcrest.Matchers.oneOf(400, 403));
        assertThat(awaitOnly(forged).getString("outcome")).isIn("rejected", "denied");

        String save = requestId();
        console.post("/settings/projects/" + projectId,
                Map.of("teamsWebhookUrl", WEBHOOK, "emailRecipients", "ops@example.com"), save)
                .then().statusCode(200);
        entry = only(save);
        assertThat(entry.getString("action")).isEqualTo("project.update");
        assertThat(entry.getString("targetId")).isEqualTo(projectId);
        assertThat(entry.getString("detail.teamsWebhookUrl")).isEqualTo("https://acme.webhook.office.com/****");
        assertThat(entry.getList("detail.emailRecipients")).containsExactly("ops@example.com");

        String sandbox = given().contentType(ContentType.JSON)
                .body(Map.of("name", "sbx", "type", "sandbox", "ttlMinutes", 60))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201).extract().path("id");
        String extend = requestId();
        console.post("/projects/" + projectId + "/sandboxes/" + sandbox + "/extend", Map.of("minutes", "15"), extend)
                .then().statusCode(200);
        entry = only(extend);
        assertThat(entry.getString("action")).isEqualTo("sandbox.extend");
        assertThat(entry.getString("targetId")).isEqualTo(sandbox);
    }

    @Test
    void deniedAttemptsAreRecordedWithTheActorsRoleAndTarget() {
        String task = diagnostic("audit/" + UUID.randomUUID(), 1, 0, "never");

        String cancel = requestId();
        assertProblem(api(cancel).header("X-Demo-Role", "viewer").post("/api/tasks/{id}/cancel", task), 403);
        JsonPath entry = awaitOnly(cancel);
        assertThat(entry.getString("outcome")).isEqualTo("denied");
        assertThat(entry.getString("action")).isEqualTo("task.cancel");
        assertThat(entry.getString("targetType")).isEqualTo("task");
        assertThat(entry.getString("targetId")).isEqualTo(task);
        assertThat(entry.getString("actor")).isEqualTo("demo");
        assertThat(entry.getList("roles")).containsExactly("viewer");
        assertThat(entry.getInt("detail.status")).isEqualTo(403);

        // a non-blocking endpoint (its answer leaves on the I/O thread)
        String diagnostic = requestId();
        assertProblem(api(diagnostic).header("X-Demo-Role", "viewer").contentType(ContentType.JSON)
                .body(Map.of("entityId", "audit/denied")).post("/api/tasks/diagnostic"), 403);
        entry = awaitOnly(diagnostic);
        assertThat(entry.getString("outcome")).isEqualTo("denied");
        assertThat(entry.getString("action")).isEqualTo("task.create");

        Console console = Console.open("/actions/diagnostic").as("viewer");
        String form = requestId();
        console.post("/actions/diagnostic", Map.of("entityId", "audit/denied", "steps", "1", "stepMillis", "0",
                "fail", "never"), form).then().statusCode(403);
        entry = awaitOnly(form);
        assertThat(entry.getString("outcome")).isEqualTo("denied");
        assertThat(entry.getString("action")).isEqualTo("task.create");
        assertThat(entry.getString("detail.request")).isEqualTo("POST /actions/diagnostic");
        assertThat(entry.getList("roles")).containsExactly("viewer");

        // refused outside JAX-RS: the WebSocket hub's upgrade, by a user without any role
        String hub = requestId();
        api(hub).header("X-Demo-Role", "nobody").header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .get("/hubs/tasks").then().statusCode(403);
        entry = awaitOnly(hub);
        assertThat(entry.getString("outcome")).isEqualTo("denied");
        assertThat(entry.getString("action")).isEqualTo("access");
        assertThat(entry.getString("detail.request")).isEqualTo("GET /hubs/tasks");
        assertThat(entry.getList("roles")).isEmpty();

        // reading the audit log is an admin's: an operator's attempt is itself recorded
        String read = requestId();
        assertProblem(api(read).header("X-Demo-Role", "operator").get("/api/audit"), 403);
        entry = awaitOnly(read);
        assertThat(entry.getString("outcome")).isEqualTo("denied");
        assertThat(entry.getString("action")).isEqualTo("access");
        assertThat(entry.getString("detail.request")).isEqualTo("GET /api/audit");
    }

    @Test
    void theListingFiltersPagesAndExportsCsvSafeForSpreadsheets() throws IOException {
        Instant start = Instant.now().minusSeconds(1);
        String missing = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            api(requestId()).post("/api/tasks/{id}/cancel", missing).then().statusCode(404);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> entries("targetId", missing).size() == 3);

        JsonPath first = given().queryParam("targetId", missing).queryParam("size", 2).get("/api/audit").then()
                .statusCode(200).header("X-Total-Count", "3").extract().jsonPath();
        JsonPath second = given().queryParam("targetId", missing).queryParam("size", 2).queryParam("page", 1)
                .get("/api/audit").then().statusCode(200).extract().jsonPath();
        assertThat(first.getLong("total")).isEqualTo(3);
        assertThat(first.getList("items")).hasSize(2);
        assertThat(second.getList("items")).hasSize(1);
        List<Long> ids = new java.util.ArrayList<>(first.getList("items.id", Long.class));
        ids.addAll(second.getList("items.id", Long.class));
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(entries("targetId", missing, "action", "task.cancel", "actor", "demo", "targetType", "task",
                "outcome", "rejected", "from", start.toString(), "to", Instant.now().plusSeconds(5).toString()))
                .hasSize(3);
        assertThat(entries("targetId", missing, "action", "task.retry")).isEmpty();
        assertThat(entries("targetId", missing, "actor", "someone-else")).isEmpty();
        assertThat(entries("targetId", missing, "outcome", "succeeded")).isEmpty();
        assertThat(entries("targetId", missing, "from", Instant.now().plusSeconds(3600).toString())).isEmpty();
        assertThat(entries("targetId", missing, "to", start.toString())).isEmpty();
        assertThat(entries("targetId", missing, "from", start.atOffset(java.time.ZoneOffset.ofHours(2)).toString()))
                .hasSize(3);

        // a target a spreadsheet would take for a formula, and a detail full of quotes and commas
        String formula = "=1+2";
        String formulaRequest = requestId();
        api(formulaRequest).post("/api/tasks/" + formula + "/cancel").then().statusCode(404);
        awaitOnly(formulaRequest);
        String csv = given().accept("text/csv").queryParam("requestId", formulaRequest).get("/api/audit").then()
                .statusCode(200).contentType(containsString("text/csv")).extract().asString();
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertThat(rows).hasSize(1);
        CSVRecord row = rows.get(0);
        assertThat(row.get("targetId")).isEqualTo("'" + formula);
        assertThat(row.get("action")).isEqualTo("task.cancel");
        assertThat(row.get("outcome")).isEqualTo("rejected");
        assertThat(row.get("roles")).isEqualTo("viewer operator admin");
        Map<String, Object> detail = given().queryParam("requestId", formulaRequest).get("/api/audit").then()
                .extract().jsonPath().getMap("items[0].detail");
        assertThat(new ObjectMapper().readValue(row.get("detail"), Map.class)).isEqualTo(detail);
        assertThat(given().queryParam("format", "csv").queryParam("targetId", missing).get("/api/audit").then()
                .statusCode(200).contentType(containsString("text/csv")).extract().asString().lines())
                .hasSize(4).first().isEqualTo(String.join(",", AuditCsv.COLUMNS));
    }

    @Test
    void badFilterValuesAreProblemsNamingTheParameter() {
        Map<String, Map<String, Object>> bad = Map.of(
                "from", Map.of("from", "yesterday"),
                "to", Map.of("from", "2026-12-02T10:00:00Z", "to", "2026-12-01T10:00:00Z"),
                "size", Map.of("size", 501),
                "page", Map.of("page", -1),
                "outcome", Map.of("outcome", "maybe"),
                "format", Map.of("format", "xml"));
        bad.forEach((parameter, query) -> assertProblem(given().queryParams(query).get("/api/audit"), 400)
                .body("errors[0].field", containsString(parameter)));
    }

    @Test
    void theConsolePageIsForAdminsLinkedInTheirNavAndEscapesWhatClientsSent() {
        String script = "<script>alert('audit')</script>";
        String task = given().contentType(ContentType.JSON).body(Map.of("entityId", script, "steps", 1,
                "stepMillis", 0)).post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
        String targeted = "<script>alert(1)";
        api(requestId()).post("/api/tasks/" + targeted + "/cancel").then().statusCode(404);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !entries("targetId", targeted).isEmpty());

        String page = given().queryParam("targetId", task).get("/audit").then().statusCode(200)
                .contentType(ContentType.HTML).body(containsString("aria-label=\"Audit log\""))
                .extract().asString();
        assertThat(page).contains("task " + task).contains("&lt;script&gt;alert(").doesNotContain(script);
        given().queryParam("targetId", targeted).get("/audit").then().statusCode(200)
                .body(containsString("&lt;script&gt;alert(1)"), not(containsString(targeted)));
        given().queryParam("from", "soon").get("/audit").then().statusCode(400).contentType(ContentType.HTML)
                .body(containsString("from must be"));

        given().get("/tasks").then().statusCode(200).body(containsString("href=\"/audit\""));
        given().header("X-Demo-Role", "operator").get("/tasks").then().statusCode(200)
                .body(not(containsString("href=\"/audit\"")));
        given().header("X-Demo-Role", "operator").get("/audit").then().statusCode(403);
    }

    @Test
    void theRequestIdIsTheClientsWhenSaneAndGeneratedOtherwise() {
        given().header(REQUEST_ID, "abc-123").get("/api/queue").then().header(REQUEST_ID, "abc-123");
        String generated = given().header(REQUEST_ID, "bad id\twith spaces").get("/api/queue").then()
                .extract().header(REQUEST_ID);
        assertThat(generated).matches("[0-9a-f-]{36}");
        assertThat(given().get("/").then().extract().header(REQUEST_ID)).matches("[0-9a-f-]{36}");
    }

    private static RequestSpecification api(String requestId) {
        return given().header(REQUEST_ID, requestId);
    }

    /** The request's only entry, a task.create of {@code taskId} with the task type. */
    private static JsonPath taskCreated(String requestId, String taskId, String taskType) {
        JsonPath entry = only(requestId);
        assertThat(entry.getString("action")).isEqualTo("task.create");
        assertThat(entry.getString("targetType")).isEqualTo("task");
        assertThat(entry.getString("targetId")).isEqualTo(taskId);
        assertThat(entry.getString("outcome")).isEqualTo("succeeded");
        assertThat(entry.getString("detail.taskType")).isEqualTo(taskType);
        assertThat(entry.getString("detail.payloadSha256")).matches("[0-9a-f]{64}");
        return entry;
    }

    private static String diagnostic(String entity, int steps, int stepMillis, String fail) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", steps, "stepMillis", stepMillis, "fail", fail))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
    }

    private static String awaitOpenDeadLetter(String taskId) {
        org.awaitility.Awaitility.await("an open dead letter of task " + taskId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> openDeadLetterOrNull(taskId) != null);
        return openDeadLetter(taskId);
    }

    private static String openDeadLetter(String taskId) {
        String id = openDeadLetterOrNull(taskId);
        assertThat(id).as("an open dead letter of task %s", taskId).isNotNull();
        return id;
    }

    private static String openDeadLetterOrNull(String taskId) {
        return given().queryParam("size", 200).get("/api/dlq").then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.taskId == '" + taskId + "' }.id");
    }

    /** A browser without script: the CSRF cookie and token of a page's forms, and a demo role (null: admin). */
    private record Console(String cookie, String token, String role) {

        static Console open(String page) {
            Response response = given().get(page);
            Matcher token = CSRF.matcher(response.asString());
            assertThat(token.find()).as("a form with a CSRF token on " + page).isTrue();
            return new Console(response.getCookie("cloudops-csrf"), token.group(1), null);
        }

        Console as(String role) {
            return new Console(cookie, token, role);
        }

        Response post(String path, Map<String, String> form, String requestId) {
            RequestSpecification request = given().redirects().follow(false).cookie("cloudops-csrf", cookie)
                    .header(REQUEST_ID, requestId);
            if (role != null) {
                request = request.cookie("cloudops-demo-role", role);
            }
            Map<String, String> fields = new HashMap<>(form);
            fields.put("csrf-token", token);
            return request.contentType(ContentType.URLENC.withCharset("UTF-8")).formParams(fields).post(path);
        }
    }
}
