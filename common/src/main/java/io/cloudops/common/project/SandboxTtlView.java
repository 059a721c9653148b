package io.cloudops.common.project;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The sandbox TTL policy in force for a project: its own settings where it has them, else the
 * global {@code SANDBOX_DEFAULT_TTL} / {@code SANDBOX_MAX_TTL}. Shown so that clients (and the
 * console's forms) can tell what a sandbox request will get before they send it.
 */
@Schema(name = "SandboxTtlPolicy", description = "The sandbox TTL policy in force for the project")
public record SandboxTtlView(
        @Schema(description = "Minutes a sandbox gets when its request has no ttlMinutes", examples = "480") int defaultTtlMinutes,
        @Schema(description = "Most minutes a sandbox may live in all, extensions included, unless an admin asks", examples = "10080") int maxTtlMinutes,
        @Schema(description = "The absolute cap (30 days), which an admin's exemption cannot pass either", examples = "43200") int absoluteMaxTtlMinutes) {
}
