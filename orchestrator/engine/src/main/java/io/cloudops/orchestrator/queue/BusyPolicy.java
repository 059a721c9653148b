package io.cloudops.orchestrator.queue;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a new request does when its entity already has work (docs/change-safety.md). Decided in
 * the submit transaction under the entity's submit lock, so concurrent requests cannot both win.
 */
public enum BusyPolicy {
    /** The default: wait in the entity's queue, first in, first out. */
    QUEUE,
    /** Refuse (409) while the entity has a running or queued task. */
    SKIP_IF_BUSY,
    /** Replace the queued, never-started task of the same type on the entity (it ends {@code superseded}). */
    REPLACE_PENDING,
    /** Ask the entity's running task to cancel (cooperatively), and queue behind it. */
    CANCEL_RUNNING;

    /** The configuration spelling: {@code skip-if-busy}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses the configuration spelling ({@code skip-if-busy}; the enum name is accepted too). */
    public static BusyPolicy fromValue(String value) {
        String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(p -> p.name().equals(normalised)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown busy policy '" + value
                        + "' (queue, skip-if-busy, replace-pending, cancel-running)"));
    }
}
