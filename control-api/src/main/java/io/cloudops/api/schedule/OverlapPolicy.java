package io.cloudops.api.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a due run does while an earlier run of the same schedule is still queued or running (its
 * task not yet terminal). The names follow Temporal's schedule overlap policies.
 */
public enum OverlapPolicy {
    /** Record the due time as {@code skipped}. */
    SKIP("skip"),
    /** Submit, so that at most one run waits behind the one in progress; with one already waiting, skip. */
    BUFFER_ONE("buffer-one"),
    /** Always submit: the entity's queue runs them one after another, in order. */
    BUFFER_ALL("buffer-all"),
    /** Cancel the earlier runs (a queued one at once, a running one at its next step), then submit. */
    CANCEL_OTHER("cancel-other");

    private final String value;

    OverlapPolicy(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<OverlapPolicy> find(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }

    public static List<String> allowedValues() {
        return Arrays.stream(values()).map(OverlapPolicy::value).toList();
    }
}
