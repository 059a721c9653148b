package io.cloudops.api.project;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.problem.ApiException;
import io.cloudops.common.notification.WebhookUrls;

/**
 * Decides whether a Teams webhook URL may be stored. Only https URLs to the configured hosts are
 * accepted, so a project setting cannot turn the server into a client of arbitrary (internal)
 * addresses.
 */
@ApplicationScoped
public class WebhookUrlPolicy {

    private final List<String> allowedHosts;

    WebhookUrlPolicy(PlatformConfig config) {
        this.allowedHosts = WebhookUrls.allowedHosts(config.teams().allowedWebhookHosts());
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
        if (!WebhookUrls.hostAllowed(allowedHosts, host)) {
            throw ApiException.invalidField(field,
                    "must point to an allowed host (" + String.join(", ", allowedHosts) + ")");
        }
    }

}
