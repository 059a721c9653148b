package io.cloudops.orchestrator.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskCancelledException;

/**
 * Runs one database tool as a child process, the same careful way for every adapter: the child gets
 * a minimal environment (nothing of ours leaks into it, nothing of the host's {@code PG*} settings
 * steers it) plus what the adapter passes on purpose; secrets never appear on the command line, and
 * any secret value that a tool echoes is masked before a line reaches the task log. stderr is kept
 * as a bounded tail for the log; the run is stopped when the task is cancelled or the timeout
 * passes. stdout can be consumed as a stream (a dump) without buffering it.
 */
final class ToolProcess {

    private static final Logger LOG = Logger.getLogger(ToolProcess.class);
    /** What the child inherits from us: enough to find programs, temp space and a locale. */
    private static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ");
    private static final int OUTPUT_TAIL_LINES = 60;

    /** What a finished run said. */
    record Result(int exitCode, List<String> outputTail) {
    }

    /** Consumes the child's stdout while it runs. */
    @FunctionalInterface
    interface StdoutConsumer<T> {
        T consume(InputStream stdout) throws IOException;
    }

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> secrets = new ArrayList<>();
    private Duration timeout = Duration.ofHours(6);
    private Path stdin;
    private DatabaseAdapter.ArchiveSource stdinSource;
    /** The last lines the tool wrote to stderr (and to stdout when nobody consumes it). */
    private final Deque<String> output = new ArrayDeque<>();

    private ToolProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    static ToolProcess of(List<String> command) {
        return new ToolProcess(command);
    }

    /** An environment variable of the child (the way secrets travel), masked wherever it shows up. */
    ToolProcess env(String name, String value, boolean secret) {
        env.put(name, value);
        if (secret && value != null && !value.isEmpty()) {
            secrets.add(value);
        }
        return this;
    }

    /** A value to mask wherever the tool's output shows it (a password the tool never receives on its command line). */
    ToolProcess secret(String value) {
        if (value != null && !value.isEmpty()) {
            secrets.add(value);
        }
        return this;
    }

    ToolProcess timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    /** Feeds this file to the child's stdin. */
    ToolProcess stdin(Path file) {
        this.stdin = file;
        return this;
    }

    /** Streams this source into the child's stdin (the child may stop reading early). */
    ToolProcess stdin(DatabaseAdapter.ArchiveSource source) {
        this.stdinSource = source;
        return this;
    }

    /** The command as logged: arguments with any secret masked (there should be none). */
    String describe() {
        return mask(String.join(" ", command));
    }

    List<String> command() {
        return command;
    }

    /** Runs the tool to its end; its stdout is logged like its stderr. */
    Result run(StepContext context) throws IOException, InterruptedException {
        AtomicReference<Result> result = new AtomicReference<>();
        runWithStdout(context, stdout -> {
            pumpLines(stdout, output);
            return null;
        }, result);
        return result.get();
    }

    /**
     * Runs the tool and hands its stdout to {@code consumer} as it is produced. Returns the
     * consumer's value; fails when the tool exits with a non-zero code.
     */
    <T> T streamStdout(StepContext context, StdoutConsumer<T> consumer, String failureHint)
            throws IOException, InterruptedException {
        AtomicReference<Result> result = new AtomicReference<>();
        T value = runWithStdout(context, consumer, result);
        requireSuccess(context, result.get(), failureHint);
        return value;
    }

    /** Logs the tool's stderr tail and throws when it failed (transient: the step is retried). */
    void requireSuccess(StepContext context, Result result, String failureHint) {
        result.outputTail().forEach(line -> context.log(executable() + ": " + line));
        if (result.exitCode() != 0) {
            String last = result.outputTail().isEmpty() ? "" : ": " + result.outputTail().getLast();
            throw new ToolFailedException(executable() + " exited with code " + result.exitCode() + last
                    + (failureHint == null ? "" : " (" + failureHint + ")"));
        }
    }

    private <T> T runWithStdout(StepContext context, StdoutConsumer<T> consumer, AtomicReference<Result> result)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> childEnv = builder.environment();
        childEnv.keySet().retainAll(INHERITED_ENV);
        childEnv.putAll(env);
        if (stdinSource != null) {
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        } else {
            builder.redirectInput(ProcessBuilder.Redirect.from(stdin == null ? nullDevice() : stdin.toFile()));
        }
        context.log("running " + describe());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new PermanentTaskException(executable() + " could not be started: " + mask(e.getMessage()),
                    "Install the tool on the orchestrator's machine or point cloudops.db-tools at it");
        }
        Thread stderrPump = Thread.ofVirtual().name("tool-stderr")
                .start(() -> pumpLines(process.getErrorStream(), output));
        Thread step = Thread.currentThread();
        Thread watchdog = Thread.ofVirtual().name("tool-watchdog").start(() -> watch(process, context, step));
        if (stdinSource != null) {
            Thread.ofVirtual().name("tool-stdin").start(() -> feed(process));
        }
        T value;
        try {
            value = consumer.consume(process.getInputStream());
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            awaitExit(process, watchdog, stderrPump);
        }
        if (context.isCancelRequested()) {
            throw new TaskCancelledException();
        }
        synchronized (output) {
            result.set(new Result(process.exitValue(), List.copyOf(output)));
        }
        return value;
    }

    private void feed(Process process) {
        try (InputStream in = stdinSource.open(); var out = process.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the child stopped reading (pg_restore --list needs the table of contents only), or died
        }
    }

    /**
     * Waits for the child to exit. An interrupt of the step (its run was fenced off by its lease, or
     * the engine is stopping) stops the child and is passed on: an abandoned step's tool must not go
     * on acting while another run of the entity may start.
     */
    private void awaitExit(Process process, Thread watchdog, Thread stderrPump) throws InterruptedException {
        try {
            if (Thread.interrupted()) {
                throw new InterruptedException(executable() + " interrupted");
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            LOG.infof("Stopping %s (step interrupted)", executable());
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            watchdog.interrupt();
            throw e;
        }
        watchdog.interrupt();
        stderrPump.join(Duration.ofSeconds(5));
    }

    /**
     * Stops the child when the task is cancelled, the step's thread is interrupted (a blocking read
     * of the child's output does not see interrupts, so the watchdog does) or the tool outlives its
     * timeout.
     */
    private void watch(Process process, StepContext context, Thread step) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (process.isAlive()) {
                if (context.isCancelRequested() || step.isInterrupted() || System.nanoTime() > deadline) {
                    LOG.infof("Stopping %s (%s)", executable(), context.isCancelRequested()
                            ? "task cancelled"
                            : step.isInterrupted() ? "step interrupted" : "timeout " + timeout);
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                    return;
                }
                process.waitFor(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pumpLines(InputStream in, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                synchronized (tail) {
                    if (tail.size() == OUTPUT_TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.add(mask(line.length() > 500 ? line.substring(0, 497) + "..." : line));
                }
            }
        } catch (IOException e) {
            // the child closed its stream (or was stopped): nothing more to read
        }
    }

    private String executable() {
        return Path.of(command.getFirst()).getFileName().toString();
    }

    String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** A tool exited with a non-zero code: transient as far as the engine knows, so the step is retried. */
    static final class ToolFailedException extends RuntimeException {
        ToolFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
