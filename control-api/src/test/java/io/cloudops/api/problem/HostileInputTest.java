package io.cloudops.api.problem;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.agroal.api.AgroalDataSource;
import io.cloudops.api.testsupport.AbuseLimitsProfile;
import io.cloudops.api.testsupport.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input, case by case: NUL and unpaired surrogates in every kind of field (body strings,
 * nested free-form values and keys, path, query, header), huge strings, path traversal in ids,
 * negative and enormous numbers, over-long request lines and headers. Each is a 4xx problem naming
 * what to fix (the Vert.x limits answer a bare 414/431), none a 5xx, and a refused request writes
 * nothing (row counts of every table a request can write). Accepted hostile text (script, RTL
 * override, zero-width characters) is stored as sent and the console shows it escaped.
 */
@QuarkusTest
@TestProfile(AbuseLimitsProfile.class)
class HostileInputTest {

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    static Stream<Arguments> refusedBodies() {
        String name = "\"" + Fixtures.uniqueName("h") + "\"";
        return Stream.of(
                Arguments.of("NUL in diagnostic entityId", "/api/tasks/diagnostic",
                        "{\"entityId\":\"env/dev\\u0000\",\"steps\":1}", "entityId"),
                Arguments.of("NUL alone in entityId", "/api/tasks/diagnostic", "{\"entityId\":\"\\u0000\"}",
                        "entityId"),
                Arguments.of("NUL in fail", "/api/tasks/diagnostic", "{\"entityId\":\"e\",\"fail\":\"never\\u0000\"}",
                        "fail"),
                Arguments.of("lone high surrogate", "/api/tasks/diagnostic", "{\"entityId\":\"a\\ud800\"}", "entityId"),
                Arguments.of("lone low surrogate", "/api/tasks/diagnostic", "{\"entityId\":\"\\udc00b\"}", "entityId"),
                Arguments.of("reversed surrogate pair", "/api/tasks/diagnostic", "{\"entityId\":\"\\udc00\\ud800\"}",
                        "entityId"),
                Arguments.of("NUL in project name", "/api/projects", "{\"name\":\"a\\u0000b\"}", "name"),
                Arguments.of("NUL in description", "/api/projects",
                        "{\"name\":" + name + ",\"description\":\"x\\u0000\"}",
                        "description"),
                Arguments.of("NUL in a list item", "/api/projects",
                        "{\"name\":" + name + ",\"emailRecipients\":[\"a@example.com\",\"b\\u0000@example.com\"]}",
                        "emailRecipients[1]"),
                Arguments.of("NUL in a free-form value", "/api/k8s/workloads/shop-prod/web:restart",
                        "{\"params\":{\"simulate\":\"fail\\u0000\"}}", "params.simulate"),
                Arguments.of("NUL in a nested free-form value", "/api/k8s/workloads/shop-prod/web:restart",
                        "{\"params\":{\"a\":[1,{\"b\":\"\\u0000\"}]}}", "params.a[1].b"),
                Arguments.of("NUL in a free-form key", "/api/k8s/workloads/shop-prod/web:restart",
                        "{\"params\":{\"bad\\u0000key\":1}}", "params"),
                Arguments.of("surrogate in a nested key", "/api/k8s/workloads/shop-prod/web:restart",
                        "{\"params\":{\"a\":{\"\\ud800\":1}}}", "params"),
                Arguments.of("huge string", "/api/projects",
                        "{\"name\":" + name + ",\"description\":\"" + "x".repeat(500_000) + "\"}", "description"),
                Arguments.of("huge name", "/api/tasks/diagnostic", "{\"entityId\":\"" + "e".repeat(100_000) + "\"}",
                        "entityId"),
                Arguments.of("negative steps", "/api/tasks/diagnostic", "{\"entityId\":\"e\",\"steps\":-1}", "steps"),
                Arguments.of("enormous steps", "/api/tasks/diagnostic",
                        "{\"entityId\":\"e\",\"steps\":99999999999999999999999}", "steps"),
                Arguments.of("steps over int", "/api/tasks/diagnostic", "{\"entityId\":\"e\",\"steps\":2147483648}",
                        "steps"),
                Arguments.of("steps as 1e308", "/api/tasks/diagnostic", "{\"entityId\":\"e\",\"steps\":1e308}",
                        "steps"),
                Arguments.of("steps as -0.0", "/api/tasks/diagnostic", "{\"entityId\":\"e\",\"steps\":-0.0}", "steps"),
                Arguments.of("enormous ttlMinutes", "/api/sandboxes",
                        "{\"projectId\":\"00000000-0000-0000-0000-000000000000\",\"ttlMinutes\":1e400}", "ttlMinutes"),
                Arguments.of("script in a project name", "/api/projects",
                        "{\"name\":\"<script>alert(1)</script>\"}", "name"),
                Arguments.of("path traversal in an id", "/api/sandboxes",
                        "{\"projectId\":\"../../etc/passwd\",\"ttlMinutes\":5}", "projectId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBodies")
    void aHostileBodyIsA400NamingTheFieldAndWritesNothing(String description, String path, String body,
            String field) throws Exception {
        Map<String, Long> before = rows();
        Response response = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8))
                .post(path);
        assertThat(response.statusCode()).as(description + ": " + response.asString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getList("errors.field")).as(description).contains(field);
        assertThat(rows()).as("rows after " + description).isEqualTo(before);
    }

