package io.cloudops.api.deployment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Tasks;
import io.cloudops.orchestrator.ops.LocalArtifactStore;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** {@code POST /api/deployments} and {@code GET /api/templates} with the simulated adapter. */
@QuarkusTest
class DeploymentResourceTest {

    @Inject
    LocalArtifactStore artifacts;

    @Inject
    EntityManager em;

    String projectName;
    String projectId;
    String envId;

    @BeforeEach
    void environment() {
        projectName = uniqueName("deploy");
        projectId = createProject(projectName);
        envId = createEnvironment(projectId, "dev", "dev");
    }

    @Test
    void listsTheTemplatesWithTheirParameters() {
        given().get("/api/templates").then().statusCode(200)
                .body("id", hasItem("web-app"))
                .body("find { it.id == 'web-app' }.kinds", equalTo(List.of("Deployment", "Service")))
                .body("find { it.id == 'web-app' }.parameters.name", equalTo(List.of("name", "image", "replicas",
                        "port", "pullPolicy")))
                .body("find { it.id == 'web-app' }.parameters.find { it.name == 'pullPolicy' }.allowedValues",
                        equalTo(List.of("IfNotPresent", "Always", "Never")))
                .body("find { it.id == 'web-app' }.parameters.find { it.name == 'replicas' }.description",
                        equalTo("Number of pods"))
                .body("find { it.id == 'web-app' }.parameters.find { it.name == 'replicas' }", not(hasKey(
                        "allowedValues")))
                .body("find { it.id == 'worker' }.parameters.find { it.name == 'serviceAccountToken' }.type",
                        equalTo("boolean"))
                .body("find { it.id == 'web-app' }.parameters.find { it.name == 'image' }.required", equalTo(true))
                .body("find { it.id == 'web-app' }.parameters.find { it.name == 'replicas' }.defaultValue",
                        equalTo(2))
                .body("find { it.id == 'web-app' }.parameters.find { it.name == 'replicas' }.type",
                        equalTo("integer"));
        given().get("/api/templates/web-app").then().statusCode(200).body("name", equalTo("Web application"));
        assertProblem(given().get("/api/templates/nope"), 404);
    }

    @Test
    void deploysATemplateThroughValidatePlanAndApplyWithAPlanArtifact() throws Exception {
        String taskId = deploy(Map.of("image", "nginx:1.27", "replicas", 3)).then().statusCode(202)
                .header("Location", containsString("/api/tasks/"))
                .extract().path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        String namespace = projectName + "-dev";
        assertThat(task.getString("type")).isEqualTo("deployment");
        assertThat(task.getString("entityId")).isEqualTo(envId);
        assertThat(task.getString("entityLabel")).isEqualTo(projectName + "/dev");
        assertThat(task.getList("steps.name")).containsExactly("validate", "plan", "apply");
        assertThat(task.getList("steps.status")).containsOnly("succeeded");
        assertThat(task.getString("payload.namespace")).isEqualTo(namespace);
        assertThat(task.getMap("payload.params")).containsEntry("name", "web").containsEntry("port", 8080)
                .containsEntry("replicas", 3);
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("deployment/web serverside-applied"))
                .anyMatch(line -> line.contains("service/web serverside-applied"))
                .anyMatch(line -> line.contains("3 of 3 updated replicas are available"))
                .anyMatch(line -> line.contains("deployment/web successfully rolled out"));

