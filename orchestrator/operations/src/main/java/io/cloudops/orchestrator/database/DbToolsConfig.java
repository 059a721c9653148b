package io.cloudops.orchestrator.database;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the database tools are and how long they may run. Paths default to the names on
 * {@code PATH}; set them when the client tools live elsewhere (e.g. a PostgreSQL client newer
 * than the distribution's, since {@code pg_dump} refuses servers newer than itself).
 */
@ConfigMapping(prefix = "cloudops.db-tools")
public interface DbToolsConfig {

    /** {@code PG_DUMP}: the {@code pg_dump} executable. */
    @WithDefault("pg_dump")
    String pgDump();

    /** {@code PG_RESTORE}: the {@code pg_restore} executable. */
    @WithDefault("pg_restore")
    String pgRestore();

    /** {@code SQLPACKAGE}: the {@code SqlPackage} executable. */
    @WithDefault("SqlPackage")
    String sqlPackage();

    /** {@code DB_TOOL_TIMEOUT}: a tool still running after this long is stopped and the step fails (and is retried). */
    @WithDefault("6h")
    Duration timeout();
}
