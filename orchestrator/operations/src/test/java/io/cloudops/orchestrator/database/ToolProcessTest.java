package io.cloudops.orchestrator.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.cloudops.orchestrator.handler.StepContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An interrupted step (fenced off by its lease, or the engine stopping) stops its tool; the tool does not outlive it. */
class ToolProcessTest {

    @TempDir
    Path dir;

    @Test
    void interruptingTheStepStopsTheToolAndEndsTheStepWithAnInterrupt() throws Exception {
        Path pidFile = dir.resolve("pid");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        // a tool that writes nothing for a minute: the step thread sits in a read of its stdout
        ToolProcess tool = ToolProcess.of(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60"))
                .timeout(Duration.ofMinutes(5));
        Thread step = Thread.ofPlatform().start(() -> {
            try {
                tool.run(new QuietContext());
                outcome.set(new AssertionError("the tool ran to its end"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        step.interrupt();

        await().atMost(Duration.ofSeconds(15)).until(() -> outcome.get() != null);
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("tool process stopped")
                .isFalse();
    }

    /** A step context that records nothing. */
    private static final class QuietContext implements StepContext {
        private final UUID id = UUID.randomUUID();

        @Override
        public UUID taskId() {
            return id;
        }

        @Override
        public String entityId() {
            return "tool-test";
        }

        @Override
        public String step() {
            return "dump";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public JsonNode payload() {
            return null;
        }

        @Override
        public String idempotencyKey() {
            return id + ":dump";
        }

        @Override
        public void progress(int percent, String message) {
        }

        @Override
        public void log(String line) {
        }

        @Override
        public UUID artifact(String kind, String uri, long sizeBytes, String sha256, Map<String, String> metadata) {
            return UUID.randomUUID();
        }

        @Override
        public boolean isCancelRequested() {
            return false;
        }
    }
}
