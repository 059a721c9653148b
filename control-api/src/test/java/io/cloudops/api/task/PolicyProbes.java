package io.cloudops.api.task;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The probe under task types with a busy policy each ({@code %test.cloudops.queue.busy-policy.*} in
 * application.properties), so {@link BusyPolicyTest} can exercise every policy with the probe's
 * measurements (gates, recorded executions) while the plain {@code probe} type keeps queueing.
 */
final class PolicyProbes {

    static final String SKIP = "probe-skip";
    static final String REPLACE = "probe-replace";
    static final String CANCEL = "probe-cancel";

    private PolicyProbes() {
    }

    /** Busy policy skip-if-busy. */
    @ApplicationScoped
    public static class Skip extends ProbeHandler {
        @Override
        public String type() {
            return SKIP;
        }
    }

    /** Busy policy replace-pending. */
    @ApplicationScoped
    public static class Replace extends ProbeHandler {
        @Override
        public String type() {
            return REPLACE;
        }
    }

    /** Busy policy cancel-running. */
    @ApplicationScoped
    public static class Cancel extends ProbeHandler {
        @Override
        public String type() {
            return CANCEL;
        }
    }
}
