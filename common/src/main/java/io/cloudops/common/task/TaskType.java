package io.cloudops.common.task;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operations of the control plane and their steps, shared by the service that accepts tasks
 * and the one that runs them (docs/operations.md describes each step). A handler's steps are the
 * ones named here; renaming a step is a change of this vocabulary, not of one side.
 */
public enum TaskType implements TaskPlan {

    /** Sleeps and logs: checks and benchmarks the engine. Its payload says how many steps. */
    DIAGNOSTIC("diagnostic") {
        @Override
        public List<String> steps(JsonNode payload) {
            int steps = payload.path("steps").asInt(DEFAULT_DIAGNOSTIC_STEPS);
            return IntStream.rangeClosed(1, steps).mapToObj(i -> "step-" + i).toList();
        }
    },
    /** validate, plan, apply; a preview ({@code "dryRun": true}) diffs its plan instead of applying it. */
    DEPLOYMENT("deployment", "validate", "plan", "apply") {
        @Override
        public List<String> steps(JsonNode payload) {
            return payload.path("dryRun").asBoolean(false) ? List.of("validate", "plan", "diff") : super.steps(payload);
        }
    },
    DB_BACKUP("db_backup", "prepare", "dump",
            "record"), DB_RESTORE("db_restore", "validate", "restore", "verify"), RESTART_WORKLOAD("restart_workload",
                    "connect", "rollout-restart", "wait-ready"), SANDBOX_CREATE("sandbox_create", "create-record",
                            "provision",
                            "schedule-expiry"), SANDBOX_EXPIRE("sandbox_expire", "teardown", "mark-expired", "notify");

    /** Steps of a diagnostic task whose payload does not say. */
    public static final int DEFAULT_DIAGNOSTIC_STEPS = 3;

    private final String type;
    private final List<String> steps;

    TaskType(String type, String... steps) {
        this.type = type;
        this.steps = List.of(steps);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public List<String> steps(JsonNode payload) {
        return steps;
    }

    public static Optional<TaskType> find(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    /** The session key of a workload restart: {@code <namespace>/<name>}. */
    public static String workloadEntityId(String namespace, String name) {
        return namespace + "/" + name;
    }
}
