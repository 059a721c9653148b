package io.cloudops.api.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.common.task.TaskPlan;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;

/**
 * Test handler that measures what the engine promises: it records every execution interval and
 * counts how many runs of the same entity are inside a step at the same moment (must never exceed
 * one), and how many runs in total (must exceed one, up to the session limit). A run can be held
 * at a gate until the test opens it, which makes cancel and queue tests deterministic, or until a
 * number of runs are inside a step at once ({@code meet}), which makes parallelism observable
 * without timing: the probe never sleeps. Each
 * execution also keeps its wall-clock start and end (to compare with database timestamps such as a
 * lease's {@code expires_at}) and whether it ended by an interrupt (a run fenced off by its lease).
 */
@ApplicationScoped
public class ProbeHandler implements TaskHandler, TaskPlan {

    public static final String TYPE = "probe";

    /** One step execution, with the worker thread that ran it (its name tells which engine). */
    public record Execution(String entityId, String taskId, String step, int attempt, long startNanos, long endNanos,
            String worker, Instant startedAt, Instant endedAt, boolean interrupted) {
    }

    public static final Queue<Execution> EXECUTIONS = new ConcurrentLinkedQueue<>();
    public static final Map<String, AtomicInteger> IN_FLIGHT_PER_ENTITY = new ConcurrentHashMap<>();
    public static final AtomicInteger MAX_IN_FLIGHT_PER_ENTITY = new AtomicInteger();
    public static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    public static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();
    public static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    public static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();
    /** How long a run waits for others to {@code meet} it inside a step. */
    static final Duration MEET_TIMEOUT = Duration.ofSeconds(10);
    private static final ReentrantLock IN_FLIGHT_LOCK = new ReentrantLock();
    private static final Condition IN_FLIGHT_CHANGED = IN_FLIGHT_LOCK.newCondition();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> steps(JsonNode payload) {
        return IntStream.rangeClosed(1, payload.path("steps").asInt(1)).mapToObj(i -> "probe-" + i).toList();
    }

    @Override
    public void run(StepContext context) throws Exception {
        String entity = context.entityId();
        AtomicInteger perEntity = IN_FLIGHT_PER_ENTITY.computeIfAbsent(entity, e -> new AtomicInteger());
        MAX_IN_FLIGHT_PER_ENTITY.accumulateAndGet(perEntity.incrementAndGet(), Math::max);
        MAX_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
        inFlightChanged();
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        boolean interrupted = false;
        try {
            JsonNode payload = context.payload();
            context.log("probe " + context.step() + " attempt " + context.attempt());
            try {
                String gate = payload.path("gate").asText(null);
                if (gate != null) {
                    ENTERED.computeIfAbsent(gate, g -> new CountDownLatch(1)).countDown();
                    CountDownLatch latch = GATES.computeIfAbsent(gate, g -> new CountDownLatch(1));
                    while (!latch.await(10, TimeUnit.MILLISECONDS)) {
                        context.checkCancelled();
                    }
                }
                int meet = payload.path("meet").asInt(0);
                if (meet > 1) {
                    awaitInFlight(meet);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
            if (payload.path("permanent").asBoolean(false)) {
                throw new PermanentTaskException("probe refused its input", "fix the probe payload");
            }
            if (context.attempt() <= payload.path("failTimes").asInt(0)) {
                throw new IllegalStateException("probe transient failure on attempt " + context.attempt());
            }
        } finally {
            IN_FLIGHT.decrementAndGet();
            inFlightChanged();
            perEntity.decrementAndGet();
            EXECUTIONS.add(new Execution(entity, context.taskId().toString(), context.step(), context.attempt(), start,
                    System.nanoTime(), Thread.currentThread().getName(), startedAt, Instant.now(), interrupted));
        }
    }

    /**
     * Holds a run until {@code runs} runs (its own included) are inside a step at once, or
     * {@link #MEET_TIMEOUT} passed: an engine that runs entities in parallel lets them meet at once,
     * one that runs them one at a time leaves {@link #MAX_IN_FLIGHT} at one, which the test sees.
     */
    private static void awaitInFlight(int runs) throws InterruptedException {
        long deadline = System.nanoTime() + MEET_TIMEOUT.toNanos();
        IN_FLIGHT_LOCK.lock();
        try {
            while (IN_FLIGHT.get() < runs) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                IN_FLIGHT_CHANGED.awaitNanos(left);
            }
        } finally {
            IN_FLIGHT_LOCK.unlock();
        }
    }

    private static void inFlightChanged() {
        IN_FLIGHT_LOCK.lock();
        try {
            IN_FLIGHT_CHANGED.signalAll();
        } finally {
            IN_FLIGHT_LOCK.unlock();
        }
    }

    /** Opens a gate (creating it if no run reached it yet). */
    public static void open(String gate) {
        GATES.computeIfAbsent(gate, g -> new CountDownLatch(1)).countDown();
    }

    /** Waits until a run reached the gate. */
    public static boolean awaitEntered(String gate) throws InterruptedException {
        return ENTERED.computeIfAbsent(gate, g -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS);
    }
}
