package io.cloudops.api.websecurity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every cookie this server sets (the CSRF cookie of quarkus-rest-csrf, the demo role cookie,
 * and any later one) {@code SameSite=Lax} unless it says otherwise, and {@code Secure} outside
 * loopback: whenever the request came over TLS (directly, or through a proxy that says so) or to
 * an address other than loopback. A browser keeps a {@code Secure} cookie only over HTTPS, which is
 * what anyone reaching the server from another machine must use; on loopback (the demo on a laptop,
 * {@code http://localhost}) the cookies work without it. {@code HttpOnly} is each cookie's own:
 * the CSRF and role cookies are (the console reads the token from the page, not the cookie).
 */
@ApplicationScoped
public class CookieAttributes {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::attach);
    }

    private void attach(RoutingContext context) {
        context.addHeadersEndHandler(done -> apply(context));
        context.next();
    }

    private void apply(RoutingContext context) {
        boolean secure = isSecure(context.request());
        // cookies added to the response's jar (Vert.x writes them after this handler)
        for (Cookie cookie : context.request().cookies()) {
            if (cookie instanceof ServerCookie server && server.isChanged()) {
                if (cookie.getSameSite() == null) {
                    cookie.setSameSite(CookieSameSite.LAX);
                }
                if (secure) {
                    cookie.setSecure(true);
                }
            }
        }
        // cookies already written as headers (Jakarta REST's NewCookie)
        List<String> set = context.response().headers().getAll("Set-Cookie");
        if (!set.isEmpty()) {
            context.response().headers().remove("Set-Cookie");
            for (String header : set) {
                context.response().headers().add("Set-Cookie", withAttributes(header, secure));
            }
        }
    }

    static String withAttributes(String header, boolean secure) {
        String lower = header.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(header);
        if (!lower.matches(".*;\\s*samesite=.*")) {
            out.append("; SameSite=Lax");
        }
        if (secure && !lower.matches(".*;\\s*secure\\s*(;.*)?")) {
            out.append("; Secure");
        }
        return out.toString();
    }

    /** TLS (or a proxy's {@code X-Forwarded-Proto: https}, when forwarding is on), or not loopback. */
    static boolean isSecure(HttpServerRequest request) {
        if (request.isSSL() || "https".equalsIgnoreCase(request.scheme())) {
            return true;
        }
        return !isLoopback(request.localAddress());
    }

    static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null || address.hostAddress().isEmpty()) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
