package io.cloudops.api.testsupport;

import java.time.Duration;

import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Reading tasks through the public API, as a client would: wait for a status, count by type. */
public final class Tasks {

    private Tasks() {
    }

    /** Waits until the task has {@code status} (at most 30 s) and returns its document. */
    public static JsonPath awaitStatus(String taskId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(task(taskId).getString("status")));
        return task(taskId);
    }

    /** {@code GET /api/tasks/{id}}. */
    public static JsonPath task(String taskId) {
        return given().get("/api/tasks/{id}", taskId).then().statusCode(200).extract().jsonPath();
    }

    /** How many tasks of {@code type} exist (any status). */
    public static long count(String type) {
        return given().queryParam("type", type).queryParam("size", 1).get("/api/tasks").then().statusCode(200)
                .extract().jsonPath().getLong("total");
    }
}
