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
 * Checked before every outbound post (SSRF): the URL must be https and its host must match the
 * allow-list of its kind of route ({@code *.suffix} or an exact name: Teams
 * {@link NotifyConfig#teamsAllowedHosts()}, Slack {@link NotifyConfig#slackAllowedHosts()}, PagerDuty
 * {@link NotifyConfig.PagerDuty#allowedHosts()}, SendGrid {@link NotifyConfig.SendGrid#allowedHosts()}),
 * and the name must not resolve to a loopback, private, link-local or wildcard address. A host listed
 * exactly (not by a wildcard) is trusted as it is, over http too: that is how a receiver on 127.0.0.1
 * is allowed. The check runs at send time as well as when a project saves its URL, so a global route
 * and a name whose DNS changed since are checked too. {@link #destination} resolves the name once and
 * returns the address it checked, which {@link WebhookPost} connects to (DNS rebinding: a second lookup
 * by the HTTP client could answer an internal address).
 */
@ApplicationScoped
class OutboundPolicy {

    /** One allow-list and the variable that sets it (named in refusals). */
    record AllowList(String variable, List<String> hosts) {
    }

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * Where a post may go: the URL and the one address it was checked at (the connection must go there),
     * or why it may not ({@code refusal} set, the rest null; {@code retryable} when a later try may
     * succeed: the name did not resolve).
     */
    record Destination(URI uri, InetAddress address, String refusal, boolean retryable) {

        static Destination refused(String refusal) {
            return new Destination(null, null, refusal, false);
        }

        static Destination unresolved(String host) {
            return new Destination(null, null, "host " + host + " does not resolve", true);
        }
    }

    private Resolver resolver = InetAddress::getAllByName;

    private final AllowList teams;
    private final AllowList slack;
    private final AllowList pagerDuty;
    private final AllowList sendGrid;

    OutboundPolicy(NotifyConfig config) {
        this.teams = new AllowList("TEAMS_WEBHOOK_ALLOWED_HOSTS", WebhookUrls.allowedHosts(config.teamsAllowedHosts()));
        this.slack = new AllowList("SLACK_WEBHOOK_ALLOWED_HOSTS", WebhookUrls.allowedHosts(config.slackAllowedHosts()));
        this.pagerDuty = new AllowList("PAGERDUTY_ALLOWED_HOSTS",
                WebhookUrls.allowedHosts(config.pagerDuty().allowedHosts()));
        this.sendGrid = new AllowList("SENDGRID_ALLOWED_HOSTS",
                WebhookUrls.allowedHosts(config.email().sendGrid().allowedHosts()));
    }

    /** Tests: resolve names with {@code resolver} instead of the system's DNS. */
    void resolveWith(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Checks {@code url} for a route of {@code kind}, resolving its host once: every address it resolves to
     * must be public (unless the host is listed exactly), and the first is the one to connect to.
     */
    Destination destination(RouteKind kind, String url) {
        return destination(list(kind), url);
    }

    private AllowList list(RouteKind kind) {
        return switch (kind) {
            case TEAMS -> teams;
            case SLACK -> slack;
            case PAGERDUTY -> pagerDuty;
            case EMAIL -> sendGrid;
        };
    }

    private Destination destination(AllowList list, String url) {
        Optional<String> syntax = syntaxRefusal(list, url);
        if (syntax.isPresent()) {
            return Destination.refused(syntax.get());
        }
        URI uri = URI.create(url);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | SecurityException e) {
            return Destination.unresolved(host);
        }
        if (addresses.length == 0) {
            return Destination.unresolved(host);
        }
        if (!list.hosts().contains(host)) {
            for (InetAddress address : addresses) {
                if (WebhookUrls.isPrivate(address)) {
                    return Destination.refused("host " + host + " resolves to a private address ("
                            + address.getHostAddress() + ")");
                }
            }
        }
        return new Destination(uri, addresses[0], null, false);
    }

    /** Why {@code url} may not be posted to as a Teams webhook, or empty when it may. */
    Optional<String> refusal(String url) {
        return refusal(teams, url);
    }

    /** Why {@code url} may not be posted to for a route of {@code kind}, or empty when it may. */
    Optional<String> refusal(RouteKind kind, String url) {
        return refusal(list(kind), url);
    }

    /** Why the SendGrid API at {@code url} may not be called, or empty when it may. */
    Optional<String> sendGridRefusal(String url) {
        return refusal(sendGrid, url);
    }

    /** The refusal of {@link #destination}, except that a name which does not resolve (yet) is not refused. */
    private Optional<String> refusal(AllowList list, String url) {
        Destination destination = destination(list, url);
        return destination.retryable() ? Optional.empty() : Optional.ofNullable(destination.refusal());
    }

    /** What the URL alone refuses: not a URL, no host, not https (unless listed exactly), not allowed. */
    private static Optional<String> syntaxRefusal(AllowList list, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("not a valid URL");
        }
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null) {
            return Optional.of("the URL has no host");
        }
        if (list.hosts().contains(host)) {
            return Optional.empty(); // listed exactly: trusted as configured
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of("only https webhooks are posted to (" + host + " is not listed exactly)");
        }
        if (!WebhookUrls.hostAllowed(list.hosts(), host)) {
            return Optional.of("host " + host + " is not in " + list.variable());
        }
        return Optional.empty();
    }
}
