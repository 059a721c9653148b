package io.cloudops.orchestrator.engine;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskEvent;

/**
 * The state of one run of a task (one attempt, under one claim token) and the bookkeeping not yet
 * written: step changes, log lines, events and artifacts. The executor records into it; the store
 * writes it in one transaction at a flush, so a task of many short steps costs a few commits.
 * Thread-safe: the step's thread records while the flusher may write.
 */
public final class RunJournal {

    /** A step as this run knows it. */
    public static final class Step {
        final int index;
        final String name;
        StepStatus status;
        int percent;
        String message;
        Instant startedAt;
        Instant finishedAt;

        Step(int index, String name, StepStatus status, int percent, String message, Instant startedAt,
                Instant finishedAt) {
            this.index = index;
            this.name = name;
            this.status = status;
            this.percent = percent;
            this.message = message;
            this.startedAt = startedAt;
            this.finishedAt = finishedAt;
        }

        public String name() {
            return name;
        }

        public StepStatus status() {
            return status;
        }
    }

    record LogLine(long line, Instant ts, String step, String message) {
    }

    record Artifact(UUID id, String kind, String uri, long sizeBytes, String sha256,
            java.util.Map<String, String> metadata,
            Instant createdAt) {
    }

    /** What a flush takes out of the journal. */
    record Pending(List<Step> steps, List<LogLine> logs, List<TaskEvent> events, List<Artifact> artifacts,
            long eventSeq,
            long logSeq) {
        boolean isEmpty() {
            return steps.isEmpty() && logs.isEmpty() && events.isEmpty() && artifacts.isEmpty();
        }
    }

    final UUID taskId;
    final String type;
    final String entityId;
    final JsonNode payload;
    final int attempt;
    final int maxAttempts;
    final UUID claimToken;
    final List<Step> steps;
    /** The seq of this run's "running" event. */
    final long startEventSeq;
    /** The W3C trace context of the request that accepted the task, or null. */
    final String traceparent;

    private long eventSeq;
    private long logSeq;
    private final Set<Step> dirtySteps = new LinkedHashSet<>();
    private final List<LogLine> logs = new ArrayList<>();
    private final List<TaskEvent> events = new ArrayList<>();
    private final List<Artifact> artifacts = new ArrayList<>();
    private volatile boolean cancelRequested;
    private volatile long lastFlushNanos = System.nanoTime();
    /** When the last successful renewal of this run's lease was sent ({@link System#nanoTime()}); see {@link LeaseFence}. */
    private final AtomicLong leaseRenewalSentNanos = new AtomicLong(System.nanoTime());
    /** Set once, by the lease watchdog: from then on this run writes nothing. Never cleared. */
    private final AtomicBoolean fenced = new AtomicBoolean();
    /** The thread running this run's steps, to interrupt when it is fenced off. */
    private volatile Thread runner;

    RunJournal(UUID taskId, String type, String entityId, JsonNode payload, int attempt, int maxAttempts,
            UUID claimToken,
            List<Step> steps, long eventSeq, long logSeq, boolean cancelRequested, String traceparent) {
        this.traceparent = traceparent;
        this.taskId = taskId;
        this.type = type;
        this.entityId = entityId;
        this.payload = payload;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
        this.claimToken = claimToken;
        this.steps = steps;
        this.startEventSeq = eventSeq;
        this.eventSeq = eventSeq;
        this.logSeq = logSeq;
        this.cancelRequested = cancelRequested;
    }

    public UUID taskId() {
        return taskId;
    }

    public String entityId() {
        return entityId;
    }

    public String type() {
        return type;
    }

    public int attempt() {
        return attempt;
    }

    long eventSeqAtStart() {
        return startEventSeq;
    }

