package io.cloudops.common.task;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/tasks/diagnostic}: a task that only sleeps and logs, for operators and benchmarks. */
@Schema(name = "DiagnosticRequest")
public record DiagnosticRequest(
        @Schema(description = "Session key", examples = "diag/env-1", required = true) @NotBlank @Size(max = 255) String entityId,
        @Schema(description = "Number of steps (1..50)", defaultValue = "3") @Min(1) @Max(50) Integer steps,
        @Schema(description = "Sleep per step in ms (0..600000)", defaultValue = "50") @Min(0) @Max(600_000) Integer stepMillis,
        @Schema(description = "never | always | times:N | permanent", defaultValue = "never") @Pattern(regexp = "never|always|permanent|times:\\d{1,3}", message = "must be never, always, permanent or times:N") String fail) {

    public int stepsOrDefault() {
        return steps == null ? 3 : steps;
    }

    public int stepMillisOrDefault() {
        return stepMillis == null ? 50 : stepMillis;
    }

    public String failOrDefault() {
        return fail == null ? "never" : fail;
    }
}
