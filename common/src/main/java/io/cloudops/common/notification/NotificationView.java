package io.cloudops.common.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One notification of a task (or a test) to one route, with every attempt to send it. The target is
 * masked: a webhook URL is a secret ({@code https://host/****}); email recipients are shown.
 */
@Schema(name = "Notification")
public record NotificationView(
        UUID id,
        @Schema(description = "teams or email") String routeKind,
        @Schema(description = "The route, masked: https://host/**** for a webhook, the recipients for email") String target,
        @Schema(description = "What it tells: succeeded, failed, dead_lettered or test") String event,
        @Schema(description = "pending (due, waiting for a retry, or a PagerDuty resolve waiting for its trigger), sending, sent, failed (attempts exhausted), digested (told in its route's digest) or skipped (a resolve of an incident PagerDuty never opened; lastError says why)") String status,
        int attempts,
        int maxAttempts,
        @Schema(nullable = true, description = "When the next attempt is due (pending), or the lease of the one sending it") Instant nextAttemptAt,
        Instant createdAt,
        @Schema(nullable = true) Instant sentAt,
        @Schema(nullable = true) String lastError,
        List<Attempt> attemptLog) {

    /** One attempt: when, how it went, the HTTP status (webhooks) or the error. */
    @Schema(name = "NotificationAttempt")
    public record Attempt(
            int attempt,
            Instant at,
            @Schema(description = "sent, simulated (demo mode without SMTP: logged to the console) or failed") String outcome,
            @Schema(nullable = true) Integer httpStatus,
            @Schema(nullable = true) String error,
            long durationMs) {
    }
}
