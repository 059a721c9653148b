package io.cloudops.common.dbops;

import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Optional body of {@code POST /api/db/{engine}/{instanceId}/backup}. The database is named by the
 * path; the body only carries demo-mode failure injection.
 */
@Schema(name = "DbBackupRequest")
public record DbBackupRequest(
        @Schema(description = "Demo mode only: fail | flaky:N (fail the first N attempts); ignored otherwise") @Pattern(regexp = DbRestoreRequest.SIMULATE_PATTERN, message = "must be fail or flaky:N") String simulate) {
}
