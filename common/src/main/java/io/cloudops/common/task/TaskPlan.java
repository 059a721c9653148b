package io.cloudops.common.task;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a task type is before anything runs: its name and its ordered steps. Accepting a task
 * writes its pending steps, so the side that accepts (control-api, which carries no handler code in
 * the distributed topology) needs exactly this much of each operation, and no more. The standard
 * operations are the constants of {@link TaskType}; a handler runs the steps of the plan of its
 * type.
 */
public interface TaskPlan {

    /** The task type, e.g. {@code deployment}. */
    String type();

    /** The ordered step names for a task with this payload. */
    List<String> steps(JsonNode payload);
}
