package io.cloudops.api.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A gate in front of {@code /api}, for tests that prove something does not reach the API over
 * HTTP: while {@linkplain #close() closed}, every {@code /api} request is answered 503 before any
 * resource sees it, and counted. Open by default, so it changes nothing for other tests.
 */
@ApplicationScoped
public class ApiGate {

    private static volatile boolean closed;
    private static final AtomicInteger REFUSED = new AtomicInteger();

    void install(@Observes Router router) {
        router.route("/api/*").order(Integer.MIN_VALUE + 2).handler(ApiGate::gate);
    }

    /** Refuses {@code /api} from now on; returns a handle that opens the gate again. */
    public static AutoCloseable close() {
        REFUSED.set(0);
        closed = true;
        return () -> closed = false;
    }

    /** How many {@code /api} requests were refused since the gate was closed. */
    public static int refused() {
        return REFUSED.get();
    }

    private static void gate(RoutingContext context) {
        if (closed) {
            REFUSED.incrementAndGet();
            context.response().setStatusCode(503).end("the API is closed for this test");
            return;
        }
        context.next();
    }
}
