package io.cloudops.orchestrator.engine;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * Azure-Service-Bus-style session scheduling in this process. A signal says "entity E may have
 * work"; the dispatcher keeps one FIFO of ready sessions and {@code MAX_CONCURRENT_SESSIONS}
 * workers that each take a session, run its tasks one after another (in queue order, under the
 * entity's database lease) and let go after {@code MAX_MESSAGES_PER_SESSION} tasks when others are
 * waiting. A session is never run by two workers: its state is ready, active or active-and-signalled,
 * changed atomically.
 *
 * <p>
 * Memory stays bounded: the ready FIFO holds each entity at most once and at most
 * {@code max-ready-sessions} of them; a signal beyond that is dropped and the sweeper, which reads
 * the database, re-signals it later.
 *
 * <p>
 * Leases are renewed on a thread of their own, and a watchdog thread that never touches the
 * database fences off runs whose lease could expire before a renewal lands ({@link LeaseFence}):
 * a stalled renewal cannot delay the fencing, and a stalled step cannot delay either.
 */
@ApplicationScoped
public class SessionDispatcher {

    private static final Logger LOG = Logger.getLogger(SessionDispatcher.class);

    private enum State {
        READY, ACTIVE,
        /** Active, and signalled again meanwhile: look once more before letting go. */
        ACTIVE_SIGNALLED
    }

    private final TaskExecutor executor;
    private final TaskStore store;
    private final EngineConfig config;
    private final LeaseFence fence;
    private final String owner;
    /**
     * Entities whose run this process abandoned: their old lease, under this process's owner name,
     * must expire before this process claims them again (the claim would otherwise renew it at once).
     */
    private final Set<String> fencedOff = ConcurrentHashMap.newKeySet();
    private final Map<String, State> sessions = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final Map<String, ScheduledFuture<?>> wakeUps = new ConcurrentHashMap<>();
    private final AtomicInteger activeCount = new AtomicInteger();
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private ScheduledExecutorService leases;
    private volatile boolean stopping;

    SessionDispatcher(TaskExecutor executor, TaskStore store, EngineConfig config, LeaseFence fence) {
        this.executor = executor;
        this.store = store;
        this.config = config;
        this.fence = fence;
        this.owner = ownerName();
    }

    /** Starts the workers and the timer (flushes, lease renewal, retry wake-ups). Idempotent. */
    public synchronized void start() {
        if (workers != null) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        // the owner's random suffix tells the engines of one JVM apart in thread dumps and logs
        String suffix = owner.substring(owner.lastIndexOf('/') + 1);
        workers = Executors.newFixedThreadPool(config.maxConcurrentSessions(), r -> {
            Thread t = new Thread(r, "session-worker-" + n.incrementAndGet() + "-" + suffix);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < config.maxConcurrentSessions(); i++) {
            workers.submit(this::workLoop);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-timer");
            t.setDaemon(true);
            return t;
        });
        long flushMs = Math.max(10, config.flushInterval().toMillis());
        timer.scheduleWithFixedDelay(() -> executor.flushStale(owner), flushMs, flushMs, TimeUnit.MILLISECONDS);
        // two threads, so that neither a hung renewal (bounded by the safety margin) nor a busy timer delays the
        // fencing watchdog: the renewer sends renewals, the watchdog only compares clocks and interrupts
        leases = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "engine-lease-" + n.incrementAndGet() + "-" + suffix);
            t.setDaemon(true);
            return t;
        });
        long renewMs = fence.renewInterval().toMillis();
        leases.scheduleAtFixedRate(this::renewLeases, renewMs, renewMs, TimeUnit.MILLISECONDS);
        long checkMs = fence.checkInterval().toMillis();
        leases.scheduleWithFixedDelay(this::fenceOverdue, checkMs, checkMs, TimeUnit.MILLISECONDS);
        LOG.infof("Task engine started: %d concurrent sessions, %d tasks per session turn, owner %s, lease %s "
                + "renewed every %d ms, runs fenced off %s before it could expire", config.maxConcurrentSessions(),
                config.maxMessagesPerSession(), owner, fence.leaseDuration(), renewMs, fence.safetyMargin());
    }

    @PreDestroy
    synchronized void stop() {
        stopping = true;
        if (workers != null) {
            timer.shutdownNow();
            leases.shutdownNow();
            workers.shutdownNow();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The lease owner name of this process. */
    public String owner() {
        return owner;
    }

    /** Sessions running right now in this process. */
    public int activeSessions() {
        return activeCount.get();
    }

    /** Whether the dispatcher remembers as many sessions as it may: a signal for a new entity would be dropped. */
    public boolean readyFull() {
        return sessions.size() >= config.maxReadySessions();
    }

    /** Entity {@code entityId} may have runnable work. Cheap and non-blocking; safe from any thread. */
    public void signal(String entityId) {
        boolean[] enqueue = {false};
        sessions.compute(entityId, (id, state) -> {
            if (state == null) {
                if (sessions.size() >= config.maxReadySessions()) {
                    return null; // bounded: the sweeper will signal it again
                }
                enqueue[0] = true;
                return State.READY;
            }
            return state == State.READY ? State.READY : State.ACTIVE_SIGNALLED;
        });
        if (enqueue[0]) {
            ready.offer(entityId);
        }
    }

    private void workLoop() {
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            String entityId;
            try {
                entityId = ready.take();
            } catch (InterruptedException e) {
                return;
            }
            sessions.put(entityId, State.ACTIVE);
            activeCount.incrementAndGet();
            try {
                runSession(entityId);
            } catch (RuntimeException e) {
                // the database or a bug: leave the entity to the sweeper, keep the worker alive
                LOG.errorf(e, "Session %s failed; the sweeper will pick it up again", entityId);
                sessions.remove(entityId);
            } finally {
                activeCount.decrementAndGet();
            }
        }
    }

    private void runSession(String entityId) {
        int ran = 0;
        TaskStore.Claim chained = null;
        boolean released = false; // the last finish claimed nothing next, so it let go of the lease
        while (!stopping) {
            if (chained == null && ran >= config.maxMessagesPerSession() && !ready.isEmpty()) {
                // fairness: let the waiting sessions have this slot; come back at the tail
                if (!released) {
                    store.releaseLease(entityId, owner);
                }
                requeue(entityId);
                return;
            }
            // claim the next task in the finishing transaction unless this session is about to yield
            boolean chain = ran + 1 < config.maxMessagesPerSession() || ready.isEmpty();
            boolean afterAbandoned = chained == null && fencedOff.contains(entityId);
            TaskExecutor.Outcome outcome = chained == null
                    ? executor.runNext(entityId, owner, chain, afterAbandoned)
                    : executor.handle(chained, owner, chain);
            chained = null;
            released = false;
            if (afterAbandoned && !(outcome instanceof TaskExecutor.Outcome.Busy)) {
                fencedOff.remove(entityId); // the claim took the lease: the abandoned run's lease had expired
            }
            switch (outcome) {
                case TaskExecutor.Outcome.Ran r -> {
                    ran++;
                    chained = r.finished().next();
                    released = chained == null;
                    if (r.finished().retryAt() != null) {
                        // the head waits for its back-off; the whole entity waits with it (the finish released it)
                        wakeUpAt(entityId, r.finished().retryAt());
                        if (finishSession(entityId)) {
                            return;
                        }
                    }
                }
                case TaskExecutor.Outcome.Again a -> {
                }
                case TaskExecutor.Outcome.Abandoned a -> {
                    // keep the lease (never release it early: the handler may not have stopped yet); the
                    // sweeper signals the entity once it expired, and recovery counts the attempt
                    fencedOff.add(entityId);
                    if (finishSession(entityId)) {
                        return;
                    }
                }
                case TaskExecutor.Outcome.Waiting w -> {
                    wakeUpAt(entityId, w.until());
                    if (finishSession(entityId)) {
                        return;
                    }
                }
                case TaskExecutor.Outcome.Idle i -> {
                    if (finishSession(entityId)) {
                        return;
                    }
                }
                case TaskExecutor.Outcome.Busy b -> {
                    // another process holds the entity; it runs the queue (or the sweeper recovers it)
                    if (finishSession(entityId)) {
                        return;
                    }
                }
            }
        }
    }

    /** Lets go of a session unless it was signalled while active; then it looks again. */
    private boolean finishSession(String entityId) {
        State after = sessions.compute(entityId, (id, state) -> state == State.ACTIVE_SIGNALLED ? State.ACTIVE : null);
        return after == null;
    }

    private void requeue(String entityId) {
        sessions.put(entityId, State.READY);
        ready.offer(entityId);
    }

    private void wakeUpAt(String entityId, Instant at) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        wakeUps.compute(entityId, (id, existing) -> {
            if (existing != null && !existing.isDone() && existing.getDelay(TimeUnit.MILLISECONDS) <= delay) {
                return existing;
            }
            if (existing != null) {
                existing.cancel(false);
            }
            return timer.schedule(() -> {
                wakeUps.remove(entityId);
                signal(entityId);
            }, delay, TimeUnit.MILLISECONDS);
        });
    }

    private void renewLeases() {
        try {
            executor.renewLeases(owner);
        } catch (RuntimeException e) {
            LOG.warnf("Renewing entity leases failed: %s", e.getMessage());
        }
    }

    private void fenceOverdue() {
        try {
            executor.fenceOverdue();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: the watchdog must survive anything
            LOG.errorf(e, "Lease watchdog failed; checking again in %s", fence.checkInterval());
        }
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "orchestrator";
        }
        String name = host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        return name.length() > 100 ? name.substring(name.length() - 100) : name;
    }
}
