package io.cloudops.orchestrator.notification;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends a notification to PagerDuty's Events API v2 ({@link NotifyConfig.PagerDuty#eventsUrl()}) with the
 * route's routing key: a trigger for a dead letter, a resolve for its resolution ({@link PagerDutyEvent}).
 * A test triggers an info event and resolves it at once, so it leaves no open incident. Never throws.
 */
@ApplicationScoped
class PagerDutySender {

    private final WebhookPost post;
    private final NotifyConfig config;

    PagerDutySender(WebhookPost post, NotifyConfig config) {
        this.post = post;
        this.config = config;
    }

    Delivery send(String routingKey, NotificationMessage message) {
        String url = config.pagerDuty().eventsUrl();
        String key = message.notificationId().toString();
        Delivery delivery = post.post(RouteKind.PAGERDUTY, url, key, PagerDutyEvent.of(routingKey, message));
        if (message.isTest() && delivery.delivered()) {
            Delivery resolved = post.post(RouteKind.PAGERDUTY, url, key + "-resolve",
                    PagerDutyEvent.resolve(routingKey, "cloudops-test-" + message.notificationId()));
            return resolved.delivered() ? delivery : resolved;
        }
        return delivery;
    }
}
