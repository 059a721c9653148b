package io.cloudops.orchestrator.notification;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Posts a notification's Adaptive Card to a Teams webhook through {@link WebhookPost}: checked and
 * pinned to the address it was checked at, bounded timeouts, no redirects, the notification id as
 * {@code Idempotency-Key}. Any refusal is tried again (a Workflows webhook answers 4xx while its flow
 * is paused or being fixed). Never throws.
 */
@ApplicationScoped
class TeamsSender {

    private final WebhookPost post;

    TeamsSender(WebhookPost post) {
        this.post = post;
    }

    Delivery send(String webhookUrl, NotificationMessage message) {
        return post.post(RouteKind.TEAMS, webhookUrl, message.notificationId().toString(), TeamsCard.envelope(message),
                true);
    }
}
