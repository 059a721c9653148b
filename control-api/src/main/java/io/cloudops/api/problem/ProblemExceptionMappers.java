package io.cloudops.api.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.cloudops.api.console.ConsoleErrors;
import io.cloudops.api.ratelimit.TooManyRequestsException;
import io.cloudops.api.security.AccessRefusals;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem;
import io.cloudops.orchestrator.client.TaskErrors;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns every failure of a REST call into an RFC 9457 problem document. Nothing a client sends
 * may produce a stack trace in the response: unexpected failures become a 500 problem that only
 * carries a reference to the server log. Which problem each failure is lives in {@link Problems},
 * which the console uses too; here each exception type is only registered with JAX-RS.
 */
public class ProblemExceptionMappers {

    private final AccessRefusals refusals;
    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;

    ProblemExceptionMappers(AccessRefusals refusals, SecurityIdentity identity, CurrentVertxRequest request) {
        this.refusals = refusals;
        this.identity = identity;
        this.request = request;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Response response = problem(Problems.api(e, path(uri)));
        if (e instanceof TooManyRequestsException limited) {
            return Response.fromResponse(response).header("Retry-After", limited.retryAfterSeconds()).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response taskNotFound(TaskErrors.NotFound e, UriInfo uri) {
        return problem(Problems.taskNotFound(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response taskConflict(TaskErrors.Conflict e, UriInfo uri) {
        return problem(Problems.taskConflict(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response taskNotAllowed(TaskErrors.NotAllowed e, UriInfo uri) {
        return problem(Problems.taskNotAllowed(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(TaskErrors.IdempotencyKeyReused e, UriInfo uri) {
        return problem(Problems.idempotencyKeyReused(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response unknownTaskType(TaskErrors.UnknownType e, UriInfo uri) {
        return problem(Problems.unknownTaskType(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        return problem(Problems.constraintViolation(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return problem(Problems.unknownField(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return problem(Problems.invalidFormat(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return problem(Problems.mismatchedInput(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        return problem(Problems.jsonMapping(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return problem(Problems.malformed(e, path(uri)));
    }

    @ServerExceptionMapper(priority = 2)
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return problem(Problems.malformed(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(Problems.notFound(path(uri)));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        return problem(Problems.notAllowed(e, path(uri)));
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e, UriInfo uri) {
        return problem(Problems.notSupported(path(uri)));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
        return problem(Problems.notAcceptable(path(uri)));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        return withRetryAfter(problem(Problems.webApplication(e, path(uri))));
    }

    /**
     * Anonymous: the API and the live endpoints answer a 401 problem, never a redirect; a console
     * page (OIDC mode) sends the browser to the provider's sign-in, and comes back after it.
     */
    @ServerExceptionMapper
    public Uni<Response> unauthorized(UnauthorizedException e, UriInfo uri) {
        return signIn(path(uri));
    }

    @ServerExceptionMapper
    public Uni<Response> authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return signIn(path(uri));
    }

    /** Signed in but not allowed: a 403 problem (naming the accepted roles if the token has none), or a page. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        String path = path(uri);
        if (AccessRefusals.isPage(path)) {
            return ConsoleErrors.page(403, "Forbidden", refusals.forbiddenPageMessage(identity));
        }
        return problem(refusals.forbidden(identity, path));
    }

    private Uni<Response> signIn(String path) {
        Response problem = problem(Problems.unauthorized(path));
        RoutingContext context = request.getCurrent();
        HttpAuthenticator authenticator = context == null ? null : context.get(HttpAuthenticator.class.getName());
        if (!refusals.signInByRedirect(path) || authenticator == null) {
            return Uni.createFrom().item(problem);
        }
        if ("true".equals(context.request().getHeader("HX-Request"))) {
            // a fragment request cannot follow a redirect to another site: reload the page, which can
            return Uni.createFrom().item(Response.status(401).header("HX-Refresh", "true").build());
        }
        return authenticator.getChallenge(context).map(challenge -> {
            if (challenge == null) {
                return problem;
            }
            Response.ResponseBuilder response = Response.status(challenge.status);
            challenge.getHeaders().forEach((name, value) -> response.header(name.toString(), value));
            return response.build();
        });
    }

    @ServerExceptionMapper
    public Response commitOutcomeUnknown(TaskErrors.CommitOutcomeUnknown e, UriInfo uri, HttpHeaders headers) {
        return internal(e, uri, headers);
    }

    /** The problem of a request whose transaction may or may not have committed, with its Retry-After. */
    static Response commitOutcomeUnknown(String idempotencyKey, String path) {
        return withRetryAfter(problem(Problems.commitOutcomeUnknown(idempotencyKey, path)));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response internal(Throwable e, UriInfo uri, HttpHeaders headers) {
        // the key tells a client whose commit outcome is unknown how to resend safely
        String key = headers == null ? null : headers.getHeaderString(TaskAcceptance.IDEMPOTENCY_KEY);
        return withRetryAfter(problem(Problems.internal(e, path(uri), key)));
    }

    static Response problem(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** A 503 (database away, or a commit whose outcome is unknown): tell the client when to retry. */
    private static Response withRetryAfter(Response response) {
        if (response.getStatus() == 503) {
            return Response.fromResponse(response).header("Retry-After", "5").build();
        }
        return response;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
