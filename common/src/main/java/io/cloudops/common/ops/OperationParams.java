package io.cloudops.common.ops;

import java.util.regex.Pattern;

/**
 * Request parameters every operation understands besides its own. {@code simulate} asks the
 * simulated adapters to fail ({@code fail}: every attempt; {@code flaky:N}: the first N attempts), so
 * that demos and tests can show retries and dead letters; real adapters ignore it.
 */
public final class OperationParams {

    /** Name of the failure-injection parameter. */
    public static final String SIMULATE = "simulate";

    /** Accepted values of {@link #SIMULATE}. */
    public static final Pattern SIMULATE_VALUES = Pattern.compile("fail|flaky:[1-9][0-9]?");

    public static final String SIMULATE_MESSAGE = "must be 'fail' or 'flaky:N' (N from 1 to 99)";

    private OperationParams() {
    }
}
