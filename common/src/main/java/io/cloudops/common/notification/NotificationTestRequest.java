package io.cloudops.common.notification;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/notifications/test}: the project whose routes get a test, or none for the global routes. */
@Schema(name = "NotificationTestRequest")
public record NotificationTestRequest(
        @Schema(description = "The project whose routes to test; omitted: the global routes (TEAMS_WEBHOOK_URL, NOTIFY_EMAIL_TO, SLACK_WEBHOOK_URL, PAGERDUTY_ROUTING_KEY)") UUID projectId) {
}
