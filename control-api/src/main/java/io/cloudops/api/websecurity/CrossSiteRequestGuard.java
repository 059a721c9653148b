package io.cloudops.api.websecurity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.api.security.DemoAuthenticationMechanism;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses state-changing requests (anything but GET, HEAD, OPTIONS, TRACE) that could come from
 * another site's page, for {@code /api} and the console alike. Identity is ambient (demo mode signs
 * in whoever reaches the port, and with OIDC the console has a session cookie), so a page elsewhere
 * must not be able to make the browser act. A request passes when it proves it is not such a
 * request, by one of (docs/operating.md, "Cross-site requests"):
 * <ol>
 * <li>a bearer token ({@code Authorization: Bearer ...}), which a browser never adds by itself;</li>
 * <li>the CSRF token: header {@value #TOKEN_HEADER} equal to the CSRF cookie (the console's
 * scripts send it), or on a console form (outside {@code /api}) the form field, which
 * quarkus-rest-csrf checks against the cookie;</li>
 * <li>in demo mode, the {@value DemoAuthenticationMechanism#ROLE_HEADER} header: a page of another
 * site can only add a custom header after a CORS preflight, and CORS is closed unless configured;</li>
 * <li>no browser marker at all (no {@code Origin}, {@code Sec-Fetch-Site} or {@code Cookie}): a
 * program such as curl or a generated client, which no page can drive. Browsers send
 * {@code Origin} with every such request.</li>
 * </ol>
 * Anything else is a 403 problem that says what was missing.
 */
@ApplicationScoped
public class CrossSiteRequestGuard {

    public static final String TOKEN_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private final ObjectMapper json;
    private final boolean demoMode;
    private final String csrfCookie;

    CrossSiteRequestGuard(ObjectMapper json, PlatformConfig config,
            @ConfigProperty(name = "quarkus.rest-csrf.cookie-name") String csrfCookie) {
        this.json = json;
        this.demoMode = config.demoMode();
        this.csrfCookie = csrfCookie;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (SAFE.contains(request.method())) {
            context.next();
            return;
        }
        String missing = refusal(request);
        if (missing == null) {
            context.next();
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Problem(ProblemTypes.CROSS_SITE, "Cross-site request refused", 403,
                    missing, context.normalizedPath(),
                    List.of(new FieldError(TOKEN_HEADER, "is missing: send it (matching the " + csrfCookie
                            + " cookie) or a bearer token"))));
        } catch (JsonProcessingException e) {
            context.fail(e);
            return;
        }
        context.response().setStatusCode(403)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body));
    }

    /** Null when the request proves it is no cross-site browser request; otherwise what it lacks. */
    String refusal(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank()) {
            return null;
        }
        String token = request.getHeader(TOKEN_HEADER);
        if (token != null) {
            Cookie cookie = request.getCookie(csrfCookie);
            if (cookie != null && !cookie.getValue().isEmpty() && MessageDigest.isEqual(
                    token.strip().getBytes(StandardCharsets.UTF_8),
                    cookie.getValue().getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
            return cookie == null
                    ? TOKEN_HEADER + " was sent without the " + csrfCookie + " cookie: load a console page first"
                    : TOKEN_HEADER + " does not match the " + csrfCookie + " cookie: reload the page";
        }
        if (demoMode && (request.getHeader(DemoAuthenticationMechanism.ROLE_HEADER) != null
                || request.getHeader(DemoAuthenticationMechanism.USER_HEADER) != null)) {
            return null;
        }
        if (isConsoleForm(request)) {
            return null; // quarkus-rest-csrf verifies the form's token field against the cookie
        }
        List<String> markers = new ArrayList<>();
        for (String marker : List.of("Origin", "Sec-Fetch-Site", "Cookie")) {
            if (request.getHeader(marker) != null) {
                markers.add(marker);
            }
        }
        if (markers.isEmpty()) {
            return null; // not a browser: no page can make a program send this
        }
        return "A state-changing request from a browser (it sent " + String.join(", ", markers)
                + ") must prove it comes from this site: send the " + TOKEN_HEADER + " header with the value of the "
                + csrfCookie + " cookie (the console does), or a bearer token (Authorization: Bearer ...)"
                + (demoMode ? ", or in demo mode the " + DemoAuthenticationMechanism.ROLE_HEADER + " header" : "");
    }

    private static boolean isConsoleForm(HttpServerRequest request) {
        String path = request.path();
        if (path == null || path.equals("/api") || path.startsWith("/api/")) {
            return false;
        }
        String type = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        String lower = type.toLowerCase(Locale.ROOT).strip();
        return lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data");
    }
}
