package io.cloudops.api.config;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.LeaseFence;
import io.quarkus.runtime.StartupEvent;

/**
 * Checks at start that the database timeouts fit the lease fencing rule: a run stops acting
 * {@code TASK_LEASE_SAFETY_MARGIN} before its lease could expire, so one lease renewal must not be
 * able to hang longer than that margin (the socket timeout bounds it), and the server's statement
 * timeout should fire before the driver's socket timeout. A configuration that breaks this would
 * let two runs of one entity overlap under a stalled database, so the application refuses to start.
 * It also tells how long an API call can wait for a database that does not answer.
 */
@ApplicationScoped
public class DatabaseTimeouts {

    private final PlatformConfig platform;
    private final EngineConfig engine;
    private final LeaseFence fence;

    DatabaseTimeouts(PlatformConfig platform, EngineConfig engine, LeaseFence fence) {
        this.platform = platform;
        this.engine = engine;
        this.fence = fence;
    }

    void check(@Observes StartupEvent start) {
        PlatformConfig.Db db = platform.db();
        if (db.statementTimeoutMs() <= 0 || db.statementTimeoutMs() >= db.socketTimeoutSeconds() * 1000L) {
            throw new IllegalStateException("PLATFORM_DB_STATEMENT_TIMEOUT_MS (" + db.statementTimeoutMs()
                    + ") must be positive and shorter than PLATFORM_DB_SOCKET_TIMEOUT_SECONDS ("
                    + db.socketTimeoutSeconds() + " s)");
        }
        if (engine.enabled() && socketTimeout().compareTo(fence.safetyMargin()) >= 0) {
            throw new IllegalStateException("PLATFORM_DB_SOCKET_TIMEOUT_SECONDS (" + db.socketTimeoutSeconds()
                    + " s) must be shorter than TASK_LEASE_SAFETY_MARGIN (" + fence.safetyMargin()
                    + "): a lease renewal could otherwise hang past its run's deadline");
        }
    }

    /** pgjdbc's socket timeout: the longest one statement can wait for the server's answer. */
    public Duration socketTimeout() {
        return Duration.ofSeconds(platform.db().socketTimeoutSeconds());
    }

    /**
     * The longest a request can wait on a database that does not answer before it fails: a pooled
     * connection (or a new one: connect and login, within the acquisition timeout), then one statement.
     */
    public Duration worstCaseWait() {
        PlatformConfig.Db db = platform.db();
        int connect = Math.max(db.acquisitionTimeoutSeconds(), db.connectTimeoutSeconds() + db.loginTimeoutSeconds());
        return Duration.ofSeconds(connect + db.socketTimeoutSeconds());
    }
}
