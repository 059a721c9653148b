package io.cloudops.api.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token bucket on a clock the test moves: burst, refill, Retry-After and one bucket per principal. */
class TaskRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void aPrincipalGetsItsBurstAtOnceThenOneTaskPerRefillInterval() {
        TaskRateLimiter limiter = new TaskRateLimiter(60, 5, now::get);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("alice")).as("request " + (i + 1)).isZero();
        }
        assertThat(limiter.acquire("alice")).as("over the burst: a token is 1 s away").isEqualTo(1);
        now.addAndGet(SECOND / 2);
        assertThat(limiter.acquire("alice")).as("half a token back: still 1 s (rounded up)").isEqualTo(1);
        now.addAndGet(SECOND / 2);
        assertThat(limiter.acquire("alice")).as("one token back").isZero();
        assertThat(limiter.acquire("alice")).isEqualTo(1);
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilTheNextToken() {
        TaskRateLimiter limiter = new TaskRateLimiter(6, 1, now::get); // one token every 10 s
        assertThat(limiter.acquire("bob")).isZero();
        assertThat(limiter.acquire("bob")).isEqualTo(10);
        now.addAndGet(7 * SECOND + 1);
        assertThat(limiter.acquire("bob")).isEqualTo(3);
        now.addAndGet(3 * SECOND);
        assertThat(limiter.acquire("bob")).isZero();
    }

    @Test
    void eachPrincipalHasItsOwnBucketAndAQuietOneRefillsOnlyToItsBurst() {
        TaskRateLimiter limiter = new TaskRateLimiter(60, 2, now::get);
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isPositive();
        assertThat(limiter.acquire("bob")).as("alice's use does not limit bob").isZero();
        now.addAndGet(3600 * SECOND);
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).as("an hour of quiet is still only a burst of 2").isPositive();
    }

    @Test
    void aRefusalNamesTheLimitAndTakesNothing() {
        TaskRateLimiter limiter = new TaskRateLimiter(60, 1, now::get);
        limiter.check("carol");
        assertThatThrownBy(() -> limiter.check("carol")).isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
            assertThat(e.getMessage()).contains("60 per minute", "bursts of 1", "Retry in 1 s");
        });
        now.addAndGet(SECOND);
        limiter.check("carol"); // the refused request did not use up the token that came back
    }

    @Test
    void aRateOfZeroSwitchesTheLimitOffAndABadConfigurationIsRefused() {
        TaskRateLimiter off = new TaskRateLimiter(0, 1, now::get);
        assertThat(off.enabled()).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(off.acquire("bench")).isZero();
        }
        assertThatThrownBy(() -> new TaskRateLimiter(-1, 5, now::get)).hasMessageContaining("tasks-per-minute");
        assertThatThrownBy(() -> new TaskRateLimiter(60, 0, now::get)).hasMessageContaining("tasks-burst");
    }
}
