package io.cloudops.orchestrator.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Retry as data: how many attempts, and the exponential back-off with full jitter between them
 * (delay drawn uniformly from 0 to {@code min(max, initial * multiplier^(attempt-1))}), which
 * spreads retries of many tasks that failed together.
 */
public record RetryPolicy(int maxAttempts, long initialMs, double multiplier, long maxMs) {

    public RetryPolicy {
        if (maxAttempts < 1 || initialMs < 0 || multiplier < 1.0 || maxMs < initialMs) {
            throw new IllegalArgumentException(
                    "invalid retry policy: " + maxAttempts + ", " + initialMs + ", " + multiplier + ", " + maxMs);
        }
    }

    public static RetryPolicy from(EngineConfig.Retry config) {
        return new RetryPolicy(config.maxAttempts(), config.backoffInitialMs(), config.backoffMultiplier(),
                config.backoffMaxMs());
    }

    /** Whether a task that just failed its {@code attempt}-th attempt may try again. */
    public boolean allowsAnotherAttempt(int attempt) {
        return attempt < maxAttempts;
    }

    /** The upper bound of the back-off after the {@code attempt}-th failed attempt (1-based). */
    public long ceilingMs(int attempt) {
        double ceiling = initialMs * Math.pow(multiplier, Math.max(0, attempt - 1));
        return (long) Math.min(maxMs, ceiling);
    }

    /** The back-off after the {@code attempt}-th failed attempt: uniform in [0, ceiling]. */
    public Duration backoff(int attempt, RandomGenerator random) {
        long ceiling = ceilingMs(attempt);
        return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
