package io.cloudops.orchestrator.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fencing rule: deadline = last renewal sent + lease - margin, renewals three times within it. */
class LeaseFenceTest {

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void aRunIsOverdueExactlyAtLastRenewalSentPlusLeaseMinusMargin() {
        LeaseFence fence = new LeaseFence(LEASE, MARGIN);
        long sent = 1_000_000_000L;
        long deadline = sent + LEASE.minus(MARGIN).toNanos();

        assertThat(fence.isOverdue(sent, deadline - 1)).isFalse();
        assertThat(fence.isOverdue(sent, deadline)).isTrue();
        assertThat(fence.isOverdue(sent, deadline + MARGIN.toNanos())).isTrue();
    }

    @Test
    void threeRenewalsFitBeforeTheDeadlineAndTheWatchdogLooksOftenWithinTheMargin() {
        LeaseFence fence = new LeaseFence(LEASE, MARGIN);

        assertThat(fence.renewInterval().multipliedBy(3)).isLessThanOrEqualTo(LEASE.minus(MARGIN));
        assertThat(fence.checkInterval()).isLessThanOrEqualTo(MARGIN.dividedBy(4));
    }

    @Test
    void theMarginMustBePositiveAndShorterThanTheLease() {
        assertThatThrownBy(() -> new LeaseFence(LEASE, LEASE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease-safety-margin");
        assertThatThrownBy(() -> new LeaseFence(LEASE, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LeaseFence(LEASE, Duration.ofSeconds(1)).safetyMargin()).isEqualTo(Duration.ofSeconds(1));
    }
}
