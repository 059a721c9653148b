package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.cloudops.api.approval.ApprovalService;
import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.deployment.DeploymentService;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.ArtifactView;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.Approvals;
import io.cloudops.orchestrator.client.ArtifactContents;
import io.cloudops.orchestrator.client.TaskControl;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * One task, live: header (status, duration, entity, error, cancel and retry), step timeline and
 * logs. The page is rendered from one database snapshot together with the seq of the last event it
 * includes; the page script follows the hub from that seq, so nothing is shown twice or missed.
 * Header and timeline are fragments the script swaps in when the task's status changes. Cancel and
 * retry call {@link TaskControl} as the API's endpoints do, with their role (operator); approve and
 * reject call {@link ApprovalService}, shown to users with the task's approver role.
 */
@Path("/tasks/{id}")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class TaskPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance task(TaskView task, long lastSeq, ActionResult outcome, List<Code> code);

        static native TemplateInstance task$header(TaskView task);

        static native TemplateInstance task$timeline(TaskView task);

        static native TemplateInstance task$outputs(TaskView task, List<Code> code);
    }

    private final TaskQueries queries;
    private final TaskControl control;
    private final ConsoleActions actions;
    private final AuditContext audit;

    private final DeploymentService deployments;
    private final ApprovalService approvals;
    private final ArtifactContents contents;
    private static final int SHOWN_BYTES = 256 * 1024;
    private static final java.util.Set<String> CODE_KINDS = java.util.Set.of("plan", "diff");

    TaskPage(TaskQueries queries, TaskControl control, ConsoleActions actions, AuditContext audit,
            DeploymentService deployments, ApprovalService approvals, ArtifactContents contents) {
        this.contents = contents;
        this.approvals = approvals;
        this.deployments = deployments;
        this.audit = audit;
        this.queries = queries;
        this.control = control;
        this.actions = actions;
    }

    @GET
    public Response task(@PathParam("id") String id) {
        UUID taskId = ConsoleErrors.parseId(id, "Task");
        TaskQueries.Snapshot snapshot = queries.snapshot(taskId)
                .orElseThrow(() -> ConsoleErrors.notFound("Task " + taskId + " does not exist."));
        return Response.ok(Templates.task(snapshot.task(), snapshot.lastSeq(), null, code(snapshot.task()))).build();
    }

    @GET
    @Path("header")
    public TemplateInstance header(@PathParam("id") String id) {
        return Templates.task$header(find(id));
    }

    @GET
    @Path("timeline")
    public TemplateInstance timeline(@PathParam("id") String id) {
        return Templates.task$timeline(find(id));
    }

    /** Plan, diff, artifacts and notifications: they appear while the task runs (after its plan step, its end). */
    @GET
    @Path("outputs")
    public TemplateInstance outputs(@PathParam("id") String id) {
        TaskView task = find(id);
        return Templates.task$outputs(task, code(task));
    }

    @POST
    @Path("cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_CANCEL, targetType = AuditActions.TASK, targetParam = "id")
    public Response cancel(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID taskId = ConsoleErrors.parseId(id, "Task");
        // what POST /api/tasks/{id}/cancel does, with its role
        ConsoleActions.Attempt<TaskControl.CancelResult> cancel = actions.attempt(Roles.OPERATOR, request.path(),
                () -> control.cancel(taskId,
                        audit.succeeded(AuditActions.TASK_CANCEL, AuditActions.TASK, taskId, null)));
        String done = cancel.ok() && cancel.value().status() == TaskStatus.CANCELLED
                ? "Cancelled."
                : "Cancel requested: the task stops at its next step boundary.";
        return respond(taskId, ActionResult.of(done, cancel.outcome(result -> taskId)), htmx);
    }

    @POST
    @Path("retry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_RETRY, targetType = AuditActions.TASK, targetParam = "id")
    public Response retry(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID taskId = ConsoleErrors.parseId(id, "Task");
        // what POST /api/tasks/{id}/retry does, with its role
        ActionOutcome outcome = actions.attempt(Roles.OPERATOR, request.path(), () -> control.retry(taskId,
                audit.succeeded(AuditActions.TASK_RETRY, AuditActions.TASK, taskId, null)))
                .outcome(status -> taskId);
        return respond(taskId, ActionResult.of("Re-queued at the tail of its entity's queue.", outcome, taskId),
                htmx);
    }

    @POST
    @Path("rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response rollback(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID taskId = ConsoleErrors.parseId(id, "Task");
        // what POST /api/deployments/{taskId}/rollback does, with its role
        ActionOutcome outcome = actions.attempt(Roles.OPERATOR, request.path(),
                () -> deployments.rollback(taskId, null, "/api/deployments/" + taskId + "/rollback"))
                .outcome(TaskAcceptance.Accepted::taskId);
        return respond(taskId, ActionResult.of("Rollback queued: a new deployment applies this task's plan again.",
                outcome), htmx);
    }

    @POST
    @Path("approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_APPROVE, targetType = AuditActions.TASK, targetParam = "id")
    public Response approve(@PathParam("id") String id, @FormParam("comment") String comment,
            @HeaderParam("HX-Request") String htmx, @Context HttpServerRequest request) {
        return decide(id, comment, htmx, request, true);
    }

    @POST
    @Path("reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_REJECT, targetType = AuditActions.TASK, targetParam = "id")
    public Response reject(@PathParam("id") String id, @FormParam("comment") String comment,
            @HeaderParam("HX-Request") String htmx, @Context HttpServerRequest request) {
        return decide(id, comment, htmx, request, false);
    }

    /** What POST /api/tasks/{id}/approve or /reject does, with its role (the engine checks the task's approver role). */
    private Response decide(String id, String comment, String htmx, HttpServerRequest request, boolean approve) {
        UUID taskId = ConsoleErrors.parseId(id, "Task");
        if (comment != null && comment.length() > 1000) {
            return respond(taskId, ActionResult.of("", ActionOutcome.invalid(
                    java.util.List.of(new FieldError("comment", "must be at most 1000 characters")), request.path())),
                    htmx);
        }
        ConsoleActions.Attempt<Approvals.Outcome> decided = actions.attempt(Roles.OPERATOR, request.path(),
                () -> approve ? approvals.approve(taskId, comment) : approvals.reject(taskId, comment));
        String done = !decided.ok()
                ? ""
                : switch (decided.value().status()) {
                    case QUEUED -> "Approved: the task is queued at its place.";
                    case REJECTED -> "Rejected: nothing of it runs.";
                    default -> "Approved (" + decided.value().approved() + " of " + decided.value().required()
                            + "): it waits for more approvals.";
                };
        return respond(taskId, ActionResult.of(done, decided.outcome(result -> taskId)), htmx);
    }

    /** htmx gets the message for the result area; a plain form post gets the whole page with it. */
    private Response respond(UUID taskId, ActionResult result, String htmx) {
        int status = result.ok() ? 200 : result.outcome().status();
        if ("true".equals(htmx)) {
            return Response.status(status).entity(Partials.Templates.result(result)).build();
        }
        TaskQueries.Snapshot snapshot = queries.snapshot(taskId)
                .orElseThrow(() -> ConsoleErrors.notFound("Task " + taskId + " does not exist."));
        return Response.status(status)
                .entity(Templates.task(snapshot.task(), snapshot.lastSeq(), result, code(snapshot.task()))).build();
    }

    /** A plan or diff artifact shown highlighted on the page. */
    public record Code(String kind, String title, List<CodeHighlighting.Line> lines) {
    }

    /** The task's plan (YAML) and diff artifacts, highlighted; those larger than {@value #SHOWN_BYTES} bytes are only listed. */
    private List<Code> code(TaskView task) {
        List<Code> code = new ArrayList<>();
        for (ArtifactView artifact : task.artifacts()) {
            if (!CODE_KINDS.contains(artifact.kind()) || artifact.sizeBytes() > SHOWN_BYTES) {
                continue;
            }
            contents.text(artifact.uri(), SHOWN_BYTES).ifPresent(text -> code.add("diff".equals(artifact.kind())
                    ? new Code("diff", "Diff against the last applied plan", CodeHighlighting.diff(text))
                    : new Code("plan", "Plan", CodeHighlighting.yaml(text))));
        }
        return code;
    }

    private TaskView find(String id) {
        UUID taskId = ConsoleErrors.parseId(id, "Task");
        return queries.get(taskId).orElseThrow(() -> ConsoleErrors.notFound("Task " + taskId + " does not exist."));
    }
}
