package io.cloudops.orchestrator.notification;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a notification says, whatever the channel: the same facts go into the Teams card and both
 * parts of the email. Read when the notification is sent, from the task as it was committed.
 *
 * @param event succeeded, failed, dead_lettered, awaiting_approval, rejected, dead_letter_resolved (PagerDuty),
 *        sandbox.expiring, sandbox.expired, digest or test
 * @param entity a readable name of what the task worked on ({@code demo/dev}, {@code azure-postgres/orders},
 *        {@code shop-prod/api}: the task's entity label, else its entity id)
 * @param environment the environment's name when the task has one, else null
 * @param duration from start to finish, or null when the task never started
 * @param failedStep the step that failed, or null
 * @param error the task's error message, or null
 * @param hint what a person can do about the error, or null
 * @param link the console page to open (the task's, Settings for a test, the filtered task list for a
 *        digest, the project's page for a sandbox notice)
 * @param headline the title when it is not the task's ("12 more tasks failed in demo in the last 5
 *        minutes", "Sandbox demo/sandbox-1a2b expires in 10 min"), else null
 * @param buttons the actions offered besides the main link (Retry, Approve, Reject, Extend TTL 1h): signed,
 *        expiring, single-use links to a confirmation page in the console (sign-in and role required); may be empty
 */
public record NotificationMessage(UUID notificationId, String event, UUID taskId, String taskType, String entity,
        String environment, Duration duration, String requestedBy, String failedStep, String error, String hint,
        String link, String headline, List<Button> buttons) {

    /** An action button: its label and its (signed) link. */
    public record Button(String title, String url) {
    }

    public NotificationMessage {
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    /** A task's or a test's message: no headline of its own, no buttons. */
    public NotificationMessage(UUID notificationId, String event, UUID taskId, String taskType, String entity,
            String environment, Duration duration, String requestedBy, String failedStep, String error, String hint,
            String link) {
        this(notificationId, event, taskId, taskType, entity, environment, duration, requestedBy, failedStep, error,
                hint, link, null, List.of());
    }

    public boolean isDigest() {
        return "digest".equals(event);
    }

    public boolean isSandboxNotice() {
        return event.startsWith("sandbox.");
    }

    /** The label of the message's main button. */
    public String linkLabel() {
        if (isTest()) {
            return "Open settings";
        }
        if (isDigest()) {
            return "Open task list";
        }
        return isSandboxNotice() ? "Open sandbox" : "Open task";
    }

    /** The event of PagerDuty's resolve: the dead letter the trigger was about was retried successfully or skipped. */
    public static final String DEAD_LETTER_RESOLVED = "dead_letter_resolved";

    public boolean isTest() {
        return "test".equals(event);
    }

    /** The status as a person reads it. */
    public String statusLabel() {
        return switch (event) {
            case "succeeded" -> "Succeeded";
            case "failed" -> "Failed";
            case "dead_lettered" -> "Dead-lettered";
            case "awaiting_approval" -> "Awaiting approval";
            case "rejected" -> "Rejected";
            case DEAD_LETTER_RESOLVED -> "Dead letter resolved";
            case "sandbox.expiring" -> "Expiring soon";
            case "sandbox.expired" -> "Expired";
            case "digest" -> "Digest";
            default -> "Test";
        };
    }

    /** One line: the title of the card and the subject of the email. */
    public String title() {
        if (headline != null) {
            return headline;
        }
        if (isTest()) {
            return "CloudOps test notification";
        }
        return taskType + " " + statusLabel().toLowerCase(java.util.Locale.ROOT) + ": " + entity;
    }

    /** {@code 1 min 5 s}, {@code 850 ms}, or null. */
    public String durationLabel() {
        if (duration == null) {
            return null;
        }
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = duration.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        return (s / 60) + " min " + (s % 60) + " s";
    }
}
