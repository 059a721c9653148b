package io.cloudops.orchestrator.notification;

import java.time.Duration;

/**
 * How one attempt to send a notification went. {@code simulated}: logged to the console instead of
 * sent (email in demo mode without an SMTP server); it counts as delivered.
 */
public record Delivery(Outcome outcome, Integer httpStatus, String error, Duration duration, boolean permanent) {

    public Delivery(Outcome outcome, Integer httpStatus, String error, Duration duration) {
        this(outcome, httpStatus, error, duration, false);
    }

    public enum Outcome {
        SENT("sent"), SIMULATED("simulated"), FAILED("failed");

        private final String value;

        Outcome(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    public static Delivery sent(Integer httpStatus, Duration duration) {
        return new Delivery(Outcome.SENT, httpStatus, null, duration);
    }

    public static Delivery simulated(Duration duration) {
        return new Delivery(Outcome.SIMULATED, null, null, duration);
    }

    public static Delivery failed(Integer httpStatus, String error, Duration duration) {
        return new Delivery(Outcome.FAILED, httpStatus, error, duration);
    }

    /** Refused before sending, for a reason a retry cannot change (the route is not allowed): not retried. */
    public static Delivery refused(String reason) {
        return new Delivery(Outcome.FAILED, null, "refused: " + reason, Duration.ZERO, true);
    }

    public boolean delivered() {
        return outcome != Outcome.FAILED;
    }
}
