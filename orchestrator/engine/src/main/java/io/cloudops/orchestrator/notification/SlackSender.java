package io.cloudops.orchestrator.notification;

import jakarta.enterprise.context.ApplicationScoped;

/** Posts a notification's Block Kit message ({@link SlackMessage}) to a Slack incoming webhook. Never throws. */
@ApplicationScoped
class SlackSender {

    private final WebhookPost post;

    SlackSender(WebhookPost post) {
        this.post = post;
    }

    Delivery send(String webhookUrl, NotificationMessage message) {
        return post.post(RouteKind.SLACK, webhookUrl, message.notificationId().toString(), SlackMessage.body(message));
    }
}
