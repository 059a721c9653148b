package io.cloudops.orchestrator.ops;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.orchestrator.handler.StepContext;
import io.quarkus.arc.Unremovable;

/**
 * What simulated adapters share: waiting a realistic, scaled time (cancellable, with progress),
 * and failure injection from the request ({@code "simulate": "fail" | "flaky:N"}), which demos and
 * tests use to show retries and dead letters. Failure injection only exists in simulated mode.
 */
@ApplicationScoped
@Unremovable // handlers inject it; it also registers OperationsConfig, whose keys application.properties sets
public class Simulation {

    private final OperationsConfig config;

    Simulation(OperationsConfig config) {
        this.config = config;
    }

    /** Waits {@code nominal * SIMULATION_TIME_SCALE}, reporting progress and honouring cancel. */
    public void work(StepContext context, Duration nominal, String message) throws InterruptedException {
        long total = Math.round(nominal.toMillis() * config.simulationTimeScale());
        long start = System.nanoTime();
        int lastPercent = -1;
        while (true) {
            context.checkCancelled();
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (elapsed >= total) {
                return;
            }
            int percent = (int) (elapsed * 100 / Math.max(1, total));
            if (percent / 10 != lastPercent / 10) {
                context.progress(percent, message);
                lastPercent = percent;
            }
            Thread.sleep(Math.min(50, total - elapsed));
        }
    }

    /**
     * Throws a transient failure when the request asked for one: {@code fail} fails every attempt,
     * {@code flaky:N} the first N attempts. Call it from the step that should fail.
     */
    public void maybeFail(StepContext context, JsonNode params) {
        String simulate = params == null ? null : params.path("simulate").asText(null);
        if (simulate == null || !config.simulated()) {
            return;
        }
        if (simulate.equals("fail")) {
            throw new SimulatedFailure("simulated failure in " + context.step() + " (simulate=fail)");
        }
        if (simulate.startsWith("flaky:")) {
            int times = Integer.parseInt(simulate.substring("flaky:".length()));
            if (context.attempt() <= times) {
                throw new SimulatedFailure(
                        "simulated failure " + context.attempt() + " of " + times + " in " + context.step());
            }
        }
    }

    public boolean simulated() {
        return config.simulated();
    }

    /** A failure asked for by the request; transient, so the engine retries it. */
    public static class SimulatedFailure extends RuntimeException {
        public SimulatedFailure(String message) {
            super(message, null, false, false);
        }
    }
}
