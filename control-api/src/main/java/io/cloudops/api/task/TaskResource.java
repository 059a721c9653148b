package io.cloudops.api.task;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.approval.ApprovalService;
import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.PageView;
import io.cloudops.common.api.Problem;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.ApprovalDecisionRequest;
import io.cloudops.common.task.DiagnosticRequest;
import io.cloudops.common.task.TaskAccepted;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskControl;
import io.cloudops.orchestrator.client.TaskQueries;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Tasks: read them, cancel or retry them, approve or reject them, and submit the diagnostic task. */
@Path("/api/tasks")
@Tag(name = "Tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class TaskResource {

    private final TaskQueries queries;
    private final TaskControl control;
    private final TaskAcceptance acceptance;
    private final DiagnosticService diagnostics;
    private final AuditContext audit;
    private final ApprovalService approvals;

    TaskResource(TaskQueries queries, TaskControl control, TaskAcceptance acceptance, DiagnosticService diagnostics,
            AuditContext audit, ApprovalService approvals) {
        this.approvals = approvals;
        this.audit = audit;
        this.queries = queries;
        this.control = control;
        this.acceptance = acceptance;
        this.diagnostics = diagnostics;
    }

    @GET
    @Operation(operationId = "listTasks", summary = "List tasks", description = "Newest first, filtered by status, type, entityId and project.")
    public PageView<TaskSummaryView> list(
            @Parameter(description = "awaiting_approval | queued | running | succeeded | failed | cancelled | dead_lettered | superseded | expired | rejected") @QueryParam("status") String status,
            @QueryParam("type") @Size(max = 64) String type,
            @QueryParam("entityId") @Size(max = 255) String entityId,
            @Parameter(description = "A project's name or id: its deployments, sandboxes and their expiry (the tasks whose payload names the project)") @QueryParam("project") @Size(max = 255) String project,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        return queries.list(new TaskQueries.Filter(parseStatus(status), blankToNull(type), blankToNull(entityId),
                blankToNull(project)), page, size);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getTask", summary = "Get a task with its steps, the tail of its logs and its artifacts")
    @APIResponse(responseCode = "200", description = "The task", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "404", description = "Unknown task", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TaskView get(@PathParam("id") UUID id) {
        return queries.get(id).orElseThrow(() -> ApiException.notFound("Task", id));
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "cancelTask", summary = "Cancel a task", description = "A queued task is cancelled at once; a running task stops at its next step boundary. Terminal tasks answer 409.")
    @APIResponse(responseCode = "202", description = "Cancelled or cancel requested; the task as it is now", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "409", description = "The task already finished", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_CANCEL, targetType = AuditActions.TASK, targetParam = "id")
    public Response cancel(@PathParam("id") UUID id) {
        control.cancel(id, audit.succeeded(AuditActions.TASK_CANCEL, AuditActions.TASK, id, null));
        return Response.accepted(get(id)).build();
    }

    @POST
    @Path("{id}/retry")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(operationId = "retryTask", summary = "Retry a failed, cancelled or dead-lettered task", description = "Re-queued at the tail of its entity's queue with a fresh attempt budget; steps that succeeded are not run again.")
    @APIResponse(responseCode = "202", description = "Re-queued", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "409", description = "The task is queued, running or succeeded", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_RETRY, targetType = AuditActions.TASK, targetParam = "id")
    public Response retry(@PathParam("id") UUID id) {
        control.retry(id, audit.succeeded(AuditActions.TASK_RETRY, AuditActions.TASK, id, null));
        return Response.accepted(get(id)).build();
    }

    @POST
    @Path("{id}/approve")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "approveTask", summary = "Approve a task awaiting approval", description = "Counts one approval by the caller, who must have the task's approver role (APPROVER_ROLE, default admin) and must not be its requester (four eyes). With enough approvals (APPROVAL_COUNT) the task is queued at its place, the head of its entity's queue. The body is optional.")
    @APIResponse(responseCode = "200", description = "Approval counted; the task as it is now", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "403", description = "The caller requested the task, or lacks the approver role", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown task", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task is not awaiting approval, or the caller already decided", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_APPROVE, targetType = AuditActions.TASK, targetParam = "id")
    public TaskView approve(@PathParam("id") UUID id, @Valid ApprovalDecisionRequest request) {
        approvals.approve(id, request == null ? null : request.comment());
        return get(id);
    }

    @POST
    @Path("{id}/reject")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "rejectTask", summary = "Reject a task awaiting approval", description = "One rejection by an approver (role APPROVER_ROLE) ends the task as rejected; nothing of it runs and its entity's queue moves on. The body is optional.")
    @APIResponse(responseCode = "200", description = "Rejected; the task as it is now", content = @Content(schema = @Schema(implementation = TaskView.class)))
    @APIResponse(responseCode = "403", description = "The caller lacks the approver role", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown task", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The task is not awaiting approval, or the caller already decided", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.TASK_REJECT, targetType = AuditActions.TASK, targetParam = "id")
    public TaskView reject(@PathParam("id") UUID id, @Valid ApprovalDecisionRequest request) {
        approvals.reject(id, request == null ? null : request.comment());
        return get(id);
    }

    @POST
    @Path("diagnostic")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createDiagnosticTask", summary = "Submit a diagnostic task", description = "Sleeps stepMillis per step and logs; fail = never | always | permanent | times:N. For checking the engine and for benchmarks.")
    @APIResponse(responseCode = "202", description = "Accepted", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key", content = @Content(schema = @Schema(implementation = TaskAccepted.class)))
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with a different request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @NonBlocking // the body is read and validated on the I/O thread; the database write runs on a worker
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Uni<Response> diagnostic(@NotNull(message = "a JSON body is required") @Valid DiagnosticRequest request,
            @Parameter(description = TaskAcceptance.IDEMPOTENCY_KEY_DOC) @HeaderParam(TaskAcceptance.IDEMPOTENCY_KEY) String idempotencyKey,
            UriInfo uri) {
        // prepared here, on the I/O thread (the caller's identity, the key, the fingerprint); only the write moves
        TaskAcceptance.Prepared prepared = diagnostics.prepare(request, idempotencyKey, uri.getPath());
        URI tasks = TaskAcceptance.tasks(uri);
        return Uni.createFrom().item(() -> TaskAcceptance.respond(acceptance.submit(prepared), tasks))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static TaskStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TaskStatus.fromValue(status);
        } catch (IllegalArgumentException e) {
            String values = java.util.Arrays.stream(TaskStatus.values()).map(TaskStatus::value)
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new ApiException(400, io.cloudops.api.problem.ProblemTypes.VALIDATION, "Invalid request",
                    "status must be one of " + values,
                    java.util.List.of(new Problem.FieldError("status", "must be one of " + values)));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
