package io.cloudops.api.websecurity;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.quarkus.vertx.http.runtime.cors.CORSConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * Whether a browser's {@code Origin} is this server or one the operator allowed. Allowed origins
 * are CORS's ({@code CORS_ORIGINS}, read only while CORS is on), so the live hub and CORS can never
 * disagree. "This server" compares host and port with the request's {@code Host}, not the scheme:
 * behind a proxy that terminates TLS the server sees {@code http} where the browser says
 * {@code https}, and it is still the same site.
 */
@ApplicationScoped
public class Origins {

    private final List<String> allowed;

    Origins(VertxHttpConfig http) {
        CORSConfig cors = http.cors();
        this.allowed = cors.enabled()
                ? cors.origins().orElse(List.of()).stream().map(o -> o.strip().toLowerCase(Locale.ROOT)).toList()
                : List.of();
    }

    /** Whether {@code origin} (a request's {@code Origin} header) may talk to this server. */
    public boolean isAllowed(String origin, HttpServerRequest request) {
        return isSameOrigin(origin, request.getHeader("Host"))
                || allowed.contains(origin.strip().toLowerCase(Locale.ROOT));
    }

    /** {@code https://a.example:8443} against the {@code Host} header {@code a.example:8443}; default ports match none. */
    static boolean isSameOrigin(String origin, String host) {
        if (origin == null || host == null || "null".equals(origin.strip())) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        return authority(uri.getHost(), uri.getPort(), uri.getScheme())
                .equals(hostHeader(host.strip().toLowerCase(Locale.ROOT), uri.getScheme()));
    }

    private static String authority(String host, int port, String scheme) {
        String h = host.toLowerCase(Locale.ROOT);
        return port == -1 || port == defaultPort(scheme) ? h : h + ":" + port;
    }

    private static String hostHeader(String host, String scheme) {
        String defaultSuffix = ":" + defaultPort(scheme);
        return host.endsWith(defaultSuffix) ? host.substring(0, host.length() - defaultSuffix.length()) : host;
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
