package io.cloudops.api.audit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reading the audit log through {@code GET /api/audit} (as the default demo admin). Each audited
 * request of a test sends its own {@code X-Request-Id}, so its entries are found by that id alone.
 */
final class AuditApi {

    private AuditApi() {
    }

    /** A fresh request id. */
    static String requestId() {
        return "test-" + UUID.randomUUID();
    }

    /** The entries matching {@code filters} (name, value pairs), newest first (at most 500). */
    static List<Map<String, Object>> entries(String... filters) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < filters.length; i += 2) {
            query.put(filters[i], filters[i + 1]);
        }
        query.putIfAbsent("size", 500);
        return given().queryParams(query).get("/api/audit").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    /** The only entry of request {@code requestId}; fails if it wrote none or several. */
    static JsonPath only(String requestId) {
        JsonPath page = given().queryParam("requestId", requestId).get("/api/audit").then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getList("items")).as("audit entries of request %s", requestId).hasSize(1);
        return page.setRootPath("items[0]");
    }

    /**
     * The only entry of a refused request. It is written before the answer goes out, except for a
     * non-blocking endpoint (its answer is on an I/O thread, the entry follows on a worker), so it
     * is awaited, briefly and bounded.
     */
    static JsonPath awaitOnly(String requestId) {
        await("audit entry of request " + requestId).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !entries("requestId", requestId).isEmpty());
        return only(requestId);
    }

    /** Whether request {@code requestId} left no entry at all. */
    static boolean none(String requestId) {
        return entries("requestId", requestId).isEmpty();
    }
}
