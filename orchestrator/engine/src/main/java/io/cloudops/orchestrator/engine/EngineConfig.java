package io.cloudops.orchestrator.engine;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Scheduling, retry and retention settings of the engine. The service's
 * {@code application.properties} maps the product's environment variables
 * ({@code MAX_CONCURRENT_SESSIONS}, {@code TASK_MAX_ATTEMPTS}, ...) onto these keys.
 */
@ConfigMapping(prefix = "cloudops.engine")
public interface EngineConfig {

    /**
     * Whether this process runs tasks. True for the orchestrator and the embedded default; a
     * control-api that only accepts tasks (production, separate services) sets it to false.
     */
    @WithDefault("true")
    boolean enabled();

    /** {@code MAX_CONCURRENT_SESSIONS}: entities (sessions) whose tasks run at the same time in this process. */
    @WithDefault("8")
    int maxConcurrentSessions();

    /**
     * {@code MAX_MESSAGES_PER_SESSION}: tasks a session runs in a row before it yields its slot to
     * waiting sessions, so one busy resource cannot starve the others.
     */
    @WithDefault("16")
    int maxMessagesPerSession();

    /** Retry policy of transient failures. */
    Retry retry();

    /**
     * {@code TASK_LEASE_DURATION}: how long an entity lease lasts without renewal. A crashed
     * orchestrator's tasks are recovered after at most this long; a live one renews three times
     * within {@code lease-duration - lease-safety-margin} (see {@link LeaseFence}).
     */
    @WithDefault("15s")
    Duration leaseDuration();

    /**
     * {@code TASK_LEASE_SAFETY_MARGIN}: a run that could not renew its lease stops acting this long
     * before the lease can expire (self-fencing: it is interrupted and abandoned, writing nothing).
     * Unset: a third of {@link #leaseDuration()}. Must be shorter than the lease, and longer than
     * the database socket timeout so that one hung renewal cannot outlast it.
     */
    Optional<Duration> leaseSafetyMargin();

    /**
     * {@code TASK_ACCEPT_COMMIT_TIMEOUT}: how long an accept waits for the group commit holding its
     * task. A caller still waiting for a writer then gives up with nothing written; a caller whose
     * task is being committed learns that the outcome is unknown.
     */
    @WithDefault("10s")
    Duration acceptCommitTimeout();

    /** How often the sweeper recovers expired leases and re-dispatches due tasks nobody holds. */
    @WithDefault("2s")
    Duration sweepInterval();

    /** Log lines kept per task (the oldest are dropped). */
    @WithDefault("1000")
    int maxLogLinesPerTask();

    /**
     * Step bookkeeping of a running task is written at most this often (and always at the end of the
     * task), so that a task of many short steps costs a few transactions, not one per change.
     */
    @WithDefault("100ms")
    Duration flushInterval();

    /** How long idempotency keys are kept (at least 24 hours). */
    @WithDefault("48h")
    Duration idempotencyRetention();

    /** Entities waiting for a free session slot that this process remembers; beyond it the sweeper finds them. */
    @WithDefault("100000")
    int maxReadySessions();

    /**
     * Transactions of the engine's group commit in flight at once: the claims and finishes of sessions
     * that arrive while these are busy wait and share the next one. One is the fastest measured on two
     * cores (bench/run.sh: 3,304 against 3,014 tasks/s with two, 32 sessions), with the fewest commits.
     */
    @WithDefault("1")
    int batchWriters();

    /** Claims and finishes written in one transaction of the group commit, at most. */
    @WithDefault("64")
    int maxBatch();

    interface Retry {
        /** {@code TASK_MAX_ATTEMPTS}: attempts before a task is dead-lettered. */
        @WithDefault("5")
        int maxAttempts();

        /** {@code TASK_BACKOFF_INITIAL_MS}: upper bound of the first back-off. */
        @WithDefault("1000")
        long backoffInitialMs();

        /** {@code TASK_BACKOFF_MULTIPLIER}: growth of the upper bound per attempt. */
        @WithDefault("2.0")
        double backoffMultiplier();

        /** {@code TASK_BACKOFF_MAX_MS}: cap of the upper bound. */
        @WithDefault("60000")
        long backoffMaxMs();
    }
}
