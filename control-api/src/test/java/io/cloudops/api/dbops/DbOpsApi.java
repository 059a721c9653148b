package io.cloudops.api.dbops;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The database endpoints as the tests call them, and waiting for their tasks. */
final class DbOpsApi {

    private final TaskQueries queries;

    DbOpsApi(TaskQueries queries) {
        this.queries = queries;
    }

    Response backup(String engine, String instance, Map<String, ?> body, String key) {
        RequestSpecification request = given();
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/db/{engine}/{instance}/backup", engine, instance);
    }

    Response restore(String engine, String instance, Map<String, ?> body, String key) {
        RequestSpecification request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/db/{engine}/{instance}/restore", engine, instance);
    }

    /** Submits a backup and returns its task id (202 expected). */
    UUID submitBackup(String engine, String instance, Map<String, ?> body) {
        return UUID.fromString(backup(engine, instance, body, null).then().statusCode(202).extract().path("taskId"));
    }

    UUID submitRestore(String engine, String instance, UUID artifactId, String target, String simulate) {
        Map<String, Object> body = new java.util.HashMap<>(
                Map.of("artifactId", artifactId.toString(), "target", target));
        if (simulate != null) {
            body.put("simulate", simulate);
        }
        return UUID.fromString(restore(engine, instance, body, null).then().statusCode(202).extract().path("taskId"));
    }

    /** Waits until the task reaches {@code status} (failing fast if it ends otherwise) and returns it. */
    TaskView awaitStatus(UUID taskId, TaskStatus status, Duration atMost) {
        await("task " + taskId + " " + status.value()).atMost(atMost)
                .failFast("task " + taskId + " ended otherwise", () -> {
                    TaskStatus now = task(taskId).status();
                    return now.isTerminal() && now != status;
                })
                .until(() -> task(taskId).status() == status);
        return task(taskId);
    }

    TaskView task(UUID taskId) {
        return queries.get(taskId).orElseThrow();
    }

    long tasksOf(String entityId) {
        return queries.list(new TaskQueries.Filter(null, null, entityId), 0, 1).total();
    }

    long tasksOfType(String type) {
        return queries.list(new TaskQueries.Filter(null, type, null), 0, 1).total();
    }
}
