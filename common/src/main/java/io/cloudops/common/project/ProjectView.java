package io.cloudops.common.project;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A project as the API shows it. The Teams webhook URL is masked: only its scheme and host are
 * shown, the path (which carries the webhook's secret token) never leaves the server.
 */
@Schema(name = "Project")
public record ProjectView(
        UUID id,
        String name,
        @Schema(nullable = true) String description,
        Instant createdAt,
        @Schema(nullable = true, description = "Masked webhook URL, e.g. https://contoso.webhook.office.com/****; null when none") String teamsWebhookUrl,
        List<String> emailRecipients,
        List<EnvironmentView> environments) {
}
