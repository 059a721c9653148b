package io.cloudops.api.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.api.Problem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request to {@code /api} whose declared body length is over
 * {@code quarkus.http.limits.max-body-size} with a 413 problem document, like every other API error.
 * Quarkus makes the same check in a Vert.x route ahead of the REST layer and answers with an empty
 * 413 that no exception mapper sees; this route runs just before it. (A chunked body without a
 * {@code Content-Length} is still cut off by the REST layer's input stream, with an empty 413.)
 */
@ApplicationScoped
public class RequestBodyLimitHandler {

    private final ObjectMapper json;

    RequestBodyLimitHandler(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router, VertxHttpConfig http) {
        http.limits().maxBodySize().ifPresent(limit -> router.route("/api/*")
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> refuseOversized(context, limit.asLongValue())));
    }

    private void refuseOversized(RoutingContext context, long limit) {
        if (declaredLength(context) <= limit) {
            context.next();
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Problem(ProblemTypes.TOO_LARGE, "Payload too large", 413,
                    "The request body is larger than the " + limit + " bytes the server accepts",
                    context.normalizedPath(), null));
        } catch (JsonProcessingException e) {
            context.next();
            return;
        }
        // The body is never read: close the connection once answered, as Quarkus does.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaderNames.CONNECTION, "close")
                .end(Buffer.buffer(body))
                .onComplete(done -> context.request().connection().close());
    }

    /** The {@code Content-Length} of the request; -1 when it has none (or one Quarkus should judge). */
    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
