package io.cloudops.api.audit;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request an id, for the audit log and for a client to quote: the client's
 * {@value #HEADER} when it is a sane token (1 to 128 letters, digits and {@code . _ : -}), else a
 * new UUID. Either way the response carries it back in {@value #HEADER}.
 */
@ApplicationScoped
public class RequestIdHandler {

    public static final String HEADER = "X-Request-Id";
    static final String KEY = "cloudops.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::assign);
    }

    private void assign(RoutingContext context) {
        String id = sane(context.request().getHeader(HEADER));
        context.put(KEY, id);
        context.response().putHeader(HEADER, id);
        context.next();
    }

    /** The client's id when it is acceptable, else a fresh one. */
    static String sane(String given) {
        return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    /** The id assigned to the request of {@code context}. */
    static String of(RoutingContext context) {
        String id = context.get(KEY);
        return id != null ? id : UUID.randomUUID().toString();
    }
}
