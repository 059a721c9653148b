package io.cloudops.common.dbops;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/db/{engine}/{instanceId}/restore}: which backup, and the database on the
 * instance to restore it into. The target is required, never defaulted: a restore overwrites what
 * it names.
 */
@Schema(name = "DbRestoreRequest")
public record DbRestoreRequest(
        @Schema(description = "Id of a backup artifact (from the backup task's artifacts)", required = true) @NotNull UUID artifactId,
        @Schema(description = "Database on the instance to restore into (created when missing; its objects in the backup are replaced)", examples = "orders_restored", required = true) @NotBlank @Pattern(regexp = DATABASE_NAME_PATTERN, message = "must be a database name: a letter or _ then up to 62 letters, digits, _ or -") String target,
        @Schema(description = "Demo mode only: fail | flaky:N (fail the first N attempts); ignored otherwise") @Pattern(regexp = SIMULATE_PATTERN, message = "must be fail or flaky:N") String simulate,
        @Schema(description = "Why this request may pass a guard rail that would deny it (docs/change-safety.md, \"Guard rails (CEL)\"): required to override a policy; recorded in the audit log", examples = "hotfix for INC-1234, approved by the on-call lead") @Size(max = 500) String reason) {

    /** Database names we pass to tools: no quoting games, no connection strings in disguise. */
    public static final String DATABASE_NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_-]{0,62}";
    public static final String SIMULATE_PATTERN = "fail|flaky:\\d{1,2}";
}
