package io.cloudops.orchestrator.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounded waits on the database, for every service that contains the engine: a database that stops
 * answering (stalled network, frozen server) must make calls fail within seconds, never hang them.
 * The engine library's configuration passes them to the pool and the driver
 * ({@code quarkus.datasource.jdbc.*}); {@link DatabaseTimeouts} checks at start that they fit
 * together and with the lease fencing rule.
 */
@ConfigMapping(prefix = "cloudops.datasource")
public interface DatasourceConfig {

    /** {@code PLATFORM_DB_CONNECT_TIMEOUT_SECONDS}: pgjdbc {@code connectTimeout}, to open the TCP connection. */
    @WithDefault("3")
    int connectTimeoutSeconds();

    /**
     * {@code PLATFORM_DB_LOGIN_TIMEOUT_SECONDS}: pgjdbc {@code loginTimeout}, to connect and authenticate.
     * Shorter than the acquisition timeout, so that a hung login ends with the driver's own error.
     */
    @WithDefault("4")
    int loginTimeoutSeconds();

    /**
     * {@code PLATFORM_DB_SOCKET_TIMEOUT_SECONDS}: pgjdbc {@code socketTimeout}, the longest the driver
     * waits for the server's next bytes; then the connection is dropped and the call fails (SQLSTATE 08006).
     * Keep it shorter than {@code TASK_LEASE_SAFETY_MARGIN} (a warning at start otherwise).
     */
    @WithDefault("4")
    int socketTimeoutSeconds();

    /**
     * {@code PLATFORM_DB_STATEMENT_TIMEOUT_MS}: PostgreSQL {@code statement_timeout} of every pooled
     * connection (the server cancels a statement running longer, SQLSTATE 57014). Shorter than the socket
     * timeout, so that a slow statement ends with the server's clean error rather than a dropped connection.
     * Raise it (or run it separately) for a migration with long statements.
     */
    @WithDefault("3000")
    int statementTimeoutMs();

    /** {@code PLATFORM_DB_ACQUISITION_TIMEOUT_SECONDS}: the longest a call waits for a pooled connection. */
    @WithDefault("5")
    int acquisitionTimeoutSeconds();
}
