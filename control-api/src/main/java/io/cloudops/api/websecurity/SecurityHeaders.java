package io.cloudops.api.websecurity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser-security headers of every answer (pages, API, static files, errors, and the refusals
 * of the handlers that run before the REST layer): a Content Security Policy that allows scripts and
 * styles from this server only (no inline script or style: the console's templates carry none, and
 * htmx is told not to inject its indicator style), no framing ({@code frame-ancestors 'none'}), no
 * content sniffing, and no referrer to other sites. Swagger UI, a page this project does not write,
 * starts itself with an inline script; it alone may run inline script and style.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    static final String SWAGGER_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String SWAGGER = "/swagger";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::add);
    }

    private void add(RoutingContext context) {
        String path = context.request().path();
        boolean swagger = path != null && (path.equals(SWAGGER) || path.startsWith(SWAGGER + "/"));
        context.addHeadersEndHandler(done -> {
            MultiMap headers = context.response().headers();
            headers.set("Content-Security-Policy", swagger ? SWAGGER_CSP : CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
        });
        context.next();
    }
}
