package io.cloudops.orchestrator.notification;

import java.util.Optional;

/**
 * The events a project can route (its event selection, {@code notificationEvents} in the project API): a
 * task's outcome and a sandbox's expiry notices. {@link #value()} is the name in the API and in
 * {@code project.notify_events}; {@link #outboxEvent()} what {@code notification_outbox.event} stores (a
 * task's status for task events, as before the selection existed).
 */
public enum NotifyEvent {
    TASK_SUCCEEDED("task.succeeded", "succeeded"), TASK_FAILED("task.failed", "failed"), TASK_DEAD_LETTERED(
            "task.dead_lettered", "dead_lettered"),
    /** A task waits for approval (with Approve and Reject buttons): to the people who may approve it. */
    TASK_AWAITING_APPROVAL("task.awaiting_approval", "awaiting_approval"),
    /** A task awaiting approval was rejected, by an approver or by its deadline. */
    TASK_REJECTED("task.rejected", "rejected"), SANDBOX_EXPIRING("sandbox.expiring",
            "sandbox.expiring"), SANDBOX_EXPIRED("sandbox.expired", "sandbox.expired");

    private final String value;
    private final String outboxEvent;

    NotifyEvent(String value, String outboxEvent) {
        this.value = value;
        this.outboxEvent = outboxEvent;
    }

    public String value() {
        return value;
    }

    public String outboxEvent() {
        return outboxEvent;
    }

    public static Optional<NotifyEvent> fromValue(String value) {
        for (NotifyEvent event : values()) {
            if (event.value.equals(value)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
