package io.cloudops.orchestrator.notification;

import java.util.EnumSet;
import java.util.Set;

import io.cloudops.common.notification.WebhookUrls;

/** The kinds of notification route, as stored in {@code notification_outbox.route_kind}. */
public enum RouteKind {
    TEAMS("teams"), EMAIL("email"),
    /** A Slack incoming webhook (Block Kit message). */
    SLACK("slack"),
    /** A PagerDuty Events API v2 integration: the target is its routing key. */
    PAGERDUTY("pagerduty");

    /** What replaces the secret part of a webhook URL wherever it is shown or logged. */
    public static final String MASK = WebhookUrls.MASK;

    private final String value;

    RouteKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /**
     * The events this kind of route gets when its project has not chosen (and for the global routes):
     * every event, but successes go to Teams only. A new kind of route gets failures, dead letters and
     * sandbox notices without further ado.
     */
    public Set<NotifyEvent> defaultEvents() {
        if (this == PAGERDUTY) { // an incident per dead letter (resolved when it is retried or skipped)
            return EnumSet.of(NotifyEvent.TASK_DEAD_LETTERED);
        }
        EnumSet<NotifyEvent> events = EnumSet.allOf(NotifyEvent.class);
        if (this != TEAMS) {
            events.remove(NotifyEvent.TASK_SUCCEEDED);
        }
        return events;
    }

    public static RouteKind fromValue(String value) {
        for (RouteKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown route kind " + value);
    }

    /**
     * The target as it may be shown or logged: a webhook URL is a secret (its path is the credential),
     * so only {@code scheme://host/****} of it; a PagerDuty routing key as {@code ****} and its last four
     * characters; email recipients as they are.
     */
    public String mask(String target) {
        if (this == EMAIL || target == null) {
            return target;
        }
        if (this == PAGERDUTY) {
            return WebhookUrls.maskKey(target);
        }
        return WebhookUrls.mask(target);
    }
}
