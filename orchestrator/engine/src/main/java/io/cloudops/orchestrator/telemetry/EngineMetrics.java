package io.cloudops.orchestrator.telemetry;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's counters, timers and distributions, in whichever service runs the engine (the
 * Prometheus names, with the {@code cloudops_} prefix, are listed in docs/operating.md). Tags are
 * low-cardinality only: task type, step name (declared by the handlers), outcome, channel, reason;
 * never a task or entity id (those go on spans and log lines).
 *
 * <p>
 * Meters without tags, and the fixed tag values of the rare events (takeovers, fencing, sweeps), are
 * registered at start so that a scrape shows them at zero before the first occurrence: a rate or an
 * alert over a series that does not exist yet sees nothing.
 */
@ApplicationScoped
public class EngineMetrics {

    /** Outcome of a run (one attempt) as the duration metrics tag it. */
    public enum RunOutcome {
        SUCCEEDED, FAILED, CANCELLED,
        /** The attempt failed and the task was queued again for a retry after back-off. */
        RETRYING, DEAD_LETTERED,
        /** Fenced off (lease not renewed in time): nothing written, recovery takes over. */
        ABANDONED,
        /** Another process took the task over while this run was finishing (its claim token no longer matched). */
        LOST_CLAIM,
        /** The database failed while the run was finishing: the task stays running until recovery takes over. */
        ERROR;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a run's write was refused by the fencing of leases and claim tokens. */
    public enum FencingReason {
        /** The watchdog fenced the run off before its lease could expire. */
        FENCED,
        /** A write named a claim token that another run had replaced. */
        LOST_CLAIM;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final String TASKS_ACCEPTED = "cloudops.tasks.accepted";
    static final String TASKS_STARTED = "cloudops.tasks.started";
    static final String TASK_DURATION = "cloudops.task.duration";
    static final String STEP_DURATION = "cloudops.step.duration";
    static final String TASK_RETRIES = "cloudops.task.retries";
    static final String TASKS_DEAD_LETTERED = "cloudops.tasks.dead.lettered";
    static final String TASKS_EXPIRED = "cloudops.tasks.expired";
    static final String TASKS_SUPERSEDED = "cloudops.tasks.superseded";
    static final String LEASE_TAKEOVERS = "cloudops.lease.takeovers";
    static final String FENCING_REJECTIONS = "cloudops.lease.fencing.rejections";
    static final String SWEEPS = "cloudops.recovery.sweeps";
    static final String SWEEP_SIGNALLED = "cloudops.recovery.signalled.entities";
    static final String GROUP_COMMIT_BATCH = "cloudops.group.commit.batch.size";
    static final String PUBLISH_FAILURES = "cloudops.channel.publish.failures";
    static final String NOTIFICATION_ATTEMPTS = "cloudops.notification.attempts";

    /** Outcome of one notification attempt as the notification metric tags it. */
    public enum NotificationOutcome {
        /** Delivered (or, in demo mode without SMTP, logged as simulated). */
        SENT,
        /** Failed; another attempt is due after back-off. */
        RETRYING,
        /** Failed for good: the last attempt, or a refusal that no retry can change. */
        FAILED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Route kinds registered at start, so that an alert on failures sees a zero series before the first send. */
    private static final List<String> NOTIFICATION_ROUTES = List.of("teams", "email", "slack", "pagerduty");

    /**
     * Histogram buckets of runs and steps: from short diagnostic steps to hour-long database tools, a
     * dozen per series (Micrometer's percentile histogram would publish ~70), since steps multiply the series.
     */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final DistributionSummary batchSizes;
    private final Counter takeovers;
    private final Counter sweepsOk;
    private final Counter sweepsFailed;
    private final Counter signalled;

    EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSizes = DistributionSummary.builder(GROUP_COMMIT_BATCH)
                .description("Tasks written by one group-committed accept transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(registry);
        this.takeovers = Counter.builder(LEASE_TAKEOVERS)
                .description(
                        "Runs recovered after their orchestrator stopped renewing the entity lease (crash, partition)")
                .register(registry);
        for (FencingReason reason : FencingReason.values()) {
            fencing(reason);
        }
        this.sweepsOk = sweeps("ok");
        this.sweepsFailed = sweeps("failed");
        this.signalled = Counter.builder(SWEEP_SIGNALLED)
                .description("Entities with due work and no live lease that a recovery sweep signalled")
                .register(registry);
        for (String route : NOTIFICATION_ROUTES) {
            for (NotificationOutcome outcome : NotificationOutcome.values()) {
                notificationAttempts(route, outcome);
            }
        }
    }

