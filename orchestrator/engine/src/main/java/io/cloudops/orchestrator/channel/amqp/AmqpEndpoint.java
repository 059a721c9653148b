package io.cloudops.orchestrator.channel.amqp;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.cloudops.orchestrator.channel.ChannelConfig;

/**
 * Where the AMQP broker is: from {@code AMQP_URL} ({@code amqp[s]://[user[:password]@]host[:port]})
 * when set, otherwise from the separate {@code AMQP_HOST}, {@code AMQP_PORT}, ... settings.
 */
public record AmqpEndpoint(String host, int port, Optional<String> username, Optional<String> password,
        boolean ssl) {

    public static AmqpEndpoint from(ChannelConfig.Amqp config) {
        Optional<String> url = config.url().filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            return new AmqpEndpoint(config.host(), config.port(), config.username(), config.password(),
                    config.useSsl());
        }
        return parse(url.get());
    }

    static AmqpEndpoint parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "AMQP_URL is not a URL (expected amqp[s]://[user[:password]@]host[:port])");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean ssl = switch (scheme) {
            case "amqp" -> false;
            case "amqps" -> true;
            default -> throw new IllegalArgumentException(
                    "AMQP_URL must start with amqp:// or amqps://, not '" + scheme + "'");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "AMQP_URL names no host (expected amqp[s]://[user[:password]@]host[:port])");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(s -> !s.isEmpty());
            password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 5671 : 5672;
        return new AmqpEndpoint(uri.getHost(), port, user, password, ssl);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** For logs: never the password. */
    @Override
    public String toString() {
        return (ssl ? "amqps://" : "amqp://") + username.map(u -> u + "@").orElse("") + host + ":" + port;
    }
}
