package io.cloudops.api.security;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Demo mode: a request naming a demo user that does not exist ({@value DemoAuthenticationMechanism#USER_HEADER})
 * is answered with a 400 problem naming the header, before sign-in, rather than the bodiless 401 a
 * failed sign-in gets from the HTTP layer. An unknown user is never replaced by another one.
 */
@ApplicationScoped
public class DemoUserCheck {

    private final ObjectMapper json;
    private final boolean demoMode;

    DemoUserCheck(ObjectMapper json, PlatformConfig config) {
        this.json = json;
        this.demoMode = config.demoMode();
    }

    void install(@Observes Router router) {
        if (demoMode) {
            router.route().order(Integer.MIN_VALUE + 2).handler(this::check);
        }
    }

    private void check(RoutingContext context) {
        String user = context.request().getHeader(DemoAuthenticationMechanism.USER_HEADER);
        if (user == null || DemoAuthenticationMechanism.DEMO_USERS.contains(user.strip().toLowerCase(Locale.ROOT))) {
            context.next();
            return;
        }
        String users = String.join(", ", DemoAuthenticationMechanism.DEMO_USERS);
        try {
            byte[] body = json.writeValueAsBytes(new Problem(ProblemTypes.VALIDATION, "Invalid request", 400,
                    DemoAuthenticationMechanism.USER_HEADER + " names no demo user; use one of " + users,
                    context.normalizedPath(),
                    List.of(new FieldError(DemoAuthenticationMechanism.USER_HEADER, "must be one of " + users))));
            context.response().setStatusCode(400).putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
