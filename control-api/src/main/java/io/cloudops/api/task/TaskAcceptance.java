package io.cloudops.api.task;

import java.net.URI;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The one way REST endpoints accept a task: validates the {@code Idempotency-Key} header,
 * fingerprints the request (method, path, body) so that a reused key with a different request is
 * a 409, and answers 202 for a new task or 200 for a replay, with the task's location.
 */
@ApplicationScoped
public class TaskAcceptance {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The OpenAPI description of the header on every task-creating endpoint. */
    public static final String IDEMPOTENCY_KEY_DOC = "Same key and body: the same task, never enqueued twice. Send one: "
            + "after a 503 (database unavailable, or commit outcome unknown) resending with the same key is safe";
    private static final int MAX_KEY_LENGTH = 200;

    private final TaskSubmitter submitter;
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    TaskAcceptance(TaskSubmitter submitter, ObjectMapper json, SecurityIdentity identity) {
        this.submitter = submitter;
        this.json = json;
        this.identity = identity;
    }

    /** Accepts a task whose payload is the request itself; answers {@link TaskAccepted}. */
    public Response accept(String type, String entityId, Object request, String idempotencyKey, UriInfo uri) {
        return accept(type, entityId, request, request, idempotencyKey, uri, accepted -> new TaskAccepted(
                accepted.taskId()));
    }

    /**
     * Accepts a task whose payload was resolved from the request (names looked up, defaults filled
     * in, ids chosen). The Idempotency-Key fingerprint is taken from what the client sent, so the
     * same request with the same key is a replay even though a new resolution would differ;
     * {@code body} builds the answer (for a replay, from the earlier task).
     */
    public <B> Response accept(String type, String entityId, Object request, Object payload, String idempotencyKey,
            UriInfo uri, Function<TaskSubmitter.Accepted, B> body) {
        Prepared prepared = prepare(type, entityId, request, payload, idempotencyKey, uri);
        return prepared.respond(submitter.submit(prepared.submission()), body);
    }

    /**
     * Accepts a task whose payload is the request itself, for endpoints that need nothing blocking
     * to prepare it (the diagnostic task): the endpoint runs on the I/O thread, where Quarkus REST
     * reads the small JSON body in one go, deserializes and validates it, and only the database
     * write moves to a worker thread. (A blocking endpoint instead reads its body on the worker,
     * chunk by chunk, handing each chunk over from the I/O thread under a lock.)
     */
    public Uni<Response> acceptOffIoThread(String type, String entityId, Object request, String idempotencyKey,
            UriInfo uri) {
        Prepared prepared = prepare(type, entityId, request, request, idempotencyKey, uri);
        return Uni.createFrom()
                .item(() -> prepared.respond(submitter.submit(prepared.submission()),
                        accepted -> new TaskAccepted(accepted.taskId())))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Everything the request contributes, taken on the request's thread. */
    private record Prepared(TaskSubmitter.Submission submission, URI tasks) {
        <B> Response respond(TaskSubmitter.Accepted accepted, Function<TaskSubmitter.Accepted, B> body) {
            return Response.status(accepted.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                    .location(UriBuilder.fromUri(tasks).path(accepted.taskId().toString()).build())
                    .entity(body.apply(accepted))
                    .build();
        }
    }

    private Prepared prepare(String type, String entityId, Object request, Object payload, String idempotencyKey,
            UriInfo uri) {
        String key = checkKey(idempotencyKey);
        String fingerprint = null;
        if (key != null) { // only a keyed request can be replayed
            try {
                fingerprint = "POST " + uri.getPath() + " " + json.writeValueAsString(json.valueToTree(request));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        JsonNode tree = json.valueToTree(payload);
        TaskSubmitter.Submission submission = new TaskSubmitter.Submission(type, entityId, tree,
                identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName(), null, key, fingerprint);
        return new Prepared(submission, uri.getBaseUriBuilder().path("api/tasks").build());
    }

    private static String checkKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new ApiException(400, ProblemTypes.VALIDATION, "Invalid request",
                    IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters without spaces",
                    java.util.List.of(new io.cloudops.common.api.Problem.FieldError(IDEMPOTENCY_KEY,
                            "must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters without spaces")));
        }
        return key;
    }
}
