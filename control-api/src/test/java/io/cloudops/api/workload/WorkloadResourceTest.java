package io.cloudops.api.workload;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.Tasks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /api/k8s/workloads/{ns}/{name}:restart} with the simulated adapter. */
@QuarkusTest
class WorkloadResourceTest {

    private static final String RESTART = "/api/k8s/workloads/{ns}/{name}:restart";

    @Test
    void theColonPathAcceptsARestartWithoutABodyAndRunsItsSteps() {
        String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
        // as curl sends it: the colon as is, no body, no Content-Type
        String taskId = given().urlEncodingEnabled(false)
                .post("/api/k8s/workloads/shop-prod/" + name + ":restart").then().statusCode(202)
                .header("Location", containsString("/api/tasks/"))
                .extract().path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getString("type")).isEqualTo("restart_workload");
        assertThat(task.getString("entityId")).isEqualTo("shop-prod/" + name);
        assertThat(task.getString("entityLabel")).isEqualTo("shop-prod/" + name);
        assertThat(task.getList("steps.name")).containsExactly("connect", "rollout-restart", "wait-ready");
        assertThat(task.getList("steps.status")).containsOnly("succeeded");
        assertThat(task.getString("payload.kind")).isEqualTo("Deployment");
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("deployment.apps/" + name + " restarted")
                        && line.contains("kubectl.kubernetes.io/restartedAt="))
                .anyMatch(line -> line.contains("successfully rolled out"));
    }

    @Test
    void aPercentEncodedColonADottedNameAndAnEmptyJsonBodyAreFine() {
        // rest-assured percent-encodes the colon after a path parameter: %3Arestart
        String taskId = given().contentType(ContentType.JSON).body("{}")
                .post(RESTART, "shop-prod", "api.v2").then().statusCode(202).extract().path("taskId");
        assertThat(Tasks.task(taskId).getString("entityId")).isEqualTo("shop-prod/api.v2");
        given().urlEncodingEnabled(false).post("/api/k8s/workloads/shop-prod/api.v2%3arestart").then()
                .statusCode(202);
    }

    @Test
    void invalidRequestsAreProblemsNamingTheFieldAndEnqueueNothing() {
        long before = Tasks.count("restart_workload");

        assertProblem(given().post(RESTART, "Shop_Prod", "web"), 400).body("errors.field", equalTo(List.of("ns")));
        assertProblem(given().post(RESTART, "shop", "-web"), 400).body("errors.field", equalTo(List.of("name")));
        assertProblem(given().post(RESTART, "x".repeat(64), "web"), 400).body("errors.field", equalTo(List.of("ns")));
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("params", Map.of("replicas", 2)))
                .post(RESTART, "shop", "web"), 422).body("errors.field", equalTo(List.of("params.replicas")));
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("params", Map.of("simulate", "never")))
                .post(RESTART, "shop", "web"), 422).body("errors.field", equalTo(List.of("params.simulate")));
        assertProblem(given().urlEncodingEnabled(false).post("/api/k8s/workloads/shop/web:reboot"), 404);
        assertProblem(given().urlEncodingEnabled(false).post("/api/k8s/workloads/shop/web:restart:restart"), 404);
        assertProblem(given().post("/api/k8s/workloads/{ns}/{name}", "shop", "web"), 404);
        assertProblem(given().get(RESTART, "shop", "web"), 405);
        assertProblem(given().header("X-Demo-Role", "viewer").post(RESTART, "shop", "web"), 403);

        assertThat(Tasks.count("restart_workload")).isEqualTo(before);
    }

    @Test
    void aFailingRestartIsRetriedThenDeadLettered() {
        String taskId = restart(Map.of("simulate", "fail"));

        JsonPath task = Tasks.awaitStatus(taskId, "dead_lettered");
        assertThat(task.getInt("attempt")).isEqualTo(3);
        assertThat(task.getList("steps.status")).containsExactly("succeeded", "failed", "skipped");
        assertThat(task.getString("error.message")).contains("rollout-restart");
    }

    @Test
    void aFlakyRestartSucceedsOnItsSecondAttempt() {
        String taskId = restart(Map.of("simulate", "flaky:1"));

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getInt("attempt")).isEqualTo(2);
        assertThat(task.getList("logs.message", String.class))
                .filteredOn(line -> line.contains("restartedAt=")).hasSize(1);
    }

    private static String restart(Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(Map.of("params", params))
                .post(RESTART, "ops", "svc-" + UUID.randomUUID().toString().substring(0, 8))
                .then().statusCode(202).extract().path("taskId");
    }
}
