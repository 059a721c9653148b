package io.cloudops.orchestrator.notification;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.notification.WebhookUrls;

/**
 * Checked before every webhook post (SSRF): the URL must be https and its host must match
 * {@link NotifyConfig#teamsAllowedHosts()} ({@code *.suffix} or an exact name), and the name must not
 * resolve to a loopback, private, link-local or wildcard address. A host listed exactly (not by a
 * wildcard) is trusted as it is, over http too: that is how a receiver on 127.0.0.1 is allowed.
 * The check runs at send time as well as when a project saves its URL, so a global route and a name
 * whose DNS changed since are checked too. (The HTTP client resolves the name again: a rebinding
 * between the two lookups is not caught; see docs/notifications.md.)
 */
@ApplicationScoped
class OutboundPolicy {

    private final List<String> allowed;

    OutboundPolicy(NotifyConfig config) {
        this.allowed = WebhookUrls.allowedHosts(config.teamsAllowedHosts());
    }

    /** Why {@code url} may not be posted to, or empty when it may. */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid URL");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null) {
            return Optional.of("the URL has no host");
        }
        if (allowed.contains(host)) {
            return Optional.empty(); // listed exactly: trusted as configured
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of("only https webhooks are posted to (" + host + " is not listed exactly)");
        }
        if (!WebhookUrls.hostAllowed(allowed, host)) {
            return Optional.of("host " + host + " is not in TEAMS_WEBHOOK_ALLOWED_HOSTS");
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || isUniqueLocal(address)) {
                    return Optional.of("host " + host + " resolves to a private address (" + address.getHostAddress()
                            + ")");
                }
            }
        } catch (UnknownHostException e) {
            return Optional.empty(); // the post fails on its own, and is retried: DNS may come back
        }
        return Optional.empty();
    }

    /** IPv6 unique local addresses (fc00::/7), which {@link InetAddress#isSiteLocalAddress()} does not cover. */
    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
