package io.cloudops.common.deployment;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An environment's last succeeded deployment that applied something (previews never count): what
 * its one-click redeploy submits again.
 */
@Schema(name = "LastDeployment")
public record LastDeploymentView(UUID taskId, String templateId,
        @Schema(description = "The template parameters it ran with, defaults filled in") Map<String, Object> params,
        Instant finishedAt) {

    /** The parameters in short, {@code image=nginx:1.27, replicas=2}, for a button's label. */
    public String summary() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