    public synchronized void stepStatus(Step step, StepStatus next, String message) {
        Instant now = now();
        step.status = step.status.checkTransition(next);
        if (next == StepStatus.RUNNING) {
            step.startedAt = now;
            step.finishedAt = null;
            step.percent = 0;
        } else if (next.isTerminal()) {
            step.finishedAt = now;
            if (next == StepStatus.SUCCEEDED) {
                step.percent = 100;
            }
        } else {
            step.startedAt = null;
            step.finishedAt = null;
            step.percent = 0;
        }
        step.message = message;
        dirtySteps.add(step);
        events.add(new TaskEvent(taskId, ++eventSeq, TaskEvent.KIND_STEP, step.name, next.value(), message,
                step.percent, now));
    }

    public synchronized void progress(Step step, int percent, String message) {
        step.percent = Math.max(0, Math.min(100, percent));
        step.message = message;
        dirtySteps.add(step);
        events.add(new TaskEvent(taskId, ++eventSeq, TaskEvent.KIND_STEP, step.name, step.status.value(), message,
                step.percent,
                now()));
    }

    public synchronized void log(String step, String line) {
        String bounded = line.length() > 4000 ? line.substring(0, 3997) + "..." : line;
        Instant now = now();
        logs.add(new LogLine(++logSeq, now, step, bounded));
        events.add(new TaskEvent(taskId, ++eventSeq, TaskEvent.KIND_LOG, step, null, bounded, null, now));
    }

    public synchronized UUID artifact(String kind, String uri, long sizeBytes, String sha256,
            java.util.Map<String, String> metadata) {
        UUID id = UUID.randomUUID();
        artifacts.add(new Artifact(id, kind, uri, sizeBytes, sha256, java.util.Map.copyOf(metadata), now()));
        return id;
    }

    /** Records a status change of the task itself (written with the run's final bookkeeping). */
    synchronized TaskEvent taskEvent(String status, String message) {
        TaskEvent event = new TaskEvent(taskId, ++eventSeq, TaskEvent.KIND_TASK, null, status, message, null, now());
        events.add(event);
        return event;
    }

    synchronized Pending drain() {
        Pending pending = new Pending(List.copyOf(dirtySteps), List.copyOf(logs), List.copyOf(events),
                List.copyOf(artifacts),
                eventSeq, logSeq);
        dirtySteps.clear();
        logs.clear();
        events.clear();
        artifacts.clear();
        lastFlushNanos = System.nanoTime();
        return pending;
    }

    synchronized boolean isDirty() {
        return !dirtySteps.isEmpty() || !logs.isEmpty() || !events.isEmpty() || !artifacts.isEmpty();
    }

    long nanosSinceFlush() {
        return System.nanoTime() - lastFlushNanos;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    /** The claim that started this run took the lease; its statement was sent at {@code sentNanos}. */
    void leaseTaken(long sentNanos) {
        leaseRenewalSentNanos.set(sentNanos);
    }

    /** A renewal of this run's lease sent at {@code sentNanos} succeeded (renewals may complete out of order). */
    void leaseRenewed(long sentNanos) {
        leaseRenewalSentNanos.accumulateAndGet(sentNanos, Math::max);
    }

    long leaseRenewalSentNanos() {
        return leaseRenewalSentNanos.get();
    }

    /**
     * Fences this run off: it may no longer write, and its step thread is interrupted. Returns
     * false if it was fenced already. Never blocks (the step thread may be stuck in a statement).
     */
    boolean fence() {
        if (!fenced.compareAndSet(false, true)) {
            return false;
        }
        // under the lock of runOn: once the step thread has let go of this run, no interrupt reaches it
        synchronized (fenced) {
            if (runner != null) {
                runner.interrupt();
            }
        }
        return true;
    }

    /** Whether the lease watchdog fenced this run off: nothing of it may be written any more. */
    public boolean isFenced() {
        return fenced.get();
    }

    /** The step thread takes on ({@code thread}) or lets go of ({@code null}) this run. */
    void runOn(Thread thread) {
        synchronized (fenced) {
            runner = thread;
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
