package io.cloudops.common.notification;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code POST /api/notifications/test}: one queued notification per route (none: no route configured). */
@Schema(name = "NotificationTestQueued")
public record NotificationTestQueued(
        @Schema(nullable = true, description = "The project tested, or null for the global routes") UUID projectId,
        List<NotificationView> queued) {
}
