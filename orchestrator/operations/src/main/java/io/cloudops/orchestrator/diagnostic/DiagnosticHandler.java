package io.cloudops.orchestrator.diagnostic;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;

/**
 * A task that only sleeps and logs, for operators (is the engine alive, how fast is it?) and for
 * benchmarks and tests of the engine's guarantees. Payload: {@code steps}, {@code stepMillis},
 * {@code fail} ({@code never | always | permanent | times:N}: fail the first N attempts).
 */
@ApplicationScoped
public class DiagnosticHandler implements TaskHandler {

    public static final String TYPE = TaskType.DIAGNOSTIC.type();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(StepContext context) throws Exception {
        JsonNode payload = context.payload();
        long millis = payload.path("stepMillis").asLong(50);
        String fail = payload.path("fail").asText("never");
        boolean lastStep = context.step().equals("step-" + payload.path("steps").asInt(3));
        context.log("attempt " + context.attempt() + ": " + context.step() + " sleeping " + millis + " ms");
        sleepCancellable(context, millis);
        if (lastStep) {
            failIfAsked(fail, context.attempt());
        }
        context.progress(100, "slept " + millis + " ms");
    }

    private static void sleepCancellable(StepContext context, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            context.checkCancelled();
            Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
        }
    }

    private static void failIfAsked(String fail, int attempt) {
        switch (fail) {
            case "always" -> throw new IllegalStateException("diagnostic failure (fail=always)");
            case "permanent" -> throw new PermanentTaskException("diagnostic permanent failure (fail=permanent)",
                    "This task was asked to fail permanently; submit it with fail=never");
            default -> {
                if (fail.startsWith("times:") && attempt <= Integer.parseInt(fail.substring(6))) {
                    throw new IllegalStateException("diagnostic failure " + attempt + " of " + fail.substring(6));
                }
            }
        }
    }
}
