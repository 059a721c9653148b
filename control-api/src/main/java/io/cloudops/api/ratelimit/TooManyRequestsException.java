package io.cloudops.api.ratelimit;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;

/** A principal over its task rate limit (429); {@code Retry-After} says when to try again. */
public class TooManyRequestsException extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(long retryAfterSeconds, int tasksPerMinute, int burst) {
        super(429, ProblemTypes.TOO_MANY_REQUESTS, "Too many requests",
                "You submitted more tasks than the " + tasksPerMinute + " per minute (bursts of " + burst
                        + ") allowed per user. Retry in " + retryAfterSeconds + " s (Retry-After)",
                null);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
