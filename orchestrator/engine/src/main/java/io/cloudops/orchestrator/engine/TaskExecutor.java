package io.cloudops.orchestrator.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.common.task.StepStatus;
import io.cloudops.common.task.TaskEvent;
import io.cloudops.orchestrator.client.TaskEventBus;
import io.cloudops.orchestrator.handler.HandlerRegistry;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.TaskCancelledException;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.cloudops.orchestrator.telemetry.EngineMetrics.FencingReason;
import io.cloudops.orchestrator.telemetry.EngineMetrics.RunOutcome;
import io.cloudops.orchestrator.telemetry.TaskTracing;

/**
 * Runs the next task of an entity: a pipeline of small steps (claim, resolve handler, run the
 * steps, finish) each of which hands its result to the next. Errors of a handler are captured into
 * the task's ending; nothing a handler does escapes into the session loop.
 */
@ApplicationScoped
public class TaskExecutor {

    private static final Logger LOG = Logger.getLogger(TaskExecutor.class);

    /** What one call of {@link #runNext} did, for the session loop. */
    public sealed interface Outcome {
        record Ran(TaskStore.Finished finished) implements Outcome {
        }

        record Idle() implements Outcome {
        }

        record Waiting(java.time.Instant until) implements Outcome {
        }

        record Busy() implements Outcome {
        }

        /** A crashed run was recovered or the claim was lost: look again. */
        record Again() implements Outcome {
        }

        /**
         * The run could not renew its lease in time and was abandoned without writing anything: the
         * task stays {@code running} under its old claim token, and the entity must not be claimed
         * again, by this process either, before that lease has expired; recovery then takes over.
         */
        record Abandoned() implements Outcome {
        }
    }

    private final TaskStore store;
    private final HandlerRegistry handlers;
    private final TaskEventBus events;
    private final EngineConfig config;
    private final LeaseFence fence;
    private final EngineMetrics metrics;
    private final TaskTracing tracing;
    private final Map<UUID, RunJournal> running = new ConcurrentHashMap<>();

    TaskExecutor(TaskStore store, HandlerRegistry handlers, TaskEventBus events, EngineConfig config,
            LeaseFence fence, EngineMetrics metrics, TaskTracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.store = store;
        this.handlers = handlers;
        this.events = events;
        this.config = config;
        this.fence = fence;
    }

    /** Claims the entity's next task and runs it; with {@code chain}, also claims the one after it. */
    public Outcome runNext(String entityId, String owner, boolean chain) {
        return runNext(entityId, owner, chain, false);
    }

    /**
     * {@link #runNext(String, String, boolean)}; with {@code onlyIfExpired} the entity is claimed
     * only once its lease has expired, even if this process holds it (after an abandoned run).
     */
    public Outcome runNext(String entityId, String owner, boolean chain, boolean onlyIfExpired) {
        return handle(store.claimNext(entityId, owner, onlyIfExpired), owner, chain);
    }

    /** Acts on a claim (from {@link #runNext} or chained from the previous task's finish). */
    public Outcome handle(TaskStore.Claim claim, String owner, boolean chain) {
        return switch (claim) {
            case TaskStore.Claim.Claimed c -> execute(c.run(), owner, chain);
            case TaskStore.Claim.Empty e -> new Outcome.Idle();
            case TaskStore.Claim.WaitUntil w -> new Outcome.Waiting(w.at());
            case TaskStore.Claim.Busy b -> new Outcome.Busy();
            case TaskStore.Claim.Recovered r -> {
                // committed: the crashed run's lease was taken over, the attempt counted
                metrics.leaseTakeover();
                if (r.requeued()) {
                    metrics.retried(r.type());
                } else {
                    metrics.deadLettered(r.type());
                }
                events.publishAll(r.events());
                yield new Outcome.Again();
            }
        };
    }

