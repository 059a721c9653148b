package io.cloudops.orchestrator.engine;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The self-fencing rule of entity leases, in one place. The database sets a lease's
 * {@code expires_at} to its own {@code now() + lease-duration} when a renewal (or the claim) is
 * executed, which is never before this process sent it. So a run that knows when it sent its last
 * successful renewal knows a moment before which its lease cannot have expired: it must stop
 * acting at {@code lastRenewalSent + leaseDuration - safetyMargin} unless a newer renewal
 * succeeded. Renewals are sent three times within that window, so one or two lost renewals do not
 * fence a healthy run; only a database that does not answer for about the whole window does.
 *
 * <p>
 * All times are {@link System#nanoTime()} (monotonic): a wall-clock jump cannot move a deadline.
 */
@ApplicationScoped
public class LeaseFence {

    private final Duration lease;
    private final Duration margin;

    @Inject
    LeaseFence(EngineConfig config) {
        this(config.leaseDuration(), config.leaseSafetyMargin().orElse(config.leaseDuration().dividedBy(3)));
    }

    LeaseFence(Duration lease, Duration margin) {
        if (margin.isNegative() || margin.isZero() || margin.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("cloudops.engine.lease-safety-margin (" + margin
                    + ") must be positive and shorter than cloudops.engine.lease-duration (" + lease + ")");
        }
        this.lease = lease;
        this.margin = margin;
    }

    /** How long before the lease could expire a run that failed to renew stops acting. */
    public Duration safetyMargin() {
        return margin;
    }

    /** The lease duration this rule is computed for. */
    public Duration leaseDuration() {
        return lease;
    }

    /** How often leases are renewed: three attempts fit between a successful renewal and its deadline. */
    Duration renewInterval() {
        return max(Duration.ofMillis(20), lease.minus(margin).dividedBy(3));
    }

    /** How often running leases are checked against their deadline (a small part of the margin). */
    Duration checkInterval() {
        Duration quarter = margin.dividedBy(4);
        return max(Duration.ofMillis(10),
                quarter.compareTo(Duration.ofMillis(250)) > 0 ? Duration.ofMillis(250) : quarter);
    }

    /** Whether a run whose last successful renewal was sent at {@code renewalSentNanos} must stop now. */
    boolean isOverdue(long renewalSentNanos, long nowNanos) {
        return nowNanos - renewalSentNanos >= lease.minus(margin).toNanos();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
