package io.cloudops.common.notification;

import java.net.URI;
import java.util.List;
import java.util.Locale;

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
