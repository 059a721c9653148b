package io.cloudops.api.console;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Adds {@code Server-Timing: app;dur=<ms>} to every HTTP answer: the time from the request's arrival
 * to its response headers (for a page, after the template has rendered). Browsers show it in
 * their network panel; the page figures test reads it to report server time per page without
 * timing the network.
 */
@ApplicationScoped
public class ServerTimingHandler {

    public static final String HEADER = "Server-Timing";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::time);
    }

    private void time(RoutingContext context) {
        if (context.request().getHeader("Upgrade") == null) {
            long start = System.nanoTime();
            context.addHeadersEndHandler(done -> context.response().headers().set(HEADER,
                    String.format(Locale.ROOT, "app;dur=%.2f", (System.nanoTime() - start) / 1_000_000.0)));
        }
        context.next();
    }
}
