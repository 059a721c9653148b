package io.cloudops.common.schedule;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule with its latest runs, newest first ({@code GET /api/schedules/{id}}). */
public record ScheduleDetailView(ScheduleView schedule,
        @Schema(description = "The latest runs, newest first") List<ScheduleRunView> recentRuns) {
}
