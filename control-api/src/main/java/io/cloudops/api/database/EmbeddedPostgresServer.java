package io.cloudops.api.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.cloudops.common.config.DatabaseConnection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server run by this process (zonky's packaged binaries), for the embedded
 * default. Unlike zonky's test defaults it is durable: fsync and synchronous commit are on, so a
 * task that was accepted survives a power cut. Its data directory is reused across restarts, and a
 * server orphaned by a killed JVM (pg_ctl daemonizes the postmaster) is stopped before starting
 * anew, instead of hanging on its lock.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path pgData, int startupTimeoutSeconds) {
        try {
            Files.createDirectories(pgData);
            stopOrphan(pgData);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // zonky passes -F (fsync off) and synchronous_commit=off for speed in tests;
                    // later -c options win, and the embedded default must not lose committed data.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(startupTimeoutSeconds))
                    .start();
            LOG.infof("Embedded PostgreSQL started on port %d with data in %s (%d ms)", postgres.getPort(), pgData,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start the embedded PostgreSQL in " + pgData + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            if (isMissingBinaries(e)) {
                throw new UnsupportedPlatformException(e);
            }
            throw e;
        }
    }

    /**
     * zonky's resolver found no PostgreSQL binaries for this operating system and architecture, or
     * does not know the architecture at all.
     */
    private static boolean isMissingBinaries(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("Missing embedded postgres binaries")
                    || message.startsWith("Unsupported architecture"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * No embedded PostgreSQL ships for this platform: the message says what to do instead, so that
     * a newcomer on an unusual machine is not left with zonky's internals.
     */
    public static final class UnsupportedPlatformException extends IllegalStateException {

        UnsupportedPlatformException(Throwable cause) {
            super("The embedded PostgreSQL has no binaries for this platform (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch")
                    + "; shipped: linux, macOS and Windows on amd64, linux and macOS on arm64). Set PLATFORM_DB_CONN to a"
                    + " PostgreSQL server instead, e.g. PLATFORM_DB_CONN=jdbc:postgresql://localhost:5432/cloudops?user=cloudops",
                    cause);
        }
    }

    /** The connection to the embedded server (database and user {@code postgres}, trust auth on localhost). */
    public DatabaseConnection connection() {
        return new DatabaseConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                Optional.of("postgres"), Optional.empty());
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("Stopping the embedded PostgreSQL failed: %s", e.getMessage());
        }
    }

    /**
     * A postmaster left running by a JVM that was killed still holds {@code postmaster.pid}; starting
     * a second one on the same data would wait for the lock until it times out. Stop it first (SIGTERM
     * is PostgreSQL's smart shutdown; its clients died with the JVM, so it finishes promptly and
     * cleanly, with a checkpoint).
     */
    static void stopOrphan(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).strip());
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            // a stale file without a live server: PostgreSQL itself recovers from it on start
            return;
        }
        LOG.warnf(
                "Found an orphaned embedded PostgreSQL (pid %d) holding %s, left by a process that did not shut down; stopping it",
                pid, pgData);
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        try {
            postmaster.onExit().get(ORPHAN_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("Orphaned PostgreSQL (pid %d) did not stop in %s; killing it (WAL recovery follows on start)",
                    pid, ORPHAN_STOP_TIMEOUT);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
