package io.cloudops.api.database;

import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.common.config.DatabaseConnection;

/**
 * Chooses the database before the application starts: the external server named by
 * {@code PLATFORM_DB_CONN}, or the embedded PostgreSQL under the data folder.
 */
public final class DatabaseLauncher {

    private static final Logger LOG = Logger.getLogger(DatabaseLauncher.class);

    private DatabaseLauncher() {
    }

    /** A database the application can connect to; closing it stops the embedded server, if any. */
    public interface RunningDatabase extends AutoCloseable {
        Map<String, String> datasourceProperties();

        /** Whether this process started the server (the embedded default): no other process uses it. */
        boolean embedded();

        @Override
        void close();
    }

    public static RunningDatabase launch(PlatformConfig config) {
        if (config.db().conn().filter(c -> !c.isBlank()).isPresent()) {
            DatabaseConnection connection = DatabaseConnection.parse(config.db().conn().get());
            LOG.infof("Using the PostgreSQL server named by PLATFORM_DB_CONN (%s)",
                    connection.jdbcUrl().replaceAll("password=[^&]*", "password=****"));
            return new RunningDatabase() {
                @Override
                public Map<String, String> datasourceProperties() {
                    return connection.datasourceProperties();
                }

                @Override
                public boolean embedded() {
                    return false;
                }

                @Override
                public void close() {
                    // nothing was started
                }
            };
        }
        Path dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir.resolve("postgres"),
                config.db().startupTimeoutSeconds());
        return new RunningDatabase() {
            @Override
            public Map<String, String> datasourceProperties() {
                return server.connection().datasourceProperties();
            }

            @Override
            public boolean embedded() {
                return true;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