    @Test
    void nulInPathAndQueryIsA400NamingTheParameter() throws Exception {
        Map<String, Long> before = rows();
        Map<String, Response> answers = new LinkedHashMap<>();
        answers.put("entityId", given().urlEncodingEnabled(false).get("/api/tasks?entityId=a%00b"));
        answers.put("status", given().urlEncodingEnabled(false).get("/api/tasks?status=%00"));
        answers.put("instanceId", given().urlEncodingEnabled(false).post("/api/db/azure-postgres/ord%00ers/backup"));
        answers.put("ns", given().urlEncodingEnabled(false).post("/api/k8s/workloads/sh%00op/web:restart"));
        answers.put("id", given().urlEncodingEnabled(false).get("/api/projects/%00"));
        answers.forEach((parameter, response) -> {
            assertThat(response.statusCode()).as(parameter + ": " + response.asString()).isEqualTo(400);
            assertThat(response.jsonPath().getList("errors.field")).as(parameter).contains(parameter);
        });
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void pathTraversalInIdsIsAClient4xxNeverAFileOrA5xx() throws Exception {
        Map<String, Long> before = rows();
        String[] paths = {"/api/tasks/..%2F..%2Fetc%2Fpasswd", "/api/tasks/%2e%2e", "/api/projects/..%2F..",
                "/api/dlq/..%5C..%5Cwindows/retry", "/api/db/azure-postgres/..%2F..%2Fetc/backup",
                "/api/db/..%2Fazure-postgres/orders/backup", "/api/k8s/workloads/..%2Fkube-system/web:restart",
                "/api/tasks/diagnostic/../../../etc/passwd"};
        for (String path : paths) {
            Response get = given().urlEncodingEnabled(false).get(path);
            Response post = given().urlEncodingEnabled(false).post(path);
            for (Response response : new Response[]{get, post}) {
                assertThat(response.statusCode()).as(path).isBetween(400, 499);
                assertThat(response.asString()).as(path).doesNotContain("root:");
            }
        }
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void negativeAndEnormousQueryNumbersAreA400() {
        for (String query : new String[]{"page=-1", "size=0", "size=100000000000000000000", "page=1e9", "size=NaN"}) {
            Response response = given().urlEncodingEnabled(false).get("/api/tasks?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.contentType()).as(query).startsWith("application/problem+json");
        }
    }

    @Test
    void anOverlongRequestLineOrHeaderIsAClear4xxNotAConnectionReset() throws Exception {
        assertThat(rawStatus("GET /api/tasks?entityId=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .as("request line over 8 KiB").matches("HTTP/1\\.[01] 414 .*");
        assertThat(rawStatus("GET /api/tasks HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n"))
                .as("headers over 20 KiB").matches("HTTP/1\\.[01] 431 .*");
        // within the limits a long query is an ordinary request, its value checked like any other
        Response response = given().queryParam("entityId", "e".repeat(4_000)).get("/api/tasks");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getList("errors.field")).contains("entityId");
    }

    @Test
    void acceptedHostileTextIsStoredAsSentAndShownEscapedInTheConsole() {
        String name = Fixtures.uniqueName("hostile");
        String description = "<script>alert('x')</script><img src=x onerror=alert(1)> \u202Egnp.exe\u200B\u200D \"'&";
        String id = given().contentType(ContentType.JSON).body(Map.of("name", name, "description", description))
                .post("/api/projects").then().statusCode(201).extract().path("id");
        assertThat(given().get("/api/projects/{id}", id).then().statusCode(200).extract().<String>path("description"))
                .isEqualTo(description);
        String entity = "diag/<b>bold</b>\u202E" + name;
        // the other tests of this profile may have used up the demo user's task rate limit: wait for a token
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().contentType(ContentType.JSON)
                        .body(Map.of("entityId", entity, "steps", 1, "stepMillis", 0)).post("/api/tasks/diagnostic")
                        .statusCode() == 202);
        for (String page : new String[]{"/projects/" + id, "/", "/tasks"}) {
            String html = given().get(page).then().statusCode(200).extract().asString();
            assertThat(html).as(page).doesNotContain("<script>alert", "<img src=x", "<b>bold</b>");
        }
        String project = given().get("/projects/{id}", id).asString();
        assertThat(project).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "\u202Egnp.exe");
        assertThat(given().get("/tasks").asString()).contains("diag/&lt;b&gt;bold&lt;/b&gt;");
    }

    /** Rows of every table a request can write, once the tasks of earlier tests have finished. */
    private Map<String, Long> rows() throws Exception {
        await("no task queued or running").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/api/queue").then().statusCode(200).extract()
                        .<Integer>path("runningTotal") == 0
                        && given().queryParam("status", "queued").get("/api/tasks").then().extract()
                                .<Integer>path("total") == 0);
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[]{"project", "environment", "task", "task_step", "idempotency_key",
                    "task_artifact"}) {
                try (ResultSet r = s.executeQuery("select count(*) from " + table)) {
                    r.next();
                    rows.put(table, r.getLong(1));
                }
            }
        }
        return rows;
    }

    /** The status line the server answers to a raw request (a reset would throw instead). */
    private String rawStatus(String request) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            assertThat(status).as("a status line, not a closed connection").isNotNull();
            return status;
        }
    }
}
