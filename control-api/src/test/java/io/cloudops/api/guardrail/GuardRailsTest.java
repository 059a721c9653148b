package io.cloudops.api.guardrail;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The guard rails of the test profile (src/test/resources/guardrails/test-policies.yaml, set by
 * {@code %test.cloudops.policy.file}) on the real API: a deployment into a frozen prod is a 403
 * naming the policy, audited; an admin overrides it with a reason, audited with the reason; too
 * many replicas are a 422 naming the field; a restore into a prod database without a recent backup
 * of it is a 422.
 */
@QuarkusTest
class GuardRailsTest {

    static Response deploy(String role, String projectId, String envId, Map<String, ?> extra, String requestId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("projectId", projectId, "envId", envId,
                "templateId", "web-app", "params", Map.of("image", "nginx:1.27", "replicas", 2)));
        body.putAll(extra);
        return given().header("X-Demo-Role", role).header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body(body).post("/api/deployments");
    }

    static List<Map<String, Object>> audit(String requestId) {
        return given().queryParam("requestId", requestId).get("/api/audit").then().statusCode(200).extract()
                .jsonPath().getList("items");
    }

    static String requestId() {
        return "guardrail-" + UUID.randomUUID();
    }

    @Test
    void aDeploymentIntoAFrozenProdIsAProblemNamingThePolicyAndIsAudited() {
        String projectId = createProject(uniqueName("frozen"));
        String prod = createEnvironment(projectId, "prod", "prod");
        long before = Tasks.count("deployment");
        String request = requestId();

        assertProblem(deploy("operator", projectId, prod, Map.of(), request), 403)
                .body("type", equalTo("/problems/policy-denied"))
                .body("title", equalTo("Denied by policy"))
                .body("detail", containsString("Denied by policy frozen-projects: production of frozen-* projects "
                        + "is frozen. Role admin may override it with a reason"));
        assertThat(Tasks.count("deployment")).as("nothing enqueued").isEqualTo(before);

        List<Map<String, Object>> entries = audit(request);
        JsonPath denial = new JsonPath(toJson(entries.stream().filter(e -> "guardrail.deny".equals(e.get("action")))
                .findFirst().orElseThrow()));
        assertThat(denial.getString("outcome")).isEqualTo("denied");
        assertThat(denial.getString("targetType")).isEqualTo("policy");
        assertThat(denial.getString("targetId")).isEqualTo("frozen-projects");
        assertThat(denial.getList("detail.guardRails.policy")).containsExactly("max-replicas", "frozen-projects");
        assertThat(denial.getList("detail.guardRails.result")).containsExactly("allowed", "denied");
        assertThat(entries).as("the refused task.create is audited too").anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("task.create");
            assertThat(e.get("outcome")).isEqualTo("denied");
        });

        // a dev environment of the same project is not frozen
        String dev = createEnvironment(projectId, "dev", "dev");
        deploy("operator", projectId, dev, Map.of(), requestId()).then().statusCode(202);
    }

    @Test
    void anAdminOverridesTheFreezeWithAReasonAndTheAuditLogKeepsIt() {
        String projectId = createProject(uniqueName("frozen"));
        String prod = createEnvironment(projectId, "prod", "prod");

        // the role alone is not enough: the problem names the missing reason
        assertProblem(deploy("admin", projectId, prod, Map.of(), requestId()), 403)
                .body("type", equalTo("/problems/policy-denied"))
                .body("errors.field", equalTo(List.of("reason")))
                .body("errors.message", equalTo(List.of("is required to override policy frozen-projects")));
        // an operator's reason is no override
        assertProblem(deploy("operator", projectId, prod, Map.of("reason", "please"), requestId()), 403);

        String request = requestId();
        String taskId = deploy("admin", projectId, prod, Map.of("reason", "hotfix for INC-42"), request).then()
                .statusCode(202).extract().path("taskId");
        Tasks.awaitStatus(taskId, "succeeded");

        List<Map<String, Object>> entries = audit(request);
        assertThat(entries).hasSize(1);
        JsonPath entry = new JsonPath(toJson(entries.getFirst()));
        assertThat(entry.getString("action")).isEqualTo("task.create");
        assertThat(entry.getString("outcome")).isEqualTo("succeeded");
        assertThat(entry.getString("targetId")).isEqualTo(taskId);
        assertThat(entry.getString("detail.reason")).isEqualTo("hotfix for INC-42");
        assertThat(entry.getList("detail.guardRails.policy")).containsExactly("max-replicas", "frozen-projects");
        assertThat(entry.getList("detail.guardRails.result")).containsExactly("allowed", "overridden");
        assertThat(entry.getString("detail.guardRails[1].reason")).isEqualTo("hotfix for INC-42");
        assertThat(entry.getString("detail.guardRails[1].overriddenAs")).isEqualTo("admin");
    }

    @Test
    void theConsolesDeployFormCarriesTheReasonThatOverridesAGuardRail() {
        String projectId = createProject(uniqueName("frozen"));
        String prod = createEnvironment(projectId, "prod", "prod");
        Response page = given().get("/actions/deploy");
        assertThat(page.asString()).contains("Reason to override a guard rail");
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"")
                .matcher(page.asString());
        assertThat(token.find()).isTrue();
        java.util.function.Function<String, Response> submit = reason -> {
            var form = given().header("X-Demo-Role", "admin").cookie("cloudops-csrf", page.getCookie("cloudops-csrf"))
                    .contentType(ContentType.URLENC.withCharset("UTF-8")).formParam("csrf-token", token.group(1))
                    .formParam("envId", prod).formParam("templateId", "web-app")
                    .formParam("params.image", "nginx:1.27");
            return (reason == null ? form : form.formParam("reason", reason)).post("/actions/deploy");
        };
        Response refused = submit.apply(null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.asString()).contains("is required to override policy frozen-projects");

        String request = requestId();
        Response accepted = given().header("X-Demo-Role", "admin").header("X-Request-Id", request)
                .cookie("cloudops-csrf", page.getCookie("cloudops-csrf"))
                .contentType(ContentType.URLENC.withCharset("UTF-8")).formParam("csrf-token", token.group(1))
                .formParam("envId", prod).formParam("templateId", "web-app").formParam("params.image", "nginx:1.27")
                .formParam("reason", "console hotfix for INC-7").post("/actions/deploy");
        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(200);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("/tasks/([0-9a-f-]{36})")
                .matcher(accepted.asString());
        assertThat(link.find()).isTrue();
        Tasks.awaitStatus(link.group(1), "succeeded");
        JsonPath entry = new JsonPath(toJson(audit(request).stream().filter(e -> "task.create".equals(e.get("action")))
                .findFirst().orElseThrow()));
        assertThat(entry.getString("detail.reason")).isEqualTo("console hotfix for INC-7");
        assertThat(entry.getList("detail.guardRails.result")).contains("overridden");
    }

    @Test
    void tooManyReplicasAreAProblemNamingTheField() {
        String projectId = createProject(uniqueName("replicas"));
        String dev = createEnvironment(projectId, "dev", "dev");
        String request = requestId();
        Map<String, Object> body = Map.of("params", Map.of("image", "nginx:1.27", "replicas", 11));

        assertProblem(deploy("operator", projectId, dev, body, request), 422)
                .body("type", equalTo("/problems/policy-denied"))
                .body("detail", containsString("Denied by policy max-replicas: a deployment may ask for at most 10"))
                .body("errors.field", equalTo(List.of("params.replicas")));
        assertThat(audit(request)).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("guardrail.deny");
            assertThat(e.get("outcome")).isEqualTo("rejected");
            assertThat(e.get("targetId")).isEqualTo("max-replicas");
        });
    }

    @Test
    void aRestoreIntoAProdDatabaseNeedsARecentBackupOfIt() {
        // %test.cloudops.policy.database-environments.guarded-orders=prod
        String backup = given().contentType(ContentType.JSON).body(Map.of())
                .post("/api/db/azure-postgres/{instance}/backup", "plain-orders").then().statusCode(202).extract()
                .path("taskId");
        String artifactId = Tasks.awaitStatus(backup, "succeeded").getString("artifacts[0].id");
        Map<String, String> restore = Map.of("artifactId", artifactId, "target", "orders_restored");

        assertProblem(given().contentType(ContentType.JSON).body(restore)
                .post("/api/db/azure-postgres/{instance}/restore", "guarded-orders"), 422)
                .body("type", equalTo("/problems/policy-denied"))
                .body("detail", containsString("Denied by policy prod-restore-needs-recent-backup"));
        // an unclassified database takes the restore
        given().contentType(ContentType.JSON).body(restore).post("/api/db/azure-postgres/{instance}/restore",
                "plain-orders").then().statusCode(202);

        // a fresh backup of the prod database lets the restore into it through
        String guardedBackup = given().contentType(ContentType.JSON).body(Map.of())
                .post("/api/db/azure-postgres/{instance}/backup", "guarded-orders").then().statusCode(202).extract()
                .path("taskId");
        Tasks.awaitStatus(guardedBackup, "succeeded");
        given().contentType(ContentType.JSON).body(restore).post("/api/db/azure-postgres/{instance}/restore",
                "guarded-orders").then().statusCode(202);
    }

    private static String toJson(Map<String, Object> map) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
