package io.cloudops.common.project;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/projects/{id}/environments}. {@code ttlMinutes} is required for
 * sandboxes and refused for every other type.
 */
@Schema(name = "EnvironmentRequest")
public record EnvironmentRequest(
        @Schema(description = "Name, unique within the project", examples = "dev", required = true) @NotBlank @Size(max = 63) @Pattern(regexp = ProjectRequest.NAME_PATTERN, message = ProjectRequest.NAME_MESSAGE) String name,
        @Schema(description = "sandbox | dev | stage | prod", required = true) @NotNull EnvironmentType type,
        @Schema(description = "Time to live in minutes (sandboxes only, 1 minute to 30 days)", examples = "120") @Min(1) @Max(43200) Integer ttlMinutes) {
}
