package io.cloudops.orchestrator.engine;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Checks at start that the database timeouts fit together and with the lease fencing rule, and
 * tells how long an API call can wait for a database that does not answer. The server's statement
 * timeout must fire before the driver's socket timeout (else a slow statement costs a connection):
 * the application refuses to start otherwise. A run stops acting {@code TASK_LEASE_SAFETY_MARGIN}
 * before its lease could expire; lease renewals bound themselves by the margin, but a journal flush
 * or a finish waits up to the socket timeout, so a socket timeout not below the margin gets a
 * warning (safety holds either way: the fencing watchdog never waits for the database).
 */
@ApplicationScoped
public class DatabaseTimeouts {

    private static final Logger LOG = Logger.getLogger(DatabaseTimeouts.class);

    private final DatasourceConfig db;
    private final EngineConfig engine;
    private final LeaseFence fence;

    DatabaseTimeouts(DatasourceConfig db, EngineConfig engine, LeaseFence fence) {
        this.db = db;
        this.engine = engine;
        this.fence = fence;
    }

    void check(@Observes StartupEvent start) {
        if (db.statementTimeoutMs() <= 0 || db.statementTimeoutMs() >= db.socketTimeoutSeconds() * 1000L) {
            throw new IllegalStateException("PLATFORM_DB_STATEMENT_TIMEOUT_MS (" + db.statementTimeoutMs()
                    + ") must be positive and shorter than PLATFORM_DB_SOCKET_TIMEOUT_SECONDS ("
                    + db.socketTimeoutSeconds() + " s)");
        }
        if (engine.enabled() && socketTimeout().compareTo(fence.safetyMargin()) >= 0) {
            LOG.warnf("PLATFORM_DB_SOCKET_TIMEOUT_SECONDS (%d s) is not shorter than TASK_LEASE_SAFETY_MARGIN (%s): "
                    + "a run whose journal flush hangs on a stalled database may be fenced off before the flush fails",
                    db.socketTimeoutSeconds(), fence.safetyMargin());
        }
    }

    /** pgjdbc's socket timeout: the longest one statement can wait for the server's answer. */
    public Duration socketTimeout() {
        return Duration.ofSeconds(db.socketTimeoutSeconds());
    }

    /**
     * The longest a request can wait on a database that does not answer before it fails: a pooled
     * connection (or a new one: connect and login, within the acquisition timeout), then one statement.
     */
    public Duration worstCaseWait() {
        int connect = Math.max(db.acquisitionTimeoutSeconds(), db.connectTimeoutSeconds() + db.loginTimeoutSeconds());
        return Duration.ofSeconds(connect + db.socketTimeoutSeconds());
    }
}
