package io.cloudops.common.task;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Step")
public record StepView(String name, StepStatus status, int percent, Instant startedAt, Instant finishedAt,
        String message) {
}
