package io.cloudops.api.schedule;

/** What one due time of a schedule did ({@code schedule_run.outcome}). */
public enum RunOutcome {
    /** A task was accepted for it. */
    FIRED("fired"),
    /** The overlap policy (or a later due time of the same poll) kept it from firing. */
    SKIPPED("skipped"),
    /** It was older than the catch-up window when a poller saw it. */
    MISSED("missed"),
    /** Its task was refused (guard rail, validation, rate limit, busy policy); the detail says why. */
    FAILED("failed");

    private final String value;

    RunOutcome(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
