package io.cloudops.api.guardrail;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.api.project.Environment;
import io.cloudops.api.project.EnvironmentRepository;
import io.cloudops.common.dbops.DbTaskPayload;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.client.TaskQueries;

/**
 * The facts a policy reads besides the request itself, looked up from the task's payload: the
 * {@code environment} it changes (a deployment's environment, a sandbox, a database's configured
 * type) and, for database operations, the {@code database} with the age of its last successful
 * backup. Every key is always present, so expressions need no {@code has()} for them.
 */
@ApplicationScoped
public class PolicyFacts {

    /** The environment type of a target nothing classifies (a diagnostic task, an unlisted database). */
    public static final String UNCLASSIFIED = "unclassified";

    private final EnvironmentRepository environments;
    private final TaskQueries tasks;
    private final GuardRailConfig config;

    PolicyFacts(EnvironmentRepository environments, TaskQueries tasks, GuardRailConfig config) {
        this.environments = environments;
        this.tasks = tasks;
        this.config = config;
    }

    /** {@code environment}: id, project, name, type. */
    @Transactional
    public Map<String, Object> environment(String taskType, String entityId, JsonNode payload) {
        if (TaskType.DEPLOYMENT.type().equals(taskType)) {
            Optional<Environment> env = uuid(payload.path("envId").asText())
                    .flatMap(environments::findByIdOptional);
            if (env.isPresent()) {
                return environment(env.get().id.toString(), env.get().project.name, env.get().name,
                        env.get().type.value());
            }
        }
        if (TaskType.SANDBOX_CREATE.type().equals(taskType)) {
            return environment(payload.path("environmentId").asText(), payload.path("projectName").asText(),
                    payload.path("name").asText(), "sandbox");
        }
        if (isDatabase(taskType)) {
            String instance = payload.path("instanceId").asText();
            return environment(entityId, "", instance,
                    config.databaseEnvironments().getOrDefault(instance, UNCLASSIFIED));
        }
        return environment(entityId, "", entityId, UNCLASSIFIED);
    }

    /**
     * {@code database}: engine, instanceId, hasBackup, lastBackupAgeHours (hours since the last
     * successful backup task of the instance finished; infinite when there is none).
     */
    public Map<String, Object> database(String taskType, String entityId, JsonNode payload, Instant now) {
        Map<String, Object> database = new LinkedHashMap<>();
        boolean db = isDatabase(taskType);
        database.put("engine", db ? payload.path("engine").asText() : "");
        database.put("instanceId", db ? payload.path("instanceId").asText() : "");
        Optional<Instant> last = db
                ? tasks.list(new TaskQueries.Filter(TaskStatus.SUCCEEDED, DbTaskPayload.BACKUP_TYPE, entityId), 0, 1)
                        .items().stream().findFirst().map(TaskSummaryView::finishedAt)
                : Optional.empty();
        database.put("hasBackup", last.isPresent());
        database.put("lastBackupAgeHours",
                last.map(at -> Duration.between(at, now).toMillis() / 3_600_000.0).orElse(Double.POSITIVE_INFINITY));
        return database;
    }

    private static boolean isDatabase(String taskType) {
        return DbTaskPayload.BACKUP_TYPE.equals(taskType) || DbTaskPayload.RESTORE_TYPE.equals(taskType);
    }

    private static Map<String, Object> environment(String id, String project, String name, String type) {
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("id", id);
        environment.put("project", project);
        environment.put("name", name);
        environment.put("type", type);
        return environment;
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
