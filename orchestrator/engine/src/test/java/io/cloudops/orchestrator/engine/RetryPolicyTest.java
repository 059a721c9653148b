package io.cloudops.orchestrator.engine;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, 1000, 2.0, 60_000);

    @Test
    void theCeilingGrowsExponentiallyUpToTheMaximum() {
        assertThat(IntStream.rangeClosed(1, 9).mapToLong(policy::ceilingMs).boxed().toList())
                .containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L, 60000L);
    }

    @Test
    void fullJitterDrawsFromZeroToTheCeiling() {
        SplittableRandom random = new SplittableRandom(7);
        long[] delays = IntStream.range(0, 10_000).mapToLong(i -> policy.backoff(3, random).toMillis()).toArray();
        assertThat(java.util.Arrays.stream(delays).boxed().toList())
                .allSatisfy(d -> assertThat(d).isBetween(0L, 4000L));
        // spread over the whole range, not clustered at the ceiling
        assertThat(java.util.Arrays.stream(delays).min().orElseThrow()).isLessThan(400);
        assertThat(java.util.Arrays.stream(delays).max().orElseThrow()).isGreaterThan(3600);
    }

    @Test
    void attemptsAreBoundedByMaxAttempts() {
        assertThat(policy.allowsAnotherAttempt(4)).isTrue();
        assertThat(policy.allowsAnotherAttempt(5)).isFalse();
    }

    @Test
    void nonsensePoliciesAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(0, 1000, 2.0, 60_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, 1000, 0.5, 60_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, 1000, 2.0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
