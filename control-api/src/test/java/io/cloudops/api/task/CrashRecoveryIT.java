package io.cloudops.api.task;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.cloudops.api.testsupport.PackagedApp;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing accepted is lost and nothing stays running after a {@code kill -9} mid-step: the packaged
 * app runs tasks on several entities, is killed while steps run, and is started again on the same
 * data. Every task must end succeeded, the interrupted ones after a second attempt that resumed at
 * the interrupted step, and each entity's tasks must still have run one at a time, in order.
 */
class CrashRecoveryIT {

    private static final int ENTITIES = 6;
    private static final int TASKS_PER_ENTITY = 4;
    private static final Pattern STEP_START = Pattern.compile("attempt (\\d+): (step-\\d+) sleeping .*");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path workDir;

    private static PackagedApp app;

    @AfterAll
    static void stop() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aKilledOrchestratorLosesNothingAndLeavesNothingRunning() throws Exception {
        // short lease so that recovery after the kill is quick; fewer sessions than entities so that some wait
        app = new PackagedApp(workDir, Path.of("target", "crash-recovery-it", "app.log").toAbsolutePath(),
                Map.of("TASK_LEASE_DURATION", "3s", "MAX_CONCURRENT_SESSIONS", "3", "TASK_BACKOFF_INITIAL_MS", "100",
                        "TASK_BACKOFF_MAX_MS", "500"));
        app.start();

        Map<String, List<String>> accepted = new LinkedHashMap<>();
        for (int t = 0; t < TASKS_PER_ENTITY; t++) {
            for (int e = 0; e < ENTITIES; e++) {
                String entity = "crash/entity-" + e;
                String id = app.api().contentType(ContentType.JSON)
                        .header("Idempotency-Key", "crash-" + e + "-" + t)
                        .body("{\"entityId\":\"" + entity + "\",\"steps\":3,\"stepMillis\":150}")
                        .post("/api/tasks/diagnostic").then().statusCode(202).extract().path("taskId");
                accepted.computeIfAbsent(entity, k -> new ArrayList<>()).add(id);
            }
        }
        // kill while steps run and work is still queued
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath queue = app.api().get("/api/queue").then().statusCode(200).extract().jsonPath();
            return queue.getInt("runningTotal") >= 2 && count("succeeded") >= ENTITIES / 2;
        });
        app.kill();

        app.start();
        List<String> all = accepted.values().stream().flatMap(List::stream).toList();
        await("every accepted task reaches a terminal state after the restart").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> all.stream().map(this::task).allMatch(t -> t.getString("finishedAt") != null));

        int resumed = 0;
        for (var entry : accepted.entrySet()) {
            Instant previousFinish = Instant.MIN;
            for (String id : entry.getValue()) {
                JsonPath task = task(id);
                assertThat(task.getString("status")).as("task %s of %s", id, entry.getKey()).isEqualTo("succeeded");
                List<String> stepStarts = task.getList("steps.startedAt");
                for (String start : stepStarts) {
                    assertThat(Instant.parse(start))
                            .as("%s: steps of %s start after the previous task finished", entry.getKey(), id)
                            .isAfterOrEqualTo(previousFinish);
                }
                previousFinish = Instant.parse(task.getString("finishedAt"));
                if (task.getInt("attempt") > 1) {
                    resumed++;
                    // which attempts started each step ("attempt N: step-K sleeping ..."): a step finished
                    // before the kill is not started again; only the one the kill interrupted may be. (If the
                    // kill came after the last step's bookkeeping but before the finish, attempt 2 starts none.)
                    Map<String, Set<Integer>> startedBy = new TreeMap<>();
                    for (String line : task.getList("logs.message", String.class)) {
                        Matcher start = STEP_START.matcher(line);
                        if (start.matches()) {
                            startedBy.computeIfAbsent(start.group(2), k -> new TreeSet<>())
                                    .add(Integer.parseInt(start.group(1)));
                        }
                    }
                    assertThat(startedBy.keySet()).as("%s: every step ran", id)
                            .containsExactly("step-1", "step-2", "step-3");
                    assertThat(startedBy.values().stream().filter(attempts -> attempts.size() > 1))
                            .as("%s resumed without repeating finished steps: %s", id, startedBy)
                            .hasSizeLessThanOrEqualTo(1);
                }
            }
        }
        assertThat(resumed).as("tasks interrupted by the kill and run again").isGreaterThanOrEqualTo(1);
        assertThat(app.api().get("/api/queue").then().extract().jsonPath().getInt("runningTotal")).isZero();
    }

    private JsonPath task(String id) {
        return app.api().get("/api/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    private static long count(String status) {
        return app.api().queryParam("status", status).queryParam("size", 1).get("/api/tasks").then().extract()
                .jsonPath()
                .getLong("total");
    }
}
