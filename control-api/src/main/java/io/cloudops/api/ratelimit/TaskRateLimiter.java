package io.cloudops.api.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Limits the task-creating requests of each principal with a token bucket: a principal starts with
 * {@code burst} tokens, each request takes one, and tokens come back at {@code tasksPerMinute}. A
 * request without a token is refused with the seconds until the next one ({@code Retry-After}).
 *
 * <p>
 * The buckets live in this process's memory: with several control-api instances each one counts
 * on its own (docs/operating.md). A full bucket is the same as none, so buckets that have refilled
 * are dropped, and the map holds only principals that were busy in the last {@code burst / rate}.
 * (No per-key token-bucket library is on this build's registry; the bucket is a few lines.)
 */
@ApplicationScoped
public class TaskRateLimiter {

    /** Drop refilled buckets once the map holds this many. */
    private static final int SWEEP_AT = 10_000;

    private final int tasksPerMinute;
    private final int burst;
    private final double tokensPerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    TaskRateLimiter(RateLimitConfig config) {
        this(config.tasksPerMinute(), config.tasksBurst(), System::nanoTime);
    }

    /** {@code clock}: nanoseconds, as {@link System#nanoTime()} (tests pass their own). */
    TaskRateLimiter(int tasksPerMinute, int burst, LongSupplier clock) {
        if (tasksPerMinute < 0 || burst < 1) {
            throw new IllegalArgumentException(
                    "cloudops.rate-limit: tasks-per-minute must be 0 (off) or more, tasks-burst 1 or more");
        }
        this.tasksPerMinute = tasksPerMinute;
        this.burst = burst;
        this.tokensPerNano = tasksPerMinute / 60e9;
        this.clock = clock;
    }

    /** Whether the limit is on (a rate of 0 switches it off). */
    public boolean enabled() {
        return tokensPerNano > 0;
    }

    /** Takes a token for {@code principal}, or refuses the request with a 429 problem. */
    public void check(String principal) {
        long retryAfter = acquire(principal);
        if (retryAfter > 0) {
            throw new TooManyRequestsException(retryAfter, tasksPerMinute, burst);
        }
    }

    /**
     * Takes a token for {@code principal}: 0 when the request may go on, otherwise the whole seconds
     * (at least 1) until a token is back, and nothing is taken.
     */
    public long acquire(String principal) {
        if (!enabled()) {
            return 0;
        }
        long now = clock.getAsLong();
        if (buckets.size() >= SWEEP_AT) {
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(principal, p -> new Bucket(now)).take(now);
    }

    private final class Bucket {

        private double tokens = burst;
        private long updated;

        Bucket(long now) {
            this.updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double nanos = (1 - tokens) / tokensPerNano;
            return Math.max(1, (long) Math.ceil(nanos / 1e9));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
            updated = now;
        }
    }
}
