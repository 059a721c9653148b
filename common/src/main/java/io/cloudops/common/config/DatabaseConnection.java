package io.cloudops.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL connection as the datasource needs it. Accepts the two spellings operators paste
 * from their cloud consoles: a JDBC URL, or a libpq-style {@code postgres://user:pass@host:port/db}
 * URL (Azure, Heroku, most PaaS), whose credentials are moved out of the URL so that they are never
 * logged as part of it.
 */
public record DatabaseConnection(String jdbcUrl, Optional<String> username, Optional<String> password) {

    /** Parses {@code PLATFORM_DB_CONN}; throws {@link IllegalArgumentException} with a readable message. */
    public static DatabaseConnection parse(String conn) {
        String value = conn.strip();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseConnection(value, Optional.empty(), Optional.empty());
        }
        if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
            return fromUri(value);
        }
        throw new IllegalArgumentException(
                "PLATFORM_DB_CONN must be a jdbc:postgresql:// URL or a postgres://user:pass@host:port/db URL");
    }

    private static DatabaseConnection fromUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("PLATFORM_DB_CONN is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("PLATFORM_DB_CONN names no host");
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1
                ? "postgres"
                : uri.getPath().substring(1);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append('/').append(database);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0]));
            if (parts.length == 2) {
                password = Optional.of(decode(parts[1]));
            }
        }
        return new DatabaseConnection(jdbc.toString(), user, password);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The Quarkus datasource properties for this connection. */
    public Map<String, String> datasourceProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.datasource.jdbc.url", jdbcUrl);
        username.ifPresent(u -> properties.put("quarkus.datasource.username", u));
        password.ifPresent(p -> properties.put("quarkus.datasource.password", p));
        return properties;
    }
}
