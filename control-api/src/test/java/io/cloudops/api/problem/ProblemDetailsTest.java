package io.cloudops.api.problem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cloudops.api.project.EnvironmentRepository;
import io.cloudops.api.project.ProjectRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import static io.cloudops.api.testsupport.Fixtures.createProject;
import static io.cloudops.api.testsupport.Fixtures.uniqueName;
import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.stringContainsInOrder;

/**
 * Every error a client can provoke on {@code /api} is an RFC 9457 problem (PRODUCT.md section 4):
 * never a 500, never an HTML page or an empty body, never a stack trace, and never a half-done write.
 */
@QuarkusTest
class ProblemDetailsTest {

    @Inject
    ProjectRepository projects;

    @Inject
    EnvironmentRepository environments;

    @TestHTTPResource("/api/projects")
    URI projectsUri;

    /** Bodies for POST /api/projects; {@code NAME} stands for a fresh project name. */
    static Stream<Arguments> badProjectBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\":", 400, null),
                Arguments.of("name is a number", "{\"name\":5}", 400, "name"),
                Arguments.of("name is an object", "{\"name\":{\"first\":\"NAME\"}}", 400, "name"),
                Arguments.of("description is a boolean", "{\"name\":\"NAME\",\"description\":true}", 400,
                        "description"),
                Arguments.of("recipients is a string", "{\"name\":\"NAME\",\"emailRecipients\":\"a@example.com\"}", 400,
                        "emailRecipients"),
                Arguments.of("recipient is a number", "{\"name\":\"NAME\",\"emailRecipients\":[\"a@example.com\",7]}",
                        400, "emailRecipients[1]"),
                Arguments.of("unknown field", "{\"name\":\"NAME\",\"colour\":\"blue\"}", 400, "colour"),
                Arguments.of("missing name", "{\"description\":\"NAME\"}", 400, "name"),
                Arguments.of("name not DNS-friendly", "{\"name\":\"NAME_Upper\"}", 400, "name"),
                Arguments.of("empty body", "", 400, null),
                Arguments.of("JSON null", "null", 400, null),
                Arguments.of("JSON array", "[{\"name\":\"NAME\"}]", 400, null),
                Arguments.of("JSON string", "\"NAME\"", 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProjectBodies")
    void answersABadProjectBodyWithAProblemAndWritesNothing(String description, String body, int status,
            String field) {
        String name = uniqueName("bad");
        long before = projectCount();

        ValidatableResponse problem = assertProblem(given().contentType(ContentType.JSON)
                .body(body.replace("NAME", name))
                .post("/api/projects"), status);

        if (field != null) {
            problem.body("errors.field", contains(field)).body("detail", containsString(field));
        }
        assertThat(projectCount()).isEqualTo(before);
        assertThat(QuarkusTransaction.requiringNew().call(() -> projects.findByName(name))).isEmpty();
    }

    /** Bodies for POST /api/projects/{id}/environments. */
    static Stream<Arguments> badEnvironmentBodies() {
        return Stream.of(
                Arguments.of("ttlMinutes is a word", "{\"name\":\"sb\",\"type\":\"sandbox\",\"ttlMinutes\":\"x\"}",
                        "ttlMinutes"),
                Arguments.of("ttlMinutes is a numeric string",
                        "{\"name\":\"sb\",\"type\":\"sandbox\",\"ttlMinutes\":\"5\"}",
                        "ttlMinutes"),
                Arguments.of("ttlMinutes is a fraction", "{\"name\":\"sb\",\"type\":\"sandbox\",\"ttlMinutes\":1.5}",
                        "ttlMinutes"),
                Arguments.of("ttlMinutes is out of range",
                        "{\"name\":\"sb\",\"type\":\"sandbox\",\"ttlMinutes\":99999999999}", "ttlMinutes"),
                Arguments.of("ttlMinutes is zero", "{\"name\":\"sb\",\"type\":\"sandbox\",\"ttlMinutes\":0}",
                        "ttlMinutes"),
                Arguments.of("type is an index", "{\"name\":\"sb\",\"type\":0}", "type"),
                Arguments.of("type is missing", "{\"name\":\"sb\"}", "type"),
                Arguments.of("unknown field", "{\"name\":\"sb\",\"type\":\"dev\",\"region\":\"westeurope\"}",
                        "region"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEnvironmentBodies")
    void answersABadEnvironmentBodyWithA400NamingTheFieldAndWritesNothing(String description, String body,
            String field) {
        String projectId = createProject(uniqueName("envbad"));
        long before = environmentCount();

        assertProblem(given().contentType(ContentType.JSON).body(body)
                .post("/api/projects/{id}/environments", projectId), 400)
                .body("errors.field", contains(field))
                .body("detail", containsString(field));

        given().get("/api/projects/{id}", projectId).then().statusCode(200).body("environments", empty());
        assertThat(environmentCount()).isEqualTo(before);
    }

    @Test
    void namesTheAllowedValuesOfAnUnknownEnvironmentType() {
        String projectId = createProject(uniqueName("qa"));

        assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "qa", "type", "qa"))
                .post("/api/projects/{id}/environments", projectId), 400)
                .body("errors.field", contains("type"))
                .body("detail", stringContainsInOrder("type", "sandbox", "dev", "stage", "prod"));
    }

    @Test
    void answersAnOversizedBodyWith413AndWritesNothing() throws Exception {
        String name = uniqueName("huge");
        String body = "{\"name\":\"" + name + "\",\"description\":\"" + "x".repeat(1024 * 1024) + "\"}";
        long before = projectCount();

        // Expect: 100-continue lets the server refuse before the client sends the megabyte, so the
        // answer cannot be lost to a connection the server closes while the upload is still running.
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(projectsUri)
                        .expectContinue(true)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonPath problem = JsonPath.from(response.body());
        assertThat(problem.getInt("status")).isEqualTo(413);
        assertThat(problem.getString("type")).isNotBlank();
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).contains("larger than");
        assertThat(response.body()).doesNotContain("Exception", "io.vertx", "io.quarkus");
        assertThat(projectCount()).isEqualTo(before);
        assertThat(QuarkusTransaction.requiringNew().call(() -> projects.findByName(name))).isEmpty();
    }

    @Test
    void answersABodyThatIsNotJsonWith415() {
        String name = uniqueName("plain");
        long before = projectCount();

        assertProblem(given().contentType(ContentType.TEXT).body("name=" + name).post("/api/projects"), 415);
        assertProblem(given().contentType("application/xml").body("<project><name>" + name + "</name></project>")
                .post("/api/projects"), 415);

        String id = createProject(name);
        assertProblem(given().contentType(ContentType.TEXT).body("x").put("/api/projects/{id}", id), 415);
        assertThat(projectCount()).isEqualTo(before + 1);
    }

    @Test
    void answersAnUnsupportedAcceptWith406() {
        String name = uniqueName("xml");
        long before = projectCount();

        assertProblem(given().accept("application/xml").get("/api/projects"), 406);
        assertProblem(given().accept("text/html").get("/api/projects"), 406);
        assertProblem(given().accept("application/xml").contentType(ContentType.JSON)
                .body(Map.of("name", name)).post("/api/projects"), 406);
        assertThat(projectCount()).isEqualTo(before);
    }

    @Test
    void answersUnknownApiRoutesWith404() {
        assertProblem(given().get("/api/nope"), 404).body("detail", containsString("/api/nope"));
        assertProblem(given().get("/api/projects/" + UUID.randomUUID() + "/nope"), 404);
        assertProblem(given().contentType(ContentType.JSON).body("{}").post("/api/nope/deeper"), 404);
        assertProblem(given().delete("/api"), 404);
    }

    @Test
    void answersAWrongMethodWith405() {
        String id = createProject(uniqueName("patch"));

        assertProblem(given().contentType(ContentType.JSON).body("{}").patch("/api/projects"), 405);
        assertProblem(given().contentType(ContentType.JSON).body("{}").patch("/api/projects/{id}", id), 405);
        assertProblem(given().delete("/api/projects"), 405);
    }

    @Test
    void answersAQueryParameterThatIsNotANumberWith400NamingIt() {
        assertProblem(given().queryParam("page", "abc").get("/api/projects"), 400)
                .body("errors.field", contains("page"));
        assertProblem(given().queryParam("size", "1e3").get("/api/projects"), 400)
                .body("errors.field", contains("size"));
    }

    @Test
    void answersAForbiddenChangeWith403() {
        Response response = given().header("X-Demo-Role", "viewer").contentType(ContentType.JSON)
                .body(Map.of("name", uniqueName("viewer"))).post("/api/projects");

        assertProblem(response, 403);
    }

    private long projectCount() {
        return QuarkusTransaction.requiringNew().call(projects::count);
    }

    private long environmentCount() {
        return QuarkusTransaction.requiringNew().call(environments::count);
    }
}
