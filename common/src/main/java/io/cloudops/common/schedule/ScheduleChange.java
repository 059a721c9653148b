package io.cloudops.common.schedule;

import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A change to a schedule ({@code PATCH /api/schedules/{id}}): enabling or disabling it. Anything else is
 * changed by deleting the schedule and creating it anew, so a run's history always belongs to one definition.
 */
public record ScheduleChange(
        @Schema(description = "false: no further runs (and none recorded) until enabled again; true: the next due time from now", required = true) @NotNull Boolean enabled) {
}
