package io.cloudops.common.task;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LogLine")
public record LogLineView(long line, Instant ts, @Schema(nullable = true) String step, String message) {
}
