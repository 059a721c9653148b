package io.cloudops.common.task;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change of a task, in order: {@code seq} increases by one per event of the task, so a client
 * that saw event {@code n} can ask for everything after it. {@code kind} is {@code task} (status
 * change), {@code step} (step status or progress) or {@code log} (a log line in {@code message}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskEvent(UUID taskId, long seq, String kind, String step, String status, String message, Integer percent,
        Instant ts) {

    public static final String KIND_TASK = "task";
    public static final String KIND_STEP = "step";
    public static final String KIND_LOG = "log";
}
