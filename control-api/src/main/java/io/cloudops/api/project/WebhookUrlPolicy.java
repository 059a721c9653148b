package io.cloudops.api.project;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.problem.ApiException;
import io.cloudops.common.notification.WebhookUrls;

/**
 * Decides whether a project's webhook URL (Teams or Slack) may be stored. Only https URLs to the hosts
 * allowed for that kind of route are accepted ({@code TEAMS_WEBHOOK_ALLOWED_HOSTS},
 * {@code SLACK_WEBHOOK_ALLOWED_HOSTS}), and none whose name resolves to a loopback, private or
 * link-local address (a wildcard entry must not reach the cloud metadata address), so a project
 * setting cannot turn the server into a client of arbitrary (internal) addresses. A host listed exactly
 * is trusted as listed, plain http and private addresses included (how tests reach a local receiver).
 * The dispatcher checks again before every post (DNS may change).
 */
@ApplicationScoped
public class WebhookUrlPolicy {

    /** The kinds of webhook a project stores. */
    public enum Route {
        TEAMS, SLACK
    }

    private final List<String> teamsHosts;
    private final List<String> slackHosts;

    WebhookUrlPolicy(PlatformConfig config) {
        this.teamsHosts = WebhookUrls.allowedHosts(config.teams().allowedWebhookHosts());
        this.slackHosts = WebhookUrls.allowedHosts(config.slack().allowedWebhookHosts());
    }

    /** {@link #check(Route, String, String)} for a Teams webhook. */
    public void check(String field, String url) {
        check(Route.TEAMS, field, url);
    }

    /** Throws a 422 problem naming {@code field} when the URL is not acceptable for a route of {@code route}. */
    public void check(Route route, String field, String url) {
        List<String> allowedHosts = route == Route.SLACK ? slackHosts : teamsHosts;
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw ApiException.invalidField(field, "is not a valid URL");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw ApiException.invalidField(field, "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalidField(field, "must not carry credentials");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(host) && ("https".equalsIgnoreCase(uri.getScheme())
                || "http".equalsIgnoreCase(uri.getScheme()))) {
            return; // listed exactly: trusted as configured
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw ApiException.invalidField(field, "must be an https URL");
        }
        if (!WebhookUrls.hostAllowed(allowedHosts, host)) {
            throw ApiException.invalidField(field,
                    "must point to an allowed host (" + String.join(", ", allowedHosts) + ")");
        }
        Optional<InetAddress> internal = WebhookUrls.privateAddress(host);
        if (internal.isPresent()) {
            throw ApiException.invalidField(field, "must not point to a private address (" + host + " resolves to "
                    + internal.get().getHostAddress() + ")");
        }
    }
}
