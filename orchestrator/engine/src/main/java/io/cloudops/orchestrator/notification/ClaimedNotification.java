package io.cloudops.orchestrator.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * An outbox row a dispatcher claimed ({@link OutboxClaims}): everything a send needs, plus whether a
 * previous claim was lost mid-send. Its own type because the claim, the route buckets, the messages and
 * the dispatcher all pass it along.
 */
record ClaimedNotification(UUID id, UUID taskId, UUID projectId, String event, RouteKind kind, String target,
        int attempt, int maxAttempts, String requestedBy, Instant createdAt, UUID claimToken,
        boolean previousClaimLost, UUID environmentId) {

    /**
     * Whether the route's token bucket decides on it: an event's first claim (not a test, digest or retry), and
     * not a PagerDuty resolve either: a digest cannot close the incident its trigger opened.
     */
    boolean takesAToken() {
        return attempt == 1 && !previousClaimLost && !"test".equals(event) && !"digest".equals(event)
                && !NotificationMessage.DEAD_LETTER_RESOLVED.equals(event);
    }
}
