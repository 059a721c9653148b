package io.cloudops.common.project;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A project as the API shows it. The Teams and Slack webhook URLs are masked: only their scheme and
 * host are shown, the path (which carries the webhook's secret token) never leaves the server; the
 * PagerDuty routing key shows only its last four characters. The sandbox TTL settings are shown as
 * the project has them (null: it follows the global default) and as they are in force
 * ({@code sandboxTtl}).
 */
@Schema(name = "Project")
public record ProjectView(
        UUID id,
        String name,
        @Schema(nullable = true) String description,
        Instant createdAt,
        @Schema(nullable = true, description = "Masked webhook URL, e.g. https://contoso.webhook.office.com/****; null when none") String teamsWebhookUrl,
        List<String> emailRecipients,
        List<EnvironmentView> environments,
        @Schema(nullable = true, description = "Masked Slack webhook URL, e.g. https://hooks.slack.com/****; null when none") String slackWebhookUrl,
        @Schema(nullable = true, description = "Masked PagerDuty routing key, e.g. ****abcd; null when none") String pagerDutyRoutingKey,
        @Schema(description = "Which events go to which route, for every route kind: the project's choice, else the route's default (every event; successes to Teams only; PagerDuty dead letters only)", examples = "{\"teams\": [\"task.succeeded\", \"task.failed\", \"task.dead_lettered\", \"task.awaiting_approval\", \"task.rejected\", \"sandbox.expiring\", \"sandbox.expired\"], \"email\": [\"task.failed\", \"task.dead_lettered\", \"task.awaiting_approval\", \"task.rejected\", \"sandbox.expiring\", \"sandbox.expired\"]}") Map<String, List<String>> notificationEvents,
        @Schema(nullable = true, description = "The project's own default sandbox TTL in minutes; null: the global SANDBOX_DEFAULT_TTL") Integer sandboxDefaultTtlMinutes,
        @Schema(nullable = true, description = "The project's own maximum sandbox TTL in minutes; null: the global SANDBOX_MAX_TTL") Integer sandboxMaxTtlMinutes,
        @Schema(description = "The sandbox TTL policy in force: the project's settings, else the global ones") SandboxTtlView sandboxTtl) {
}
