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
                        "port")))
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
        assertThat(yaml).contains("kind: Deployment", "kind: Service", "image: nginx:1.27", "replicas: 3",
                "containerPort: 8080", "namespace: " + namespace, "cloudops.io/project: " + projectName);
    }

    @Test
    void invalidRequestsAreProblemsNamingTheFieldAndEnqueueNothing() {
        long before = Tasks.count("deployment");

        assertProblem(deploy(Map.of()), 422).body("errors.field", equalTo(List.of("params.image")));
        assertProblem(deploy(Map.of("image", "nginx", "colour", "blue")), 422)
                .body("errors.field", equalTo(List.of("params.colour")))
                .body("errors[0].message", containsString("image, name, port, replicas"));
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
        given().queryParam("size", 200).get("/api/dlq").then().statusCode(200).body("items.taskId", hasItem(taskId));
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

    private Response deploy(Map<String, Object> params) {
        return request(Map.of("projectId", projectId, "envId", envId, "templateId", "web-app", "params", params));
    }

    private static Response request(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/deployments");
    }
}
