package io.cloudops.orchestrator.ops;

import java.time.Duration;

import io.cloudops.orchestrator.handler.StepContext;

/**
 * A pause inside a step that still reacts to cancel within 50 ms, for adapters that poll an
 * external system (a rollout, a namespace deletion).
 */
public final class Waiting {

    private static final long SLICE_MILLIS = 50;

    private Waiting() {
    }

    public static void pause(StepContext context, Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (true) {
            context.checkCancelled();
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return;
            }
            Thread.sleep(Math.min(SLICE_MILLIS, leftMillis));
        }
    }
}
