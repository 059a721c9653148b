package io.cloudops.common.notification;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer of {@code POST /api/notifications/test}: how the test went on each route, sent at once
 * (none: no route configured).
 */
@Schema(name = "NotificationTestResult")
public record NotificationTestResult(
        @Schema(nullable = true, description = "The project tested, or null for the global routes") UUID projectId,
        List<RouteResult> results) {

    /** One route's test. */
    @Schema(name = "NotificationTestRouteResult")
    public record RouteResult(
            @Schema(description = "The test notification; GET /api/notifications/{id} shows its attempt") UUID notificationId,
            @Schema(description = "teams or email (and any other route kind)") String routeKind,
            @Schema(description = "The route, masked: https://host/**** for a webhook, the recipients for email") String target,
            @Schema(description = "sent; simulated (demo mode without SMTP: logged to the console, not sent); or failed", enumeration = {
                    "sent", "simulated", "failed"}) String outcome,
            @Schema(nullable = true, description = "Why it failed (the webhook's HTTP status, a refusal, a timeout), else null") String reason,
            @Schema(nullable = true, description = "The webhook's HTTP status, when there was an answer") Integer httpStatus){
    }
}
