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
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Answers a request body over {@code quarkus.http.limits.max-body-size} on {@code /api} with a 413
 * problem document, like every other API error. Quarkus enforces the limit in a Vert.x route ahead of
 * the REST layer and answers with an empty 413 (and the REST layer does the same for chunked bodies),
 * which no exception mapper ever sees. This route runs just before Quarkus' check and reads API bodies
 * (small JSON documents) with the same limit, so both cases land in its failure handler.
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
                .handler(BodyHandler.create(false).setBodyLimit(limit.asLongValue()))
                .failureHandler(context -> tooLarge(context, limit.asLongValue())));
    }

    private void tooLarge(RoutingContext context, long limit) {
        if (context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        String path = context.normalizedPath();
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Problem(ProblemTypes.TOO_LARGE, "Payload too large", 413,
                    "The request body is larger than the " + limit + " bytes the server accepts", path, null));
        } catch (JsonProcessingException e) {
            context.next();
            return;
        }
        // The rest of the body is never read: close the connection once answered, as Quarkus does.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaderNames.CONNECTION, "close")
                .end(Buffer.buffer(body))
                .onComplete(done -> context.request().connection().close());
    }
}
