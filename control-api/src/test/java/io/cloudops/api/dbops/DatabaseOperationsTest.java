package io.cloudops.api.dbops;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.LogLineView;
import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.StepView;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskQueries;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.ops.ArtifactStore;
import io.cloudops.orchestrator.ops.LocalArtifactStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static io.cloudops.api.testsupport.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Backup and restore through the API on the simulated adapters (demo mode, the test default). */
@QuarkusTest
class DatabaseOperationsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    TaskQueries queries;

    @Inject
    ArtifactStore store;

    @Inject
    LocalArtifactStore localStore;

    @Inject
    EngineConfig engineConfig;

    DbOpsApi api() {
        return new DbOpsApi(queries);
    }

    @ParameterizedTest
    @ValueSource(strings = {"azure-postgres", "azure-sql"})
    void aBackupStreamsARealFileAndARestoreVerifiesItsChecksum(String engine) throws Exception {
        String instance = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        UUID backupId = api().submitBackup(engine, instance, null);
        TaskView backup = api().awaitStatus(backupId, TaskStatus.SUCCEEDED, TIMEOUT);

        assertThat(backup.type()).isEqualTo("db_backup");
        assertThat(backup.entityId()).isEqualTo(engine + "/" + instance);
        assertThat(backup.entityLabel()).isEqualTo(engine + "/" + instance);
        assertThat(backup.steps()).extracting(StepView::name).containsExactly("prepare", "dump", "record");
        assertThat(backup.logs()).extracting(LogLineView::message).anyMatch(l -> l.contains("simulated"))
                .anyMatch(l -> l.startsWith("recorded backup artifact"));
        assertThat(backup.artifacts()).hasSize(1);
        ArtifactView artifact = backup.artifacts().getFirst();
        assertThat(artifact.kind()).isEqualTo("backup");
        assertThat(artifact.uri()).isEqualTo("local:backups/" + engine + "/" + instance + "/" + backupId + "."
                + (engine.equals("azure-sql") ? "bacpac" : "dump"));
        // a real file, whose checksum is the recorded one; metadata names engine and instance
        Path file = localStore.pathOf(artifact.uri());
        assertThat(file).isRegularFile().hasSize(artifact.sizeBytes());
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(ArtifactStore.digest(artifact.uri(), in).sha256()).isEqualTo(artifact.sha256());
        }
        assertThat(queries.artifact(artifact.id()).orElseThrow().metadata())
                .containsEntry("engine", engine).containsEntry("instanceId", instance);
        given().get("/api/tasks/{id}", backupId).then().statusCode(200)
                .body("artifacts[0].id", equalTo(artifact.id().toString()))
                .body("artifacts[0].sha256", equalTo(artifact.sha256()))
                .body("entityLabel", equalTo(engine + "/" + instance));

        UUID restoreId = api().submitRestore(engine, instance, artifact.id(), "orders_restored", null);
        TaskView restore = api().awaitStatus(restoreId, TaskStatus.SUCCEEDED, TIMEOUT);
        assertThat(restore.entityLabel()).isEqualTo(engine + "/" + instance);
        assertThat(restore.steps()).extracting(StepView::name).containsExactly("validate", "restore", "verify");
        assertThat(restore.logs()).extracting(LogLineView::message)
                .contains("checksum verified: sha256 " + artifact.sha256())
                .anyMatch(l -> l.startsWith("verified ") && l.contains("orders_restored"));
        assertThat(restore.artifacts()).isEmpty();
        // the restore's scratch copy is gone
        assertThat(Path.of("target", "test-data", "work", restoreId + "-restore")).doesNotExist();
    }

    @Test
    void aBackupAndARestoreOfTheSameDatabaseRunInSubmissionOrder() {
        String engine = "azure-postgres";
        String instance = "ordered-" + UUID.randomUUID().toString().substring(0, 8);
        UUID first = api().submitBackup(engine, instance, null);
        UUID artifactId = api().awaitStatus(first, TaskStatus.SUCCEEDED, TIMEOUT).artifacts().getFirst().id();

        UUID backup = api().submitBackup(engine, instance, null);
        UUID restore = api().submitRestore(engine, instance, artifactId, "app", null);
        UUID secondBackup = api().submitBackup(engine, instance, null);

        TaskView b = api().awaitStatus(backup, TaskStatus.SUCCEEDED, TIMEOUT);
        TaskView r = api().awaitStatus(restore, TaskStatus.SUCCEEDED, TIMEOUT);
        TaskView b2 = api().awaitStatus(secondBackup, TaskStatus.SUCCEEDED, TIMEOUT);
        assertThat(r.entityId()).isEqualTo(b.entityId()).isEqualTo(engine + "/" + instance);
        assertThat(r.startedAt()).isAfterOrEqualTo(b.finishedAt());
        assertThat(b2.startedAt()).isAfterOrEqualTo(r.finishedAt());
    }

    @Test
    void simulateFailDeadLettersTheBackupAfterEveryAttempt() {
        String instance = "doomed-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = api().submitBackup("azure-sql", instance, Map.of("simulate", "fail"));

        TaskView task = api().awaitStatus(id, TaskStatus.DEAD_LETTERED, TIMEOUT);
        assertThat(task.attempt()).isEqualTo(engineConfig.retry().maxAttempts());
        assertThat(task.error().message()).contains("dump").contains("simulate=fail");
        assertThat(task.artifacts()).isEmpty();
        given().queryParam("size", 200).get("/api/dlq").then().statusCode(200)
                .body("items.find { it.taskId == '" + id + "' }.attempts", equalTo(engineConfig.retry().maxAttempts()));
    }

    @Test
    void simulateFlakyRetriesTheFailedStepAndSucceedsOnTheSecondAttempt() {
        String instance = "flaky-" + UUID.randomUUID().toString().substring(0, 8);
        UUID backupId = api().submitBackup("azure-postgres", instance, null);
        UUID artifactId = api().awaitStatus(backupId, TaskStatus.SUCCEEDED, TIMEOUT).artifacts().getFirst().id();

        UUID restoreId = api().submitRestore("azure-postgres", instance, artifactId, "app", "flaky:1");
        TaskView restore = api().awaitStatus(restoreId, TaskStatus.SUCCEEDED, TIMEOUT);
        assertThat(restore.attempt()).isEqualTo(2);
        assertThat(restore.logs()).extracting(LogLineView::message)
                .filteredOn(l -> l.startsWith("checksum verified")).hasSize(1); // validate ran once, restore twice
    }

    @Test
    void aCorruptBackupFailsTheRestorePermanently() throws Exception {
        String instance = "corrupt-" + UUID.randomUUID().toString().substring(0, 8);
        UUID backupId = api().submitBackup("azure-postgres", instance, null);
        ArtifactView artifact = api().awaitStatus(backupId, TaskStatus.SUCCEEDED, TIMEOUT).artifacts().getFirst();
        Files.writeString(localStore.pathOf(artifact.uri()), "tampered", java.nio.file.StandardOpenOption.APPEND);

        UUID restoreId = api().submitRestore("azure-postgres", instance, artifact.id(), "app", null);
        TaskView restore = api().awaitStatus(restoreId, TaskStatus.FAILED, TIMEOUT);
        assertThat(restore.attempt()).isEqualTo(1);
        assertThat(restore.error().message()).contains("validate").contains("corrupt");
        assertThat(restore.error().hint()).isNotBlank();
        assertThat(restore.steps()).extracting(StepView::status)
                .containsExactly(StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.SKIPPED);
    }

    @Test
    void theIdempotencyKeyReturnsTheSameTaskAndRefusesADifferentRequest() {
        String instance = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "backup-" + UUID.randomUUID();
        String taskId = api().backup("azure-postgres", instance, null, key).then().statusCode(202)
                .header("Location", containsString("/api/tasks/")).extract().path("taskId");
        api().backup("azure-postgres", instance, null, key).then().statusCode(200).body("taskId", equalTo(taskId));
        assertProblem(api().backup("azure-postgres", instance, Map.of("simulate", "fail"), key), 409)
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertThat(api().tasksOf("azure-postgres/" + instance)).isEqualTo(1);
    }

    @Test
    void invalidRequestsAreProblemsNamingTheFieldAndEnqueueNothing() {
        String instance = "invalid-" + UUID.randomUUID().toString().substring(0, 8);
        long backups = api().tasksOfType("db_backup");
        long restores = api().tasksOfType("db_restore");

        assertProblem(api().backup("mysql", instance, null, null), 400)
                .body("errors[0].field", equalTo("engine"))
                .body("errors[0].message", containsString("azure-postgres, azure-sql"));
        assertProblem(api().backup("azure-sql", "bad.instance", null, null), 400)
                .body("errors[0].field", equalTo("instanceId"));
        assertProblem(api().backup("azure-sql", instance, Map.of("simulate", "sometimes"), null), 400)
                .body("errors[0].field", equalTo("simulate"));
        assertProblem(api().backup("azure-sql", instance, Map.of("colour", "red"), null), 400)
                .body("errors[0].field", equalTo("colour"));
        // a configured instance with another engine
        assertProblem(api().backup("azure-sql", "pg-real", null, null), 422).body("errors[0].field", equalTo("engine"));

        assertProblem(given().contentType(ContentType.JSON).post("/api/db/azure-sql/{i}/restore", instance), 400);
        assertProblem(api().restore("azure-sql", instance, Map.of("target", "app"), null), 400)
                .body("errors[0].field", equalTo("artifactId"));
        assertProblem(api().restore("azure-sql", instance, Map.of("artifactId", UUID.randomUUID().toString()), null),
                400).body("errors[0].field", equalTo("target"));
        assertProblem(api().restore("azure-sql", instance,
                Map.of("artifactId", UUID.randomUUID().toString(), "target", "app; DROP"), null), 400)
                .body("errors[0].field", equalTo("target"));
        assertProblem(api().restore("azure-sql", instance,
                Map.of("artifactId", "not-a-uuid", "target", "app"), null), 400)
                .body("errors[0].field", equalTo("artifactId"));
        assertProblem(api().restore("azure-sql", instance,
                Map.of("artifactId", UUID.randomUUID().toString(), "target", "app"), null), 422)
                .body("errors[0].field", equalTo("artifactId"))
                .body("detail", containsString("names no artifact"));
        assertProblem(api().restore("oracle", instance,
                Map.of("artifactId", UUID.randomUUID().toString(), "target", "app"), null), 400)
                .body("errors[0].field", equalTo("engine"));
        assertProblem(given().header("X-Demo-Role", "viewer").post("/api/db/azure-sql/{i}/backup", instance), 403);

        assertThat(api().tasksOf("azure-sql/" + instance)).isZero();
        assertThat(api().tasksOfType("db_backup")).isEqualTo(backups);
        assertThat(api().tasksOfType("db_restore")).isEqualTo(restores);
    }

    @Test
    void aBackupOfAnotherEngineCannotBeRestoredAndNothingIsEnqueued() {
        String instance = "mixed-" + UUID.randomUUID().toString().substring(0, 8);
        UUID backupId = api().submitBackup("azure-postgres", instance, null);
        UUID artifactId = api().awaitStatus(backupId, TaskStatus.SUCCEEDED, TIMEOUT).artifacts().getFirst().id();
        long restores = api().tasksOfType("db_restore");

        assertProblem(api().restore("azure-sql", instance, Map.of("artifactId", artifactId.toString(), "target", "app"),
                null), 422)
                .body("errors[0].field", equalTo("artifactId"))
                .body("detail", containsString("azure-postgres"));
        assertThat(api().tasksOf("azure-sql/" + instance)).isZero();
        assertThat(api().tasksOfType("db_restore")).isEqualTo(restores);
        assertThat(List.of(store.exists("local:backups/../../etc/passwd"), store.exists("local:../x")))
                .containsOnly(false);
    }
}
