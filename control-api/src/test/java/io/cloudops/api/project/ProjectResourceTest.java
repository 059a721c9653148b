package io.cloudops.api.project;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.cloudops.api.testsupport.Fixtures.createEnvironment;
import static io.cloudops.api.testsupport.Fixtures.createProject;
import static io.cloudops.api.testsupport.Fixtures.uniqueName;
import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ProjectResourceTest {

    private static final String WEBHOOK = "https://acme.webhook.office.com/webhookb2/3f0a-secret-token/IncomingWebhook/77aa/4cc1";
    private static final String MASKED_WEBHOOK = "https://acme.webhook.office.com/****";

    @Inject
    ProjectRepository projects;

    @Test
    void createsAProjectAndReadsItBackWithItsEnvironments() {
        String name = uniqueName("smoke");
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "d", "emailRecipients", List.of("a@example.com")))
                .post("/api/projects")
                .then().statusCode(201)
                .header("Location", containsString("/api/projects/"))
                .body("id", notNullValue())
                .body("name", equalTo(name))
                .body("description", equalTo("d"))
                .body("createdAt", notNullValue())
                .body("teamsWebhookUrl", nullValue())
                .body("emailRecipients", contains("a@example.com"))
                .body("environments", empty())
                .extract().path("id");

        given().contentType(ContentType.JSON)
                .body(Map.of("name", "dev", "type", "dev"))
                .post("/api/projects/{id}/environments", id)
                .then().statusCode(201)
                .header("Location", containsString("/api/environments/"))
                .body("projectId", equalTo(id))
                .body("type", equalTo("dev"))
                .body("status", equalTo("active"))
                .body("ttlMinutes", nullValue())
                .body("expiresAt", nullValue());

        given().get("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("name", equalTo(name))
                .body("environments", hasSize(1))
                .body("environments.name", contains("dev"));
    }

    @Test
    void listsProjectsAPageAtATimeWithTheTotal() {
        String prefix = uniqueName("page");
        for (int i = 0; i < 3; i++) {
            createProject(prefix + "-" + i);
        }
        long total = QuarkusTransaction.requiringNew().call(projects::count);

        List<String> first = given().queryParam("page", 0).queryParam("size", 2)
                .get("/api/projects")
                .then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("total", equalTo((int) total))
                .body("items", hasSize(2))
                .extract().path("items.id");
        List<String> second = given().queryParam("page", 1).queryParam("size", 2)
                .get("/api/projects")
                .then().statusCode(200)
                .body("page", equalTo(1))
                .body("items.size()", lessThanOrEqualTo(2))
                .extract().path("items.id");
        assertThat(second).isNotEmpty().doesNotContainAnyElementsOf(first);

        given().queryParam("size", 200).get("/api/projects")
                .then().statusCode(200)
                .body("items.name", hasItem(prefix + "-0"))
                .body("items.name", hasItem(prefix + "-2"));
        given().queryParam("page", 10_000).get("/api/projects")
                .then().statusCode(200)
                .body("items", empty())
                .body("total", equalTo((int) total));
        given().get("/api/projects")
                .then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(20));
    }

    @ParameterizedTest
    @CsvSource({"size, 201", "size, 0", "size, x", "page, -1", "page, abc"})
    void refusesABadPageParameterNamingIt(String parameter, String value) {
        assertProblem(given().queryParam(parameter, value).get("/api/projects"), 400)
                .body("errors.field", contains(parameter))
                .body("detail", containsString(parameter));
    }

    @Test
    void updatesAProjectWithPut() {
        String id = createProject(uniqueName("before"));
        String renamed = uniqueName("after");

        given().contentType(ContentType.JSON)
                .body(Map.of("name", renamed, "description", "new", "emailRecipients",
                        List.of("ops@example.com", "dev@example.com")))
                .put("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(renamed))
                .body("description", equalTo("new"))
                .body("emailRecipients", contains("ops@example.com", "dev@example.com"));

        given().get("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("name", equalTo(renamed))
                .body("description", equalTo("new"));
    }

    @Test
    void deletesAProjectWithItsEnvironments() {
        String id = createProject(uniqueName("doomed"));
        String envId = createEnvironment(id, "dev", "dev");

        given().delete("/api/projects/{id}", id).then().statusCode(204);

        assertProblem(given().get("/api/projects/{id}", id), 404);
        assertProblem(given().get("/api/environments/{id}", envId), 404);
        assertProblem(given().delete("/api/projects/{id}", id), 404);
    }

    @Test
    void readsAndDeletesAnEnvironmentByItsOwnId() {
        String projectId = createProject(uniqueName("envs"));
        String envId = createEnvironment(projectId, "stage", "stage");

        given().get("/api/environments/{id}", envId)
                .then().statusCode(200)
                .body("id", equalTo(envId))
                .body("projectId", equalTo(projectId))
                .body("name", equalTo("stage"))
                .body("type", equalTo("stage"));

        given().delete("/api/environments/{id}", envId).then().statusCode(204);

        assertProblem(given().get("/api/environments/{id}", envId), 404);
        given().get("/api/projects/{id}", projectId).then().statusCode(200).body("environments", empty());
    }

    @Test
    void answers404ProblemsForUnknownIds() {
        String unknown = UUID.randomUUID().toString();

        assertProblem(given().get("/api/projects/{id}", unknown), 404).body("detail", containsString(unknown));
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("ghost")))
                .put("/api/projects/{id}", unknown), 404);
        assertProblem(given().delete("/api/projects/{id}", unknown), 404);
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "dev", "type", "dev"))
                .post("/api/projects/{id}/environments", unknown), 404);
        assertProblem(given().get("/api/environments/{id}", unknown), 404).body("detail", containsString(unknown));
        assertProblem(given().delete("/api/environments/{id}", unknown), 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"})
    void answersMalformedIdsInThePathWithAClientErrorProblem(String id) {
        for (Response response : List.of(
                given().get("/api/projects/{id}", id),
                given().delete("/api/projects/{id}", id),
                given().contentType(ContentType.JSON).body(Map.of("name", uniqueName("x")))
                        .put("/api/projects/{id}", id),
                given().contentType(ContentType.JSON).body(Map.of("name", "dev", "type", "dev"))
                        .post("/api/projects/{id}/environments", id),
                given().get("/api/environments/{id}", id),
                given().delete("/api/environments/{id}", id))) {
            assertThat(response.statusCode()).isBetween(400, 499);
            assertProblem(response, response.statusCode());
        }
    }

    @Test
    void refusesADuplicateProjectNameWith409() {
        String name = uniqueName("taken");
        createProject(name);

        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/projects"), 409)
                .body("errors.field", contains("name"))
                .body("detail", containsString(name));

        String other = createProject(uniqueName("other"));
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", name))
                .put("/api/projects/{id}", other), 409)
                .body("errors.field", contains("name"));
    }

    @Test
    void refusesADuplicateEnvironmentNameWithinAProjectButNotAcrossProjects() {
        String first = createProject(uniqueName("first"));
        String second = createProject(uniqueName("second"));
        createEnvironment(first, "qa-1", "dev");

        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "qa-1", "type", "stage"))
                .post("/api/projects/{id}/environments", first), 409)
                .body("errors.field", contains("name"))
                .body("detail", containsString("qa-1"));

        createEnvironment(second, "qa-1", "dev");
        given().get("/api/projects/{id}", first).then().body("environments", hasSize(1));
    }

    @Test
    void aProjectsSandboxTtlPolicyIsSetReadAndReplacedByPut() {
        String name = uniqueName("ttl-policy");
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "sandboxDefaultTtlMinutes", 90, "sandboxMaxTtlMinutes", 2880))
                .post("/api/projects")
                .then().statusCode(201)
                .body("sandboxDefaultTtlMinutes", equalTo(90))
                .body("sandboxMaxTtlMinutes", equalTo(2880))
                .body("sandboxTtl.defaultTtlMinutes", equalTo(90))
                .body("sandboxTtl.maxTtlMinutes", equalTo(2880))
                .extract().path("id");

        // the maximum alone: the global default (8 h) under it stays the default
        given().contentType(ContentType.JSON).body(Map.of("name", name, "sandboxMaxTtlMinutes", 43_200))
                .put("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("sandboxDefaultTtlMinutes", nullValue())
                .body("sandboxMaxTtlMinutes", equalTo(43_200))
                .body("sandboxTtl.defaultTtlMinutes", equalTo(480))
                .body("sandboxTtl.maxTtlMinutes", equalTo(43_200));

        // a PUT without them: the project follows the global policy again
        given().contentType(ContentType.JSON).body(Map.of("name", name)).put("/api/projects/{id}", id)
                .then().statusCode(200)
                .body("sandboxDefaultTtlMinutes", nullValue())
                .body("sandboxMaxTtlMinutes", nullValue())
                .body("sandboxTtl.defaultTtlMinutes", equalTo(480))
                .body("sandboxTtl.maxTtlMinutes", equalTo(10_080));
    }

    @ParameterizedTest
    @CsvSource({
            "0,,400,sandboxDefaultTtlMinutes",
            ",0,400,sandboxMaxTtlMinutes",
            ",43201,400,sandboxMaxTtlMinutes",
            "121,120,422,sandboxDefaultTtlMinutes",
            // a default alone may not pass the global maximum (SANDBOX_MAX_TTL, 7 days)
            "10081,,422,sandboxDefaultTtlMinutes"})
    void refusesASandboxTtlPolicyThatCannotHoldNamingTheField(Integer defaultMinutes, Integer maxMinutes,
            int status, String field) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", uniqueName("ttl-bad"));
        body.put("sandboxDefaultTtlMinutes", defaultMinutes);
        body.put("sandboxMaxTtlMinutes", maxMinutes);
        assertProblem(given().contentType(ContentType.JSON).body(body).post("/api/projects"), status)
                .body("errors.field", contains(field));

        String id = createProject(uniqueName("ttl-kept"));
        body.put("name", uniqueName("ttl-kept"));
        assertProblem(given().contentType(ContentType.JSON).body(body).put("/api/projects/{id}", id), status)
                .body("errors.field", contains(field));
        given().get("/api/projects/{id}", id).then().body("sandboxTtl.maxTtlMinutes", equalTo(10_080));
    }

    @Test
    void requiresTtlMinutesForASandbox() {
        String id = createProject(uniqueName("sandbox"));

        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "sb", "type", "sandbox"))
                .post("/api/projects/{id}/environments", id), 422)
                .body("errors.field", contains("ttlMinutes"))
                .body("detail", containsString("ttlMinutes"));
        given().get("/api/projects/{id}", id).then().body("environments", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "stage", "prod"})
    void refusesTtlMinutesForOtherTypes(String type) {
        String id = createProject(uniqueName(type));

        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", type, "type", type, "ttlMinutes", 60))
                .post("/api/projects/{id}/environments", id), 422)
                .body("errors.field", contains("ttlMinutes"));
        given().get("/api/projects/{id}", id).then().body("environments", empty());
    }

    @Test
    void setsASandboxToExpireTtlMinutesAfterItsCreation() {
        String id = createProject(uniqueName("ttl"));

        Map<String, Object> sandbox = given().contentType(ContentType.JSON)
                .body(Map.of("name", "try-me", "type", "sandbox", "ttlMinutes", 90))
                .post("/api/projects/{id}/environments", id)
                .then().statusCode(201)
                .body("type", equalTo("sandbox"))
                .body("ttlMinutes", equalTo(90))
                .body("status", equalTo("active"))
                .extract().jsonPath().getMap("$");

        Instant createdAt = Instant.parse((String) sandbox.get("createdAt"));
        Instant expiresAt = Instant.parse((String) sandbox.get("expiresAt"));
        assertThat(Duration.between(createdAt, expiresAt)).isEqualTo(Duration.ofMinutes(90));
        given().get("/api/environments/{id}", sandbox.get("id"))
                .then().statusCode(200)
                .body("expiresAt", equalTo(sandbox.get("expiresAt")));
    }

    @Test
    void masksTheTeamsWebhookUrlInEveryResponse() {
        String name = uniqueName("hooked");
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "teamsWebhookUrl", WEBHOOK))
                .post("/api/projects");
        created.then().statusCode(201).body("teamsWebhookUrl", equalTo(MASKED_WEBHOOK));
        String id = created.path("id");

        Response read = given().get("/api/projects/{id}", id);
        read.then().statusCode(200).body("teamsWebhookUrl", equalTo(MASKED_WEBHOOK));
        Response listed = given().queryParam("size", 200).get("/api/projects");
        listed.then().statusCode(200)
                .body("items.find { it.name == '" + name + "' }.teamsWebhookUrl", equalTo(MASKED_WEBHOOK));
        Response updated = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "still hooked"))
                .put("/api/projects/{id}", id);
        updated.then().statusCode(200).body("teamsWebhookUrl", equalTo(MASKED_WEBHOOK));

        for (Response response : List.of(created, read, listed, updated)) {
            assertThat(response.asString()).doesNotContain("secret-token", "webhookb2", "IncomingWebhook");
        }
        assertThat(storedWebhook(id)).isEqualTo(WEBHOOK);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://acme.webhook.office.com/webhookb2/x",
            "https://evil.example.com/webhookb2/x",
            "https://webhook.office.com.evil.example.com/x",
            "https://user:pw@acme.webhook.office.com/x",
            "ftp://acme.webhook.office.com/x",
            "not a url"})
    void refusesAWebhookOffTheAllowListOrWithoutHttps(String url) {
        String name = uniqueName("badhook");
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", name, "teamsWebhookUrl", url))
                .post("/api/projects"), 422)
                .body("errors.field", contains("teamsWebhookUrl"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> projects.findByName(name))).isEmpty();

        String id = createProject(Map.of("name", name, "teamsWebhookUrl", WEBHOOK));
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", name, "teamsWebhookUrl", url))
                .put("/api/projects/{id}", id), 422)
                .body("errors.field", contains("teamsWebhookUrl"));
        assertThat(storedWebhook(id)).isEqualTo(WEBHOOK);
    }

    @Test
    void keepsTheStoredWebhookOnPutWithTheMaskedValueOrWithoutTheField() {
        String name = uniqueName("keep");
        String id = createProject(Map.of("name", name, "teamsWebhookUrl", WEBHOOK));

        given().contentType(ContentType.JSON).body(Map.of("name", name, "teamsWebhookUrl", MASKED_WEBHOOK))
                .put("/api/projects/{id}", id)
                .then().statusCode(200).body("teamsWebhookUrl", equalTo(MASKED_WEBHOOK));
        assertThat(storedWebhook(id)).isEqualTo(WEBHOOK);

        given().contentType(ContentType.JSON).body(Map.of("name", name, "description", "no webhook field"))
                .put("/api/projects/{id}", id)
                .then().statusCode(200).body("teamsWebhookUrl", equalTo(MASKED_WEBHOOK));
        assertThat(storedWebhook(id)).isEqualTo(WEBHOOK);

        Map<String, Object> explicitNull = new HashMap<>();
        explicitNull.put("name", name);
        explicitNull.put("teamsWebhookUrl", null);
        given().contentType(ContentType.JSON).body(explicitNull)
                .put("/api/projects/{id}", id)
                .then().statusCode(200).body("teamsWebhookUrl", equalTo(MASKED_WEBHOOK));
        assertThat(storedWebhook(id)).isEqualTo(WEBHOOK);
    }

    @Test
    void replacesTheStoredWebhookWithANewUrlAndClearsItWithAnEmptyString() {
        String name = uniqueName("swap");
        String id = createProject(Map.of("name", name, "teamsWebhookUrl", WEBHOOK));
        String replacement = "https://contoso.webhook.office.com/webhookb2/other-token";

        given().contentType(ContentType.JSON).body(Map.of("name", name, "teamsWebhookUrl", replacement))
                .put("/api/projects/{id}", id)
                .then().statusCode(200).body("teamsWebhookUrl", equalTo("https://contoso.webhook.office.com/****"));
        assertThat(storedWebhook(id)).isEqualTo(replacement);

        given().contentType(ContentType.JSON).body(Map.of("name", name, "teamsWebhookUrl", ""))
                .put("/api/projects/{id}", id)
                .then().statusCode(200).body("teamsWebhookUrl", nullValue());
        assertThat(storedWebhook(id)).isNull();
    }

    @Test
    void refusesAnInvalidEmailRecipientNamingItsIndex() {
        String name = uniqueName("mail");

        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "emailRecipients", List.of("ops@example.com", "not-an-address")))
                .post("/api/projects"), 400)
                .body("errors.field", contains("emailRecipients[1]"))
                .body("detail", containsString("emailRecipients[1]"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> projects.findByName(name))).isEmpty();

        String id = createProject(name);
        assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "emailRecipients", List.of("", "ops@example.com")))
                .put("/api/projects/{id}", id), 400)
                .body("errors.field", hasItem("emailRecipients[0]"))
                .body("errors.field", everyItem(equalTo("emailRecipients[0]")));
    }

    @Test
    void showsEachRoutesEventSelectionWithTheDefaultsAndKeepsAChosenOne() {
        String name = uniqueName("events");
        String id = createProject(name);
        // defaults: everything everywhere, successes to Teams only
        given().get("/api/projects/{id}", id).then().statusCode(200)
                .body("notificationEvents.teams", contains("task.succeeded", "task.failed", "task.dead_lettered",
                        "task.awaiting_approval", "task.rejected", "sandbox.expiring", "sandbox.expired"))
                .body("notificationEvents.email", contains("task.failed", "task.dead_lettered",
                        "task.awaiting_approval", "task.rejected", "sandbox.expiring", "sandbox.expired"));

        // a route left out keeps its default; an empty list means none
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "notificationEvents", Map.of("email", List.of("task.dead_lettered"))))
                .put("/api/projects/{id}", id).then().statusCode(200)
                .body("notificationEvents.email", contains("task.dead_lettered"))
                .body("notificationEvents.teams", hasSize(7));
        // a PUT without the field keeps the stored selection (as the settings form saves routes)
        given().contentType(ContentType.JSON).body(Map.of("name", name, "description", "no selection field"))
                .put("/api/projects/{id}", id).then().statusCode(200)
                .body("notificationEvents.email", contains("task.dead_lettered"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "notificationEvents", Map.of("teams", List.of())))
                .put("/api/projects/{id}", id).then().statusCode(200)
                .body("notificationEvents.teams", empty())
                .body("notificationEvents.email", hasSize(6)); // a PUT replaces the selection: email back to its default

        // on create too
        given().contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("events-new"), "notificationEvents",
                        Map.of("teams", List.of("task.failed"))))
                .post("/api/projects").then().statusCode(201).body("notificationEvents.teams", contains("task.failed"));
    }

    @ParameterizedTest
    @CsvSource({
            "teams, task.exploded, notificationEvents.teams[1]",
            "fax, task.failed, notificationEvents.fax"})
    void refusesAnUnknownEventOrRouteNamingTheField(String route, String event, String field) {
        String name = uniqueName("badevents");
        Map<String, Object> body = Map.of("name", name, "notificationEvents",
                Map.of(route, List.of("task.failed", event)));
        assertProblem(given().contentType(ContentType.JSON).body(body).post("/api/projects"), 422)
                .body("errors.field", contains(field));
        assertThat(QuarkusTransaction.requiringNew().call(() -> projects.findByName(name))).isEmpty();

        String id = createProject(name);
        assertProblem(given().contentType(ContentType.JSON).body(body).put("/api/projects/{id}", id), 422)
                .body("errors.field", contains(field));
        given().get("/api/projects/{id}", id).then().body("notificationEvents.teams", hasSize(7));
    }

    @Test
    void seedsTheDemoProjectWithDevStageAndProd() {
        List<String> demoIds = given().queryParam("size", 200).get("/api/projects")
                .then().statusCode(200)
                .extract().path("items.findAll { it.name == 'demo' }.id");
        assertThat(demoIds).hasSize(1);

        given().get("/api/projects/{id}", demoIds.get(0))
                .then().statusCode(200)
                .body("environments.name", containsInAnyOrder("dev", "stage", "prod"))
                .body("environments.find { it.name == 'dev' }.type", equalTo("dev"))
                .body("environments.find { it.name == 'stage' }.type", equalTo("stage"))
                .body("environments.find { it.name == 'prod' }.type", equalTo("prod"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"viewer", "operator"})
    void letsViewersAndOperatorsReadButNotChangeProjects(String role) {
        String name = uniqueName("guarded");
        String id = createProject(name);
        String envId = createEnvironment(id, "dev", "dev");

        given().header("X-Demo-Role", role).get("/api/projects").then().statusCode(200);
        given().header("X-Demo-Role", role).get("/api/projects/{id}", id).then().statusCode(200)
                .body("name", equalTo(name));
        given().header("X-Demo-Role", role).get("/api/environments/{id}", envId).then().statusCode(200);

        assertProblem(given().header("X-Demo-Role", role).contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("nope"))).post("/api/projects"), 403);
        assertProblem(given().header("X-Demo-Role", role).contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("renamed"))).put("/api/projects/{id}", id), 403);
        assertProblem(given().header("X-Demo-Role", role).delete("/api/projects/{id}", id), 403);
        assertProblem(given().header("X-Demo-Role", role).contentType(ContentType.JSON)
                .body(Map.of("name", "stage", "type", "stage")).post("/api/projects/{id}/environments", id), 403);
        assertProblem(given().header("X-Demo-Role", role).delete("/api/environments/{id}", envId), 403);

        given().get("/api/projects/{id}", id).then().statusCode(200)
                .body("name", equalTo(name))
                .body("environments.name", contains("dev"));
    }

    /** The webhook URL as stored: the API never shows it whole. */
    private String storedWebhook(String projectId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> projects.findById(UUID.fromString(projectId)).teamsWebhookUrl);
    }
}
