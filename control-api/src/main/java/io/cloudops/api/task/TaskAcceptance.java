package io.cloudops.api.task;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.approval.ApprovalPolicy;
import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.guardrail.GuardRails;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.api.ratelimit.TaskRateLimiter;
import io.cloudops.common.Sha256;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.task.EntityLabels;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.orchestrator.client.AuditRecord;
import io.cloudops.orchestrator.client.TaskSubmitter;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The one way a request becomes a task, for the API and the console alike: validates the
 * {@code Idempotency-Key}, fingerprints the request (method, API path, body) so that a reused key
 * with a different request is a 409, and submits it. REST endpoints then {@linkplain #respond answer}
 * 202 for a new task or 200 for a replay, with the task's location; console pages link to the task.
 *
 * <p>
 * The fingerprint's path is the API path the request stands for: a resource passes its request's
 * path, a console page the path of the endpoint its form replaces. So a form and an API call with
 * the same key and body are one request, as they were when the console went through the API.
 *
 * <p>
 * Being the one way, it is also where each principal's task rate limit is taken
 * ({@link TaskRateLimiter}): once the request is known to be valid, before anything is written.
 * <p>
 * Every accepted task is audited ({@value AuditActions#TASK_CREATE}): the entry, with the task
 * type, its entity, its parameters (secrets masked), the SHA-256 of the exact payload and any
 * digest the operation has (the rendered plan, the artifact restored), is written by the engine in
 * the transaction that accepts the task. A replay writes no second entry.
 * <p>
 * Before a task is submitted, the guard rails ({@link GuardRails}, CEL policies) that apply to its
 * operation are evaluated: a denial is a 403/422 problem naming the policy, and nothing is enqueued.
 * They run in {@link #submit}, on a worker thread, as they may look facts up in the database.
 * <p>
 * There too, {@link ApprovalPolicy} decides whether the task needs approval: it is then accepted as
 * {@code awaiting_approval} and holds its entity's queue until approvers decide.
 * <p>
 * The task is stored with its entity's readable name ({@code demo/dev}, {@link EntityLabels}), read
 * from the resolved payload, which names what the entity id stands for: every operation gets one
 * without saying so, and the notifications derive the same one for tasks accepted before it existed.
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
    private final TaskRateLimiter limiter;
    private final AuditContext audit;
    private final GuardRails guardRails;
    private final ApprovalPolicy approvals;

    TaskAcceptance(TaskSubmitter submitter, ObjectMapper json, SecurityIdentity identity, TaskRateLimiter limiter,
            AuditContext audit, GuardRails guardRails, ApprovalPolicy approvals) {
        this.approvals = approvals;
        this.guardRails = guardRails;
        this.submitter = submitter;
        this.json = json;
        this.identity = identity;
        this.limiter = limiter;
        this.audit = audit;
    }

    /** A task the engine accepted: new ({@code created}) or the one an earlier request with the same key made. */
    public record Accepted<B>(UUID taskId, boolean created, B body) {
    }

    /**
     * Everything the request contributes, taken on the request's thread (the caller's identity, the
     * key, the audit entry, what the guard rails need, if any applies).
     */
    public record Prepared(TaskSubmitter.Submission submission, AuditRecord audit,
            Optional<GuardRails.Check> guardRails) {
    }

    /** Accepts a task whose payload is the request itself; the answer is {@link TaskAccepted}. */
    public Accepted<TaskAccepted> accept(String type, String entityId, Object request, String idempotencyKey,
            String path) {
        return submit(prepare(type, entityId, request, request, idempotencyKey, path));
    }

    /**
     * Accepts a task whose payload was resolved from the request (names looked up, defaults filled
     * in, ids chosen). The Idempotency-Key fingerprint is taken from what the client sent, so the
     * same request with the same key is a replay even though a new resolution would differ;
     * {@code body} builds the answer (for a replay, from the earlier task).
     */
    public <B> Accepted<B> accept(String type, String entityId, Object request, Object payload,
            String idempotencyKey, String path, Function<TaskSubmitter.Accepted, B> body) {
        return accept(type, entityId, request, payload, idempotencyKey, path, body, Map.of());
    }

    /**
     * {@link #accept(String, String, Object, Object, String, String, Function)} with digests for the
     * audit entry (e.g. {@code manifestsSha256} of a deployment, {@code artifactSha256} of a restore).
     */
    public <B> Accepted<B> accept(String type, String entityId, Object request, Object payload,
            String idempotencyKey, String path, Function<TaskSubmitter.Accepted, B> body,
            Map<String, String> digests) {
        return submit(prepare(type, entityId, request, payload, idempotencyKey, path, digests), body);
    }

    /**
     * The first half of {@link #accept}, for endpoints that need nothing blocking to prepare a task
     * (the diagnostic task): it runs on the I/O thread, where Quarkus REST reads the small JSON body
     * in one go, and only {@link #submit} (the database write) moves to a worker thread.
     */
    public Prepared prepare(String type, String entityId, Object request, Object payload, String idempotencyKey,
            String path) {
        return prepare(type, entityId, request, payload, idempotencyKey, path, Map.of());
    }

    private Prepared prepare(String type, String entityId, Object request, Object payload, String idempotencyKey,
            String path, Map<String, String> digests) {
        String key = checkKey(idempotencyKey);
        String fingerprint = null;
        if (key != null) { // only a keyed request can be replayed
            try {
                fingerprint = "POST " + path + " " + json.writeValueAsString(json.valueToTree(request));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        JsonNode tree = json.valueToTree(payload);
        ObjectNode detail = audit.detail();
        detail.put("taskType", type);
        detail.put("entityId", entityId);
        detail.set("parameters", audit.masked(tree));
        detail.put("payloadSha256", Sha256.hex(tree.toString()));
        digests.forEach(detail::put);
        if (key != null) {
            detail.put("idempotencyKey", key);
        }
        String principal = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        limiter.check(principal); // a replay with the same key counts too: it is a request like any other
        Optional<GuardRails.Check> check = guardRails.prepare(type, entityId, json.valueToTree(request), tree,
                principal, identity.getRoles());
        return new Prepared(new TaskSubmitter.Submission(type, entityId, tree, principal, null, key, fingerprint)
                .withEntityLabel(EntityLabels.of(type, tree)),
                audit.succeeded(AuditActions.TASK_CREATE, AuditActions.TASK, null, detail), check);
    }

    /** Submits a prepared task (blocking: one database write); the answer is {@link TaskAccepted}. */
    public Accepted<TaskAccepted> submit(Prepared prepared) {
        return submit(prepared, accepted -> new TaskAccepted(accepted.taskId()));
    }

    public <B> Accepted<B> submit(Prepared prepared, Function<TaskSubmitter.Accepted, B> body) {
        prepared.guardRails().ifPresent(check -> guardRails.check(check, prepared.audit()));
        TaskSubmitter.Submission submission = prepared.submission();
        Optional<TaskSubmitter.Approval> approval = approvals.required(submission.type(), submission.entityId(),
                submission.payload());
        if (approval.isPresent()) {
            submission = submission.withApproval(approval.get());
            if (prepared.audit().detail() instanceof ObjectNode detail) {
                detail.put("approvalsRequired", approval.get().required()).put("approverRole",
                        approval.get().approverRole());
            }
        }
        TaskSubmitter.Accepted accepted = submitter.submit(submission, prepared.audit());
        return new Accepted<>(accepted.taskId(), accepted.created(), body.apply(accepted));
    }

    /** The REST answer: 202 for a new task, 200 for a replay, with the task's location and body. */
    public static Response respond(Accepted<?> accepted, UriInfo uri) {
        return respond(accepted, tasks(uri));
    }

    /** {@link #respond(Accepted, UriInfo)} with {@link #tasks} taken earlier, on the request's thread. */
    public static Response respond(Accepted<?> accepted, URI tasks) {
        return Response.status(accepted.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(UriBuilder.fromUri(tasks).path(accepted.taskId().toString()).build())
                .entity(accepted.body())
                .build();
    }

    /** Where the tasks of this API live ({@code .../api/tasks}), for the Location of an answer. */
    public static URI tasks(UriInfo uri) {
        return uri.getBaseUriBuilder().path("api/tasks").build();
    }

    private static String checkKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new ApiException(400, ProblemTypes.VALIDATION, "Invalid request",
                    IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters without spaces",
                    List.of(new FieldError(IDEMPOTENCY_KEY,
                            "must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters without spaces")));
        }
        return key;
    }
}
