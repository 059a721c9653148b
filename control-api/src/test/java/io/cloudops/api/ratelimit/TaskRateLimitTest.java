package io.cloudops.api.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.AbuseLimitsProfile;
import io.cloudops.api.testsupport.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task rate limit at its production defaults, against the real endpoints: a principal gets its
 * burst, then every task-creating endpoint answers 429 problem+json with Retry-After (and creates
 * nothing), and after Retry-After seconds it is accepted again. Demo mode has one principal, which
 * the other tests of the profile use too, so the test does not count on a full bucket at its start;
 * the burst itself and the separate buckets per principal are {@link TaskRateLimiterTest}'s.
 */
@QuarkusTest
@TestProfile(AbuseLimitsProfile.class)
class TaskRateLimitTest {

    private static final int BURST = AbuseLimitsProfile.BURST;

    @Test
    void overTheLimitEveryTaskCreatingEndpointAnswers429WithRetryAfterAndCreatesNothing() {
        String project = Fixtures.uniqueName("limits");
        String projectId = Fixtures.createProject(project);
        String envId = Fixtures.createEnvironment(projectId, "dev", "dev");
        // a backup to restore later, finished before the bucket is drained (the other tests of this
        // profile may have drained it already: refused polls take no token)
        String backupTask = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(
                () -> given().post("/api/db/azure-postgres/orders-limit/backup"), r -> r.statusCode() == 202)
                .path("taskId");
        String artifactId = await().atMost(Duration.ofSeconds(30)).until(
                () -> given().get("/api/tasks/{id}", backupTask).then().statusCode(200).extract()
                        .<String>path("artifacts[0].id"),
                id -> id != null);

        // drain the demo user's bucket: at most the burst (and a refill or two) is accepted
        String entity = "limits/" + UUID.randomUUID();
        int accepted = 0;
        Response refused = null;
        while (refused == null && accepted <= BURST + 5) {
            Response answer = diagnostic(entity);
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(202);
                accepted++;
            }
        }
        assertThat(refused).as("a 429 within the burst of " + BURST + " and a few refills").isNotNull();
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/too-many-requests");
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.jsonPath().getString("detail")).contains("60 per minute", "bursts of 30");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        int created = given().queryParam("entityId", entity).get("/api/tasks").then().statusCode(200).extract()
                .path("total");
        assertThat(created).as("the refused request created no task").isEqualTo(accepted);

        // every task-creating endpoint is limited (a token may come back meanwhile: then the next try is refused)
        Map<String, Supplier<Response>> endpoints = Map.of(
                "createDiagnosticTask", () -> diagnostic(entity),
                "createDeployment", () -> json(Map.of("projectId", projectId, "envId", envId, "templateId", "web-app",
                        "params", Map.of("image", "nginx:1.27"))).post("/api/deployments"),
                "createSandbox", () -> json(Map.of("projectId", projectId, "ttlMinutes", 30)).post("/api/sandboxes"),
                "backupDatabase", () -> given().post("/api/db/azure-postgres/orders-limit/backup"),
                "restoreDatabase", () -> json(Map.of("artifactId", artifactId, "target", "orders_copy"))
                        .post("/api/db/azure-postgres/orders-limit/restore"),
                "restartWorkload", () -> given().post("/api/k8s/workloads/shop-prod/web:restart"));
        endpoints.forEach((operation, call) -> {
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int attempt = 0; attempt < 3 && !statuses.contains(429); attempt++) {
                Response answer = call.get();
                statuses.add(answer.statusCode());
                if (answer.statusCode() == 429) {
                    assertThat(answer.header("Retry-After")).as(operation).isNotNull();
                }
            }
            assertThat(statuses).as(operation + " (202 only while a refilled token lasts)").contains(429)
                    .allMatch(s -> s == 202 || s == 429);
        });

        // the console's quick action is the same request by the same user: refused too, shown with the form
        Response page = given().get("/actions/diagnostic");
        Matcher token = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(page.asString());
        assertThat(token.find()).as("the form's CSRF token").isTrue();
        List<Integer> console = new java.util.ArrayList<>();
        Response form = null;
        for (int attempt = 0; attempt < 3 && !console.contains(429); attempt++) {
            form = given().cookie("cloudops-csrf", page.getCookie("cloudops-csrf")).contentType(ContentType.URLENC)
                    .formParam("csrf-token", token.group(1)).formParam("entityId", entity).formParam("steps", "1")
                    .formParam("stepMillis", "0").formParam("fail", "never").post("/actions/diagnostic");
            console.add(form.statusCode());
        }
        assertThat(console).as("the console's diagnostic form").contains(429);
        assertThat(form.asString()).contains("Too many requests");

        // after Retry-After, the principal may submit again (refused polls take no token)
        await().atMost(Duration.ofSeconds(retryAfter + 5)).pollInterval(Duration.ofMillis(250))
                .until(() -> diagnostic(entity).statusCode() == 202);
    }

    private static Response diagnostic(String entity) {
        return json(Map.of("entityId", entity, "steps", 1, "stepMillis", 0)).post("/api/tasks/diagnostic");
    }

    private static io.restassured.specification.RequestSpecification json(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body);
    }
}
