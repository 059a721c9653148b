package io.cloudops.common.schedule;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** A new schedule ({@code POST /api/schedules}). */
public record ScheduleRequest(
        @Schema(description = "Unique name; a fired run's principal is schedule:<name>", examples = "nightly-backup-orders", required = true) @NotBlank @Size(max = 63) @Pattern(regexp = NAME_PATTERN, message = NAME_MESSAGE) String name,
        @Schema(description = "The operation, by the task type it creates: db_backup, db_restore, deployment, restart_workload, diagnostic", examples = "db_backup", required = true) @NotBlank @Size(max = 63) String operation,
        @Schema(implementation = Object.class, type = SchemaType.OBJECT, additionalProperties = Schema.True.class, description = "The operation's request: the path parameters of its endpoint by name plus the fields of its body, checked as that endpoint checks them (a db_backup: {\"engine\": \"azure-postgres\", \"instanceId\": \"orders\"})", required = true) @NotNull JsonNode request,
        @Schema(description = "5-field cron expression (minute hour day-of-month month day-of-week), read in timeZone", examples = "0 2 * * *", required = true) @NotBlank @Size(max = 200) String cron,
        @Schema(description = "IANA time zone of the cron expression", examples = "Europe/Berlin", defaultValue = "UTC") @Size(max = 64) String timeZone,
        @Schema(description = "What a due run does while an earlier run of this schedule is still queued or running: skip | buffer-one | buffer-all | cancel-other", defaultValue = "skip") @Size(max = 20) String overlapPolicy,
        @Schema(description = "Whether it fires", defaultValue = "true") Boolean enabled) {

    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";
    public static final String NAME_MESSAGE = "must be letters, digits, '.', '_' or '-', starting with a letter or digit";
}
