package io.cloudops.api.project;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.problem.ApiException;

/**
 * Decides whether a Teams webhook URL may be stored. Only https URLs to the configured hosts are
 * accepted, so a project setting cannot turn the server into a client of arbitrary (internal)
 * addresses.
 */
@ApplicationScoped
public class WebhookUrlPolicy {

    private final List<String> allowedHosts;

    WebhookUrlPolicy(PlatformConfig config) {
        this.allowedHosts = config.teams().allowedWebhookHosts().stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty()).toList();
    }

    /** Throws a 422 problem naming {@code field} when the URL is not acceptable. */
    public void check(String field, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw ApiException.invalidField(field, "is not a valid URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw ApiException.invalidField(field, "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalidField(field, "must not carry credentials");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.stream().noneMatch(allowed -> matches(allowed, host))) {
            throw ApiException.invalidField(field,
                    "must point to an allowed host (" + String.join(", ", allowedHosts) + ")");
        }
    }

    static boolean matches(String allowed, String host) {
        if (allowed.startsWith("*.")) {
            return host.endsWith(allowed.substring(1));
        }
        return host.equals(allowed);
    }
}
