package io.cloudops.api.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.api.Problem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps the web console's CSRF check (quarkus-rest-csrf, which verifies every form post) away
 * from {@code /api}, which takes JSON only. A form body sent to {@code /api} is answered with a 415
 * problem here; an empty body labelled as a form (many HTTP clients label a body-less POST that
 * way, e.g. {@code POST /api/tasks/{id}/cancel}) loses the label, so the CSRF filter does not ask
 * it for a token it never needed.
 */
@ApplicationScoped
public class ApiFormBodyGuard {

    private final ObjectMapper json;

    ApiFormBodyGuard(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/api/*")
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2)
                .handler(this::guard);
    }

    private void guard(RoutingContext context) {
        String type = context.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !isForm(type)) {
            context.next();
            return;
        }
        if (hasNoBody(context)) {
            context.request().headers().remove(HttpHeaderNames.CONTENT_TYPE);
            context.next();
            return;
        }
        byte[] body;
        try {
            body = json
                    .writeValueAsBytes(new Problem(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", 415,
                            "Send the request body as application/json", context.normalizedPath(), null));
        } catch (JsonProcessingException e) {
            context.next();
            return;
        }
        context.response().setStatusCode(415)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body));
    }

    private static boolean isForm(String type) {
        String lower = type.toLowerCase(java.util.Locale.ROOT).strip();
        return lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/form-data");
    }

    private static boolean hasNoBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        String chunked = context.request().getHeader(HttpHeaderNames.TRANSFER_ENCODING);
        return chunked == null && (length == null || "0".equals(length.strip()));
    }
}
