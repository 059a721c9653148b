package io.cloudops.api.console;

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

    /** {@code app;dur=<ms>} with two decimals (String.format costs more than the request it times). */
    static String duration(long nanos) {
        long hundredths = Math.max(0, nanos) / 10_000;
        long fraction = hundredths % 100;
        return "app;dur=" + hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private void time(RoutingContext context) {
        if (context.request().getHeader("Upgrade") == null) {
            long start = System.nanoTime();
            context.addHeadersEndHandler(done -> context.response().headers().set(HEADER,
                    duration(System.nanoTime() - start)));
        }
        context.next();
    }
}