    /** One attempt to send a notification over a route ({@code teams}, {@code email}) ended so. */
    public void notificationAttempt(String route, NotificationOutcome outcome) {
        notificationAttempts(route, outcome).increment();
    }

    private Counter notificationAttempts(String route, NotificationOutcome outcome) {
        return Counter.builder(NOTIFICATION_ATTEMPTS)
                .description("Notification send attempts by route kind and outcome (sent, retrying, failed)")
                .tag("route", route).tag("outcome", outcome.tag()).register(registry);
    }

    /** A task was accepted (committed) by this process. */
    public void taskAccepted(String type) {
        Counter.builder(TASKS_ACCEPTED).description("Tasks accepted (committed) by this process")
                .tag("type", type).register(registry).increment();
    }

    /** A run of a task started in this process. */
    public void taskStarted(String type) {
        Counter.builder(TASKS_STARTED).description("Runs (attempts) of tasks started by this process")
                .tag("type", type).register(registry).increment();
    }

    /** A run ended: how long it took and how it ended (retries and dead letters are also counted on their own). */
    public void taskFinished(String type, RunOutcome outcome, Duration duration) {
        Timer.builder(TASK_DURATION).description("Duration of one run (attempt) of a task, by type and outcome")
                .tags("type", type, "outcome", outcome.tag()).serviceLevelObjectives(BUCKETS)
                .register(registry).record(duration);
        if (outcome == RunOutcome.RETRYING) {
            retried(type);
        } else if (outcome == RunOutcome.DEAD_LETTERED) {
            deadLettered(type);
        }
    }

    /** A step's handler returned (succeeded) or threw (failed, cancelled). */
    public void stepFinished(String type, String step, String outcome, Duration duration) {
        Timer.builder(STEP_DURATION).description("Duration of one step of a run, by task type, step and outcome")
                .tags("type", type, "step", step, "outcome", outcome).serviceLevelObjectives(BUCKETS)
                .register(registry).record(duration);
    }

    /** A failed attempt was queued again (also a crashed run recovered with attempts left). */
    public void retried(String type) {
        Counter.builder(TASK_RETRIES).description("Failed attempts queued again for a retry")
                .tag("type", type).register(registry).increment();
    }

    /** A task exhausted its attempts and went to the dead-letter queue. */
    public void deadLettered(String type) {
        Counter.builder(TASKS_DEAD_LETTERED).description("Tasks dead-lettered after their last attempt")
                .tag("type", type).register(registry).increment();
    }

    /** Queued tasks ended {@code expired} by the queue's maximum age (QUEUE_MAX_AGE). */
    public void expired(String type, int count) {
        Counter.builder(TASKS_EXPIRED).description("Queued tasks that expired before they started")
                .tag("type", type).register(registry).increment(count);
    }

    /** Queued tasks ended {@code superseded} by a newer request (busy policy replace-pending). */
    public void superseded(String type, int count) {
        Counter.builder(TASKS_SUPERSEDED).description("Queued tasks replaced by a newer request of their type")
                .tag("type", type).register(registry).increment(count);
    }

    /** A run whose orchestrator lost the entity lease was taken over by this process. */
    public void leaseTakeover() {
        takeovers.increment();
    }

    /** A write of a run was refused by the lease fence or the claim token. */
    public void fencingRejection(FencingReason reason) {
        fencing(reason).increment();
    }

    /** One recovery sweep ran; {@code signalled} entities had due work nobody held. */
    public void sweep(boolean ok, int signalledEntities) {
        (ok ? sweepsOk : sweepsFailed).increment();
        signalled.increment(signalledEntities);
    }

    /** One group-committed transaction wrote {@code size} accepted tasks. */
    public void groupCommitBatch(int size) {
        batchSizes.record(size);
    }

    /** A wake-up was not accepted by the broker (the sweeper dispatches the task later). */
    public void publishFailure(String channel) {
        publishFailures(channel).increment();
    }

    /** Registers the publish-failure counter of {@code channel} at zero. */
    public void registerChannel(String channel) {
        publishFailures(channel);
    }

    private Counter publishFailures(String channel) {
        return Counter.builder(PUBLISH_FAILURES)
                .description(
                        "Task wake-ups the channel did not deliver to the broker (dispatched later by the sweeper)")
                .tag("channel", channel).register(registry);
    }

    private Counter fencing(FencingReason reason) {
        return Counter.builder(FENCING_REJECTIONS)
                .description(
                        "Writes of runs refused by lease fencing: fenced off by the watchdog, or a lost claim token")
                .tag("reason", reason.tag()).register(registry);
    }

    private Counter sweeps(String outcome) {
        return Counter.builder(SWEEPS).description("Recovery sweeps run, by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
