package io.cloudops.common.schedule;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A schedule as the API shows it. */
public record ScheduleView(
        UUID id,
        String name,
        @Schema(description = "The task type it submits") String operation,
        @Schema(implementation = Object.class, type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = "The operation's request (path parameters and body fields)") JsonNode request,
        String cron,
        String timeZone,
        @Schema(description = "skip | buffer-one | buffer-all | cancel-other") String overlapPolicy,
        boolean enabled,
        String createdBy,
        Instant createdAt,
        @Schema(description = "The next due time; null while disabled", nullable = true) Instant nextRunAt,
        @Schema(description = "The latest due time recorded; null before the first", nullable = true) Instant lastRunAt,
        @Schema(description = "What the latest due time did: fired | skipped | missed | failed", nullable = true) String lastOutcome) {
}