    /** Runs a claimed task inside its span (child of the accepting request) and records its metrics. */
    private Outcome execute(RunJournal run, String owner, boolean chain) {
        metrics.taskStarted(run.type);
        long started = System.nanoTime();
        try (TaskTracing.Run trace = tracing.startRun(run.taskId, run.type, run.entityId, run.attempt,
                run.traceparent)) {
            RunOutcome result = RunOutcome.ERROR;
            String error = "the database failed while the run was finishing; recovery takes over";
            LOG.debugf("Task %s (%s) attempt %d of %d started on %s", run.taskId, run.type, run.attempt,
                    run.maxAttempts, owner);
            try {
                Outcome outcome = executeRun(run, owner, chain, trace);
                result = switch (outcome) {
                    case Outcome.Ran r -> switch (r.finished().status()) {
                        case SUCCEEDED -> RunOutcome.SUCCEEDED;
                        case CANCELLED -> RunOutcome.CANCELLED;
                        case QUEUED -> RunOutcome.RETRYING;
                        case DEAD_LETTERED -> RunOutcome.DEAD_LETTERED;
                        default -> RunOutcome.FAILED;
                    };
                    case Outcome.Abandoned a -> RunOutcome.ABANDONED;
                    default -> RunOutcome.LOST_CLAIM;
                };
                error = switch (result) {
                    case SUCCEEDED, CANCELLED -> null;
                    case ABANDONED -> "lease not renewed in time: run fenced off";
                    case LOST_CLAIM -> "another orchestrator took the task over";
                    default -> ((Outcome.Ran) outcome).finished().statusEvent().message();
                };
                return outcome;
            } finally {
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                trace.outcome(result.tag(), error);
                metrics.taskFinished(run.type, result, took);
                LOG.debugf("Task %s attempt %d: %s in %d ms", run.taskId, run.attempt, result.tag(), took.toMillis());
            }
        }
    }

    private Outcome executeRun(RunJournal run, String owner, boolean chain, TaskTracing.Run trace) {
        running.put(run.taskId, run);
        run.runOn(Thread.currentThread());
        try {
            events.publishAll(
                    List.of(new TaskEvent(run.taskId, run.eventSeqAtStart(), TaskEvent.KIND_TASK, null, "running",
                            TaskClaims.runningMessage(run.attempt, run.maxAttempts, owner), null, RunJournal.now())));
            TaskStore.Ending ending = handlers.find(run.type)
                    .map(handler -> runSteps(handler, run, owner, trace))
                    .orElseGet(() -> new TaskStore.Ending.Failed("no handler for task type " + run.type,
                            "This orchestrator does not know the task type; deploy a version that does", true));
            if (run.isFenced()) {
                return abandoned(run);
            }
            TaskStore.Finished finished = store.finish(run, owner, ending, chain);
            events.publishAll(finished.events());
            return new Outcome.Ran(finished);
        } catch (TaskStore.LostClaimException e) {
            metrics.fencingRejection(FencingReason.LOST_CLAIM);
            LOG.warnf("Task %s: %s; another orchestrator recovered it", run.taskId, e.getMessage());
            return new Outcome.Again();
        } catch (RuntimeException e) {
            if (run.isFenced()) {
                return abandoned(run); // e.g. a flush that failed on the stalled database, or refused once fenced
            }
            throw e;
        } finally {
            running.remove(run.taskId, run);
            run.runOn(null);
            if (run.isFenced()) {
                // the watchdog's interrupt was for this run only; the worker goes on with other sessions
                Thread.interrupted();
            }
        }
    }

    private Outcome abandoned(RunJournal run) {
        LOG.warnf("Task %s attempt %d abandoned: its lease on %s could not be renewed in time; nothing of this "
                + "attempt is written, recovery takes over once the lease has expired", run.taskId, run.attempt,
                run.entityId);
        return new Outcome.Abandoned();
    }

    private TaskStore.Ending runSteps(TaskHandler handler, RunJournal run, String owner, TaskTracing.Run trace) {
        for (RunJournal.Step step : run.steps) {
            if (run.isFenced()) {
                break; // the caller abandons the run; what this loop records is never written
            }
            if (step.status() == StepStatus.SUCCEEDED) {
                continue; // done by an earlier attempt: steps are resumed, not repeated
            }
            if (run.isCancelRequested()) {
                return new TaskStore.Ending.Cancelled();
            }
            if (step.status() != StepStatus.PENDING) {
                run.stepStatus(step, StepStatus.PENDING, "retrying");
            }
            run.stepStatus(step, StepStatus.RUNNING, null);
            flushIfDue(run, owner);
            long started = System.nanoTime();
            TaskStore.Ending ended;
            try (TaskTracing.Step span = trace.step(step.name())) {
                ended = runStep(handler, run, step);
                String outcome = switch (ended) {
                    case null -> "succeeded";
                    case TaskStore.Ending.Cancelled c -> "cancelled";
                    default -> "failed";
                };
                if (ended instanceof TaskStore.Ending.Failed f) {
                    span.outcome(outcome, f.message());
                    LOG.infof("Task %s attempt %d of %d: step %s failed%s: %s", run.taskId, run.attempt,
                            run.maxAttempts, step.name(), f.permanent() ? " permanently" : "", f.message());
                } else {
                    span.outcome(outcome, null);
                }
                metrics.stepFinished(run.type, step.name(), outcome, Duration.ofNanos(System.nanoTime() - started));
            }
            if (ended != null) {
                return ended;
            }
            if (step != run.steps.getLast()) {
                flushIfDue(run, owner); // after the last step the finish writes it, in the same round trip
            }
        }
        return new TaskStore.Ending.Succeeded();
    }