        assertThat(task.getList("artifacts")).hasSize(1);
        assertThat(task.getString("artifacts[0].kind")).isEqualTo("plan");
        Path plan = artifacts.pathOf(task.getString("artifacts[0].uri"));
        byte[] content = Files.readAllBytes(plan);
        assertThat(task.getLong("artifacts[0].sizeBytes")).isEqualTo(content.length);
        assertThat(task.getString("artifacts[0].sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        String yaml = new String(content, StandardCharsets.UTF_8);
        assertThat(yaml).contains("kind: Deployment", "kind: Service", "image: nginx:1.27",
                "imagePullPolicy: IfNotPresent", "replicas: 3",
                "containerPort: 8080", "namespace: " + namespace, "cloudops.io/project: " + projectName);
    }

    @Test
    void invalidRequestsAreProblemsNamingTheFieldAndEnqueueNothing() {
        long before = Tasks.count("deployment");

        assertProblem(deploy(Map.of()), 422).body("errors.field", equalTo(List.of("params.image")));
        assertProblem(deploy(Map.of("image", "nginx", "colour", "blue")), 422)
                .body("errors.field", equalTo(List.of("params.colour")))
                .body("errors[0].message", containsString("image, name, port, pullPolicy, replicas"));
        assertProblem(deploy(Map.of("image", "nginx", "pullPolicy", "Sometimes")), 422)
                .body("errors.field", equalTo(List.of("params.pullPolicy")))
                .body("errors[0].message", equalTo("must be one of IfNotPresent, Always, Never"));
        assertProblem(deploy(Map.of("image", "nginx", "replicas", "two")), 422)
                .body("errors.field", equalTo(List.of("params.replicas")));
        assertProblem(deploy(Map.of("image", "nginx", "replicas", 0, "port", 70000)), 422)
                .body("errors.field", equalTo(List.of("params.port", "params.replicas")));
        assertProblem(deploy(Map.of("image", "nginx\nkind: Secret")), 422)
                .body("errors.field", equalTo(List.of("params.image")));
        assertProblem(deploy(Map.of("image", "nginx", "simulate", "sometimes")), 422)
                .body("errors.field", equalTo(List.of("params.simulate")));
        assertProblem(request(Map.of("projectId", UUID.randomUUID(), "envId", envId, "templateId", "web-app")), 404)
                .body("errors.field", equalTo(List.of("projectId")));
        assertProblem(request(Map.of("projectId", projectId, "envId", UUID.randomUUID(), "templateId", "web-app")),
                404).body("errors.field", equalTo(List.of("envId")));
        assertProblem(request(Map.of("projectId", projectId, "envId", envId, "templateId", "nope")), 404)
                .body("errors.field", equalTo(List.of("templateId")));
        String otherEnv = createEnvironment(createProject(uniqueName("other")), "dev", "dev");
        assertProblem(request(Map.of("projectId", projectId, "envId", otherEnv, "templateId", "web-app",
                "params", Map.of("image", "nginx"))), 422).body("errors.field", equalTo(List.of("envId")));
        String expired = given().contentType(ContentType.JSON)
                .body(Map.of("name", "old-sandbox", "type", "sandbox", "ttlMinutes", 60))
                .post("/api/projects/{id}/environments", projectId).then().statusCode(201).extract().path("id");
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("UPDATE environment SET status = 'expired' WHERE id = :id")
                .setParameter("id", UUID.fromString(expired)).executeUpdate());
        assertProblem(request(Map.of("projectId", projectId, "envId", expired, "templateId", "web-app",
                "params", Map.of("image", "nginx"))), 409).body("errors.field", equalTo(List.of("envId")));
        assertProblem(request(Map.of("envId", envId, "templateId", "web-app")), 400)
                .body("errors.field", equalTo(List.of("projectId")));
        assertProblem(given().header("X-Demo-Role", "viewer").contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "envId", envId, "templateId", "web-app",
                        "params", Map.of("image", "nginx")))
                .post("/api/deployments"), 403);

        assertThat(Tasks.count("deployment")).isEqualTo(before);
    }

    @Test
    void aFailingApplyIsRetriedThenDeadLettered() {
        String taskId = deploy(Map.of("image", "nginx", "simulate", "fail")).then().statusCode(202).extract()
                .path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "dead_lettered");
        assertThat(task.getInt("attempt")).isEqualTo(task.getInt("maxAttempts")).isEqualTo(3);
        assertThat(task.getList("steps.status")).containsExactly("succeeded", "succeeded", "failed");
        assertThat(task.getString("error.message")).contains("apply", "simulate=fail");
        given().queryParam("size", 200).get("/api/dlq").then().statusCode(200).body("items.taskId", hasItem(taskId))
                .body("items.find { it.taskId == '" + taskId + "' }.entityLabel", equalTo(projectName + "/dev"));
        // the console's list: the environment by name, its id on hover
        String page = given().get("/dlq").then().statusCode(200).extract().asString();
        String row = page.substring(page.indexOf("aria-label=\"Dead letter of task " + taskId + "\""));
        assertThat(row.substring(0, row.indexOf("</tr>")))
                .contains("<span title=\"" + envId + "\">" + projectName + "/dev</span>");
    }

    @Test
    void aFlakyApplySucceedsOnItsSecondAttemptWithoutPlanningAgain() {
        String taskId = deploy(Map.of("image", "nginx", "simulate", "flaky:1")).then().statusCode(202).extract()
                .path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getInt("attempt")).isEqualTo(2);
        assertThat(task.getList("artifacts")).hasSize(1);
        assertThat(task.getList("logs.message", String.class))
                .filteredOn(line -> line.startsWith("plan written")).hasSize(1);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameTask() {
        String key = "deploy-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("projectId", projectId, "envId", envId, "templateId", "web-app",
                "params", Map.of("image", "nginx"));
        String first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/api/deployments").then().statusCode(202).extract().path("taskId");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/api/deployments").then().statusCode(200).body("taskId", equalTo(first));
        Tasks.awaitStatus(first, "succeeded");
    }

    @Test
    void aRollbackAppliesTheEarlierPlanByteForByteAndRefusesAChangedOne() throws Exception {
        String first = deploy(Map.of("image", "nginx:1.26", "replicas", 3)).then().statusCode(202).extract()
                .path("taskId");
        JsonPath firstTask = Tasks.awaitStatus(first, "succeeded");
        String second = deploy(Map.of("image", "nginx:1.27", "replicas", 5)).then().statusCode(202).extract()
                .path("taskId");
        Tasks.awaitStatus(second, "succeeded");

        String rollback = given().post("/api/deployments/{id}/rollback", first).then().statusCode(202)
                .header("Location", containsString("/api/tasks/")).extract().path("taskId");
        JsonPath task = Tasks.awaitStatus(rollback, "succeeded");
        assertThat(task.getString("entityId")).isEqualTo(envId);
        assertThat(task.getString("entityLabel")).isEqualTo(projectName + "/dev");
        assertThat(task.getString("payload.rollback.taskId")).isEqualTo(first);
        assertThat(task.getString("payload.rollback.sha256")).isEqualTo(firstTask.getString("artifacts[0].sha256"));
        assertThat(task.getString("artifacts[0].sha256")).as("the same plan, not a re-render")
                .isEqualTo(firstTask.getString("artifacts[0].sha256"));
        assertThat(Files.readAllBytes(artifacts.pathOf(task.getString("artifacts[0].uri"))))
                .isEqualTo(Files.readAllBytes(artifacts.pathOf(firstTask.getString("artifacts[0].uri"))));
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("rolling back") && line.contains(first))
                .anyMatch(line -> line.contains("3 of 3 updated replicas are available"));

        // a plan that changed since it was applied is not applied
        Path earlier = artifacts.pathOf(firstTask.getString("artifacts[0].uri"));
        Files.writeString(earlier, Files.readString(earlier).replace("replicas: 3", "replicas: 30"));
        String refused = given().post("/api/deployments/{id}/rollback", first).then().statusCode(202).extract()
                .path("taskId");
        JsonPath failed = Tasks.awaitStatus(refused, "failed");
        assertThat(failed.getString("error.message")).contains("has changed", first);
        assertThat(failed.getList("logs.message", String.class)).noneMatch(line -> line.contains("serverside-applied"));

        // only a succeeded deployment is a known plan
        String diagnostic = given().contentType(ContentType.JSON)
                .body(Map.of("entityId", "rollback-" + UUID.randomUUID(), "steps", 1, "stepMillis", 1))
                .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
        assertProblem(given().post("/api/deployments/{id}/rollback", diagnostic), 409)
                .body("errors.field", equalTo(List.of("taskId")));
        assertProblem(given().post("/api/deployments/{id}/rollback", refused), 409)
                .body("detail", containsString("only a succeeded deployment"));
        assertProblem(given().post("/api/deployments/{id}/rollback", UUID.randomUUID()), 404);
        Response malformed = given().post("/api/deployments/{id}/rollback", "not-a-uuid");
        assertThat(malformed.statusCode()).isBetween(400, 499);
        assertProblem(malformed, malformed.statusCode());
        assertProblem(given().header("X-Demo-Role", "viewer").post("/api/deployments/{id}/rollback", second), 403);

        // the task page of a succeeded deployment has the button, and it does what the API does
        Response page = given().get("/tasks/{id}", second);
        assertThat(page.asString()).contains("aria-label=\"Roll back to this plan\"");
        assertThat(given().get("/tasks/{id}", diagnostic).asString()).doesNotContain("Roll back to this plan");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(page.asString());
        assertThat(token.find()).isTrue();
        String answer = given().cookie("cloudops-csrf", page.getCookie("cloudops-csrf")).header("HX-Request", "true")
                .contentType(ContentType.URLENC.withCharset("UTF-8")).formParam("csrf-token", token.group(1))
                .post("/tasks/{id}/rollback", second).then().statusCode(200).extract().asString();
        assertThat(answer).contains("Rollback queued");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("/tasks/([0-9a-f-]{36})").matcher(answer);
        assertThat(link.find()).as("the answer links the new task: %s", answer).isTrue();
        JsonPath again = Tasks.awaitStatus(link.group(1), "succeeded");
        assertThat(again.getString("payload.rollback.taskId")).isEqualTo(second);
        assertThat(again.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("5 of 5 updated replicas are available"));
    }

    @Test
    void aDryRunPlansAndDiffsAgainstTheLastAppliedPlanBesideTheQueueAndAppliesNothing() throws Exception {
        Map<String, Object> preview = new java.util.HashMap<>(Map.of("projectId", projectId, "envId", envId,
                "templateId", "web-app", "params", Map.of("image", "nginx:1.27", "replicas", 2), "dryRun", true));
        // nothing applied yet: every line is new
        String first = request(preview).then().statusCode(202).extract().path("taskId");
        JsonPath firstPreview = Tasks.awaitStatus(first, "succeeded");
        assertThat(firstPreview.getList("steps.name")).containsExactly("validate", "plan", "diff");
        assertThat(firstPreview.getString("entityId")).startsWith("preview/" + envId + "/");
        assertThat(firstPreview.getString("entityLabel")).isEqualTo(projectName + "/dev (preview)");
        assertThat(firstPreview.getList("artifacts.kind")).containsExactly("plan", "diff");
        assertThat(firstPreview.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("diff against nothing (no deployment yet)"))
                .noneMatch(line -> line.contains("serverside-applied"));

        String applied = deploy(Map.of("image", "nginx:1.26", "replicas", 2)).then().statusCode(202).extract()
                .path("taskId");
        Tasks.awaitStatus(applied, "succeeded");
        String second = request(preview).then().statusCode(202).extract().path("taskId");
        JsonPath task = Tasks.awaitStatus(second, "succeeded");
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("diff against the plan of task " + applied + ": +1 -1 lines"))
                .anyMatch(line -> line.equals("diff: -        image: nginx:1.26"))
                .anyMatch(line -> line.equals("diff: +        image: nginx:1.27"))
                .noneMatch(line -> line.contains("serverside-applied"));
        String diff = Files.readString(artifacts.pathOf(task.getString("artifacts.find { it.kind == 'diff' }.uri")));
        assertThat(diff).startsWith("--- applied/" + applied + "/plan.yaml\n+++ preview/" + second + "/plan.yaml\n")
                .contains("-        image: nginx:1.26\n+        image: nginx:1.27\n");
        // the task page shows both, highlighted
        String page = given().get("/tasks/{id}", second).then().statusCode(200).extract().asString();
        assertThat(page).contains("aria-label=\"Plan content\"",
                "aria-label=\"Diff against the last applied plan content\"",
                "<span class=\"ln c-del\">-        image: nginx:1.26</span>",
                "<span class=\"ln c-add\">+        image: nginx:1.27</span>",
                "<span class=\"c-key\">replicas</span><span class=\"c-punct\">:</span> <span class=\"c-literal\">2</span>");

        // the same parameters as the applied plan: no change
        preview.put("params", Map.of("image", "nginx:1.26", "replicas", 2));
        String same = request(preview).then().statusCode(202).extract().path("taskId");
        assertThat(Tasks.awaitStatus(same, "succeeded").getList("logs.message", String.class))
                .anyMatch(line -> line.contains("no change"));
        // a preview is not a deployment to roll back to, and not the last applied plan
        assertProblem(given().post("/api/deployments/{id}/rollback", second), 409)
                .body("detail", containsString("preview"));
        assertThat(given().get("/tasks/{id}", second).asString()).doesNotContain("Roll back to this plan");
        assertThat(given().queryParam("entityId", envId).get("/api/tasks").then().extract().jsonPath()
                .getList("items.id", String.class)).containsExactly(applied);
    }

    @Test
    void anEnvironmentRedeploysItsLastAppliedDeploymentInOneCall() {
        assertProblem(given().post("/api/environments/{id}/redeploy", envId), 409)
                .body("errors.field", equalTo(List.of("envId")));
        assertProblem(given().get("/api/environments/{id}/last-deployment", envId), 404);
        String applied = deploy(Map.of("image", "nginx:1.27", "replicas", 3)).then().statusCode(202).extract()
                .path("taskId");
        Tasks.awaitStatus(applied, "succeeded");
        // a later preview is never what a redeploy repeats
        Map<String, Object> preview = new java.util.HashMap<>(Map.of("projectId", projectId, "envId", envId,
                "templateId", "web-app", "params", Map.of("image", "nginx:1.28", "replicas", 5), "dryRun", true));
        Tasks.awaitStatus(request(preview).then().statusCode(202).extract().path("taskId"), "succeeded");

        given().get("/api/environments/{id}/last-deployment", envId).then().statusCode(200)
                .body("taskId", equalTo(applied)).body("templateId", equalTo("web-app"))
                .body("params.replicas", equalTo(3)).body("params.image", equalTo("nginx:1.27"));
        String again = given().post("/api/environments/{id}/redeploy", envId).then().statusCode(202)
                .header("Location", containsString("/api/tasks/")).extract().path("taskId");
        JsonPath redeployed = Tasks.awaitStatus(again, "succeeded");
        assertThat(redeployed.getString("entityId")).isEqualTo(envId);
        assertThat(redeployed.getMap("payload.params")).containsEntry("replicas", 3).containsEntry("image",
                "nginx:1.27");
        assertProblem(given().post("/api/environments/{id}/redeploy", UUID.randomUUID()), 404);
        assertProblem(given().header("X-Demo-Role", "viewer").post("/api/environments/{id}/redeploy", envId), 403);

        // the console's one click, on the dashboard card (a project that sorts first, with a prod environment)
        String first = createProject(uniqueName("aa-redeploy"));
        String prod = createEnvironment(first, "prod", "prod");
        String dev = createEnvironment(first, "dev", "dev");
        for (String env : List.of(prod, dev)) {
            Tasks.awaitStatus(given().contentType(ContentType.JSON).body(Map.of("projectId", first, "envId", env,
                    "templateId", "web-app", "params", Map.of("image", "nginx:1.27"))).post("/api/deployments").then()
                    .statusCode(202).extract().path("taskId"), "succeeded");
        }
        io.restassured.response.Response dashboard = given().get("/");
        String html = dashboard.asString();
        assertThat(html).contains("action=\"/dashboard/environments/" + prod + "/redeploy\"",
                "action=\"/dashboard/environments/" + dev + "/redeploy\"");
        String prodForm = html.substring(html.indexOf("action=\"/dashboard/environments/" + prod + "/redeploy\""));
        String devForm = html.substring(html.indexOf("action=\"/dashboard/environments/" + dev + "/redeploy\""));
        assertThat(prodForm.substring(0, prodForm.indexOf('>'))).as("prod asks first").contains("hx-confirm=");
        assertThat(devForm.substring(0, devForm.indexOf('>'))).as("dev is one click").doesNotContain("hx-confirm=");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(html);
        assertThat(token.find()).isTrue();
        String answer = given().cookie("cloudops-csrf", dashboard.getCookie("cloudops-csrf"))
                .header("HX-Request", "true").contentType(ContentType.URLENC).formParam("csrf-token", token.group(1))
                .post("/dashboard/environments/{id}/redeploy", dev).then().statusCode(200).extract().asString();
        assertThat(answer).contains("Redeploy queued");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"/tasks/([0-9a-f-]{36})\"")
                .matcher(answer.substring(answer.indexOf("Redeploy queued")));
        assertThat(link.find()).as("the result links the new task").isTrue();
        assertThat(Tasks.awaitStatus(link.group(1), "succeeded").getString("entityId")).isEqualTo(dev);
    }

    @Test
    void theTaskListFiltersByProjectNameOrIdInTheApiAndTheConsole() {
        String taskId = deploy(Map.of("image", "nginx")).then().statusCode(202).extract().path("taskId");
        String otherName = uniqueName("deploy-other");
        String otherProject = createProject(otherName);
        String otherTask = request(Map.of("projectId", otherProject, "envId",
                createEnvironment(otherProject, "dev", "dev"), "templateId", "web-app", "params",
                Map.of("image", "nginx"))).then().statusCode(202).extract().path("taskId");
        for (String project : List.of(projectName, projectId)) {
            given().queryParam("project", project).get("/api/tasks").then().statusCode(200)
                    .body("total", equalTo(1)).body("items.id", equalTo(List.of(taskId)));
        }
        given().queryParam("project", otherName).queryParam("type", "deployment").get("/api/tasks").then()
                .statusCode(200).body("items.id", equalTo(List.of(otherTask)));
        given().queryParam("project", "no-such-project").get("/api/tasks").then().statusCode(200)
                .body("total", equalTo(0));
        String page = given().queryParam("project", projectName).get("/tasks").then().statusCode(200).extract()
                .asString();
        assertThat(page).contains("/tasks/" + taskId, "value=\"" + projectName + "\"")
                .doesNotContain("/tasks/" + otherTask);
        Tasks.awaitStatus(taskId, "succeeded");
        Tasks.awaitStatus(otherTask, "succeeded");
    }

    @Test
    void theConsoleShowsTheEnvironmentByNameWithItsIdOnHover() {
        String label = projectName + "/dev";
        String named = "<span title=\"" + envId + "\">" + label + "</span>";
        // held in the environment's queue, so that the dashboard's backlog lists it too
        given().queryParam("entityId", envId).post("/api/queue/pause").then().statusCode(200);
        String taskId;
        try {
            taskId = deploy(Map.of("image", "nginx")).then().statusCode(202).extract().path("taskId");
            given().queryParam("entityId", envId).get("/api/tasks").then().statusCode(200)
                    .body("items.id", equalTo(List.of(taskId))).body("items.entityLabel", equalTo(List.of(label)));
            given().get("/api/queue").then().statusCode(200)
                    .body("sessions.find { it.entityId == '" + envId + "' }.entityLabel", equalTo(label));
            assertThat(row(given().get("/").asString(), "Session " + envId)).contains(named);
        } finally {
            given().queryParam("entityId", envId).post("/api/queue/resume").then().statusCode(200);
        }
        // filtering stays by id; the list and the task page show the name, the id on hover or beside it
        assertThat(row(given().queryParam("entityId", envId).get("/tasks").asString(), "Task " + taskId))
                .contains(named).doesNotContain("class=\"mono\">" + envId);
        assertThat(given().get("/tasks/{id}", taskId).asString()).contains(
                "<dd aria-label=\"Entity\">" + named + " <span class=\"mono faint\">" + envId + "</span></dd>");

        // an entity without a name (a diagnostic's own text, or a task from before names were stored): its id
        String entity = "diag/unnamed-" + UUID.randomUUID();
        String diagnostic = given().contentType(ContentType.JSON)
                .body(Map.of("entityId", entity, "steps", 1, "stepMillis", 1)).post("/api/tasks/diagnostic").then()
                .statusCode(202).extract().path("taskId");
        given().get("/api/tasks/{id}", diagnostic).then().statusCode(200).body("entityLabel", nullValue());
        assertThat(row(given().queryParam("entityId", entity).get("/tasks").asString(), "Task " + diagnostic))
                .contains("<td><span class=\"mono\">" + entity + "</span></td>").doesNotContain("title=");
        Tasks.awaitStatus(taskId, "succeeded");
        Tasks.awaitStatus(diagnostic, "succeeded");
    }

    /** The table row of {@code html} whose aria-label is {@code label}. */
    private static String row(String html, String label) {
        int start = html.indexOf("<tr aria-label=\"" + label + "\"");
        assertThat(start).as("a row labelled " + label).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private Response deploy(Map<String, Object> params) {
        return request(Map.of("projectId", projectId, "envId", envId, "templateId", "web-app", "params", params));
    }

    private static Response request(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/deployments");
    }
}
