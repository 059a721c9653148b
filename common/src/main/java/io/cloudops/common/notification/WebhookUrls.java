package io.cloudops.common.notification;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules every webhook URL meets wherever it is handled: when a project saves it (control-api)
 * and before every post (the notification dispatcher). Its path is the credential, so it is shown
 * and logged masked; its host must be one of the allowed hosts.
 */
public final class WebhookUrls {

    public static final String MASK = "****";

    private WebhookUrls() {
    }

    /** {@code scheme://host/****}: enough to recognise the route, nothing of the token in its path; null stays null. */
    public static String mask(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? MASK : uri.getScheme() + "://" + uri.getHost() + "/" + MASK;
        } catch (IllegalArgumentException e) {
            return MASK;
        }
    }

    /**
     * A routing key (PagerDuty) as it may be shown or logged: {@code ****} and its last four characters,
     * enough to tell two keys apart; null stays null.
     */
    public static String maskKey(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        return key.length() < 16 ? MASK : MASK + key.substring(key.length() - 4);
    }

    /**
     * The first loopback, private (RFC 1918, IPv6 unique local), link-local (cloud metadata) or wildcard
     * address {@code host} resolves to, if any. A name that does not resolve has none: the post fails
     * on its own (and DNS may come back), so it is not refused for that.
     */
    public static Optional<InetAddress> privateAddress(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (isPrivate(address)) {
                    return Optional.of(address);
                }
            }
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Loopback, private (site-local), link-local, wildcard or IPv6 unique local: not a public address. */
    public static boolean isPrivate(InetAddress address) {
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || isUniqueLocal(address);
    }

    /** IPv6 unique local addresses (fc00::/7), which {@link InetAddress#isSiteLocalAddress()} does not cover. */
    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }

    /** The configured allowed hosts, trimmed, lower-case, without empty entries. */
    public static List<String> allowedHosts(List<String> configured) {
        return configured.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    /** Whether {@code host} (lower-case) is allowed: listed exactly, or under a {@code *.suffix} entry. */
    public static boolean hostAllowed(List<String> allowedHosts, String host) {
        return allowedHosts.stream()
                .anyMatch(allowed -> allowed.startsWith("*.")
                        ? host.endsWith(allowed.substring(1))
                        : host.equals(allowed));
    }
}