    /** Runs one step's handler; returns null when it succeeded, else how the run ends. */
    private TaskStore.Ending runStep(TaskHandler handler, RunJournal run, RunJournal.Step step) {
        try {
            handler.run(new RunStepContext(run, step));
            run.stepStatus(step, StepStatus.SUCCEEDED, step.message);
            return null;
        } catch (TaskCancelledException e) {
            run.stepStatus(step, StepStatus.SKIPPED, "cancelled");
            return new TaskStore.Ending.Cancelled();
        } catch (PermanentTaskException e) {
            run.stepStatus(step, StepStatus.FAILED, e.getMessage());
            return new TaskStore.Ending.Failed(step.name() + ": " + e.getMessage(), e.hint(), true);
        } catch (InterruptedException e) {
            // fenced off: the caller abandons the run (nothing written). Otherwise the engine is stopping:
            // record a transient failure so the task is retried soon, without waiting for its lease to expire
            Thread.currentThread().interrupt();
            run.stepStatus(step, StepStatus.FAILED, "interrupted");
            return new TaskStore.Ending.Failed(step.name() + ": interrupted (orchestrator shutting down)", null,
                    false);
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            run.stepStatus(step, StepStatus.FAILED, message);
            return new TaskStore.Ending.Failed(step.name() + ": " + message, null, false);
        }
    }

    /** Writes the journal when the flush interval has passed, so that long tasks show progress live. */
    void flushIfDue(RunJournal run, String owner) {
        // one flush at a time per run (step thread or timer), so events are published in seq order
        synchronized (run) {
            if (!run.isFenced() && run.isDirty() && run.nanosSinceFlush() >= config.flushInterval().toNanos()) {
                events.publishAll(store.flush(run, owner));
            }
        }
    }

    /** Called by the engine's timer for runs whose step is taking long: flush what they recorded. */
    void flushStale(String owner) {
        for (RunJournal run : running.values()) {
            try {
                flushIfDue(run, owner);
            } catch (RuntimeException e) {
                LOG.debugf("Background flush of task %s failed: %s", run.taskId, e.getMessage());
            }
        }
    }

    /**
     * Renews the leases of the runs of this process, and notes for each renewed one when the renewal
     * was sent (the moment its new deadline counts from). Called by the engine's lease renewer.
     */
    void renewLeases(String owner) {
        List<RunJournal> runs = List.copyOf(running.values());
        if (runs.isEmpty()) {
            return;
        }
        long sent = System.nanoTime();
        Set<String> renewed = store.renewLeases(owner, runs.stream().map(RunJournal::entityId).toList(),
                fence.safetyMargin());
        for (RunJournal run : runs) {
            if (renewed.contains(run.entityId)) {
                run.leaseRenewed(sent);
            }
        }
    }

    /**
     * Fences off every run whose lease could expire before another renewal lands ({@link LeaseFence}):
     * it is interrupted, leaves the set of running runs (no renewal, no background flush) and may write
     * nothing more. Never blocks; called by the engine's lease watchdog. Returns how many were fenced.
     */
    int fenceOverdue() {
        long now = System.nanoTime();
        int fenced = 0;
        for (RunJournal run : running.values()) {
            if (fence.isOverdue(run.leaseRenewalSentNanos(), now) && run.fence()) {
                running.remove(run.taskId, run);
                fenced++;
                metrics.fencingRejection(FencingReason.FENCED);
                LOG.warnf(
                        "Task %s: no lease renewal of %s succeeded for %d ms (lease %s, margin %s): fencing the run off",
                        run.taskId, run.entityId, (now - run.leaseRenewalSentNanos()) / 1_000_000,
                        fence.leaseDuration(), fence.safetyMargin());
            }
        }
        return fenced;
    }

    /** Marks a run of this process as cancelled at once (the database flag reaches other processes). */
    public boolean requestCancelLocally(UUID taskId) {
        RunJournal run = running.get(taskId);
        if (run != null) {
            run.requestCancel();
            return true;
        }
        return false;
    }
}
