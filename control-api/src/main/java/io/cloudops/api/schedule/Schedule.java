package io.cloudops.api.schedule;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.schedule.ScheduleView;

/** A row of {@code schedule}; never over the wire ({@link #view()} is). */
public record Schedule(UUID id, String name, String operation, ObjectNode request, String cron, String timeZone,
        OverlapPolicy overlapPolicy, boolean enabled, String createdBy, Instant createdAt, Instant updatedAt,
        Instant nextRunAt, Instant lastRunAt, String lastOutcome) {

    /** The principal its runs are submitted as. */
    public String principal() {
        return "schedule:" + name;
    }

    public CronSchedule times() {
        return CronSchedule.of(cron, timeZone);
    }

    public ScheduleView view() {
        return new ScheduleView(id, name, operation, request, cron, timeZone, overlapPolicy.value(), enabled,
                createdBy, createdAt, nextRunAt, lastRunAt, lastOutcome);
    }
}
