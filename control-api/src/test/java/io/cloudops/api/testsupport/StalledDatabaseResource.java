package io.cloudops.api.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Puts a {@link TcpProxy} between the application and the test database, so that fault tests can
 * stall the database as the application sees it (every byte held, connections open) while the test
 * itself still reads the database directly ({@link #directConnection()}, not through the proxy).
 * Runs after {@link PostgresTestResource} and replaces its datasource URL with the proxy's.
 */
public class StalledDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

    private static volatile TcpProxy proxy;
    private static volatile String database;

    @Override
    public Map<String, String> start() {
        Map<String, String> direct = new PostgresTestResource().start();
        String url = direct.get("quarkus.datasource.jdbc.url");
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read host and port from " + url);
        }
        PostgresTestResource.Server server = PostgresTestResource.server();
        database = m.group(3);
        proxy = TcpProxy.start(server.host(), server.port());
        Map<String, String> properties = new HashMap<>(direct);
        properties.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database
                + (m.group(4) == null ? "" : m.group(4)));
        return properties;
    }

    /** After {@link PostgresTestResource} (order 0): this datasource URL is the one that counts. */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    /** The proxy the application's connections go through. */
    public static TcpProxy proxy() {
        return proxy;
    }

    /** A connection to the test database that bypasses the proxy (works while it is stalled). */
    public static Connection directConnection() throws SQLException {
        return PostgresTestResource.server().connect(database);
    }
}
