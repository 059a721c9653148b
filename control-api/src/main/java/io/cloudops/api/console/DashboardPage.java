package io.cloudops.api.console;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

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

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.deployment.DeploymentService;
import io.cloudops.api.project.ProjectService;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.api.PageView;
import io.cloudops.common.api.Problem;
import io.cloudops.common.deployment.LastDeploymentView;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.QueueView;
import io.cloudops.common.task.TaskSummaryView;
import io.cloudops.orchestrator.client.AuditRecord;
import io.cloudops.orchestrator.client.DeadLetterQueries;
import io.cloudops.orchestrator.client.QueueControl;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * The console's home page: project and environment cards, the queue (depth per session, running
 * sessions) and the latest tasks. The queue and task part is a fragment the page script refreshes
 * whenever the hub reports a task status change. Admins pause and resume queues from it (one entity's, or
 * every queue for maintenance), as {@code POST /api/queue/pause} and {@code /resume} do, with their role.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class DashboardPage {

    static final int RECENT = 10;
    /** Project cards on the dashboard; the projects page lists them all. */
    static final int PROJECTS = 12;

    /** What changes while a person looks at the dashboard. */
    public record Live(QueueView queue, List<TaskSummaryView> recent, long openDeadLetters) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(PageView<ProjectView> projects, Live live, ActionResult outcome,
                Map<String, LastDeploymentView> lastDeployments);

        static native TemplateInstance dashboard$live(Live live, ActionResult outcome);
    }

    private final ProjectService projects;
    private final TaskQueries queries;
    private final DeadLetterQueries deadLetters;
    private final QueueControl queue;
    private final ConsoleActions actions;
    private final AuditContext audit;
    private final SecurityIdentity identity;

    private final DeploymentService deployments;

    DashboardPage(ProjectService projects, TaskQueries queries, DeadLetterQueries deadLetters, QueueControl queue,
            ConsoleActions actions,
            AuditContext audit, SecurityIdentity identity, DeploymentService deployments) {
        this.deployments = deployments;
        this.projects = projects;
        this.queries = queries;
        this.deadLetters = deadLetters;
        this.queue = queue;
        this.actions = actions;
        this.audit = audit;
        this.identity = identity;
    }

    @GET
    public TemplateInstance dashboard() {
        PageView<ProjectView> shown = projects.list(0, PROJECTS);
        return Templates.dashboard(shown, live(), null, lastDeployments(shown));
    }

    @GET
    @Path("dashboard/live")
    public TemplateInstance liveFragment() {
        return Templates.dashboard$live(live(), null);
    }

    /** Pauses {@code entityId}'s queue, or every queue when it is blank (maintenance). */
    @POST
    @Path("dashboard/queue/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.QUEUE_PAUSE, targetType = AuditActions.QUEUE)
    public Response pause(@FormParam("entityId") String entityId, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        return queueAction(entityId, AuditActions.QUEUE_PAUSE, htmx, request,
                (entity, record) -> queue.pause(entity, identity.getPrincipal().getName(), record),
                entity -> entity == null
                        ? "Every queue is paused (maintenance): running tasks finish, nothing new starts."
                        : "The queue of " + entity + " is paused: its running task finishes, nothing new starts.");
    }

    /** Resumes {@code entityId}'s queue, or ends maintenance when it is blank. */
    @POST
    @Path("dashboard/queue/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.QUEUE_RESUME, targetType = AuditActions.QUEUE)
    public Response resume(@FormParam("entityId") String entityId, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        return queueAction(entityId, AuditActions.QUEUE_RESUME, htmx, request, queue::resume,
                entity -> entity == null
                        ? "Maintenance ended: the queues run again (entities paused one by one stay paused)."
                        : "The queue of " + entity + " runs again.");
    }

    /**
     * A pause or resume of {@code entityId} (blank: every queue), as {@code POST /api/queue/pause|resume}
     * does it: the admin role, the same entity check and the audit {@code action}; answered with
     * {@code done} of the entity (null: every queue).
     */
    private Response queueAction(String entityId, String action, String htmx, HttpServerRequest request,
            BiConsumer<String, AuditRecord> work, Function<String, String> done) {
        String entity = blankToNull(entityId);
        ActionResult invalid = invalidEntity(entity, request.path());
        if (invalid != null) {
            return respond(invalid, htmx);
        }
        ConsoleActions.Attempt<Void> attempt = actions.attempt(Roles.ADMIN, request.path(), () -> {
            work.accept(entity, audit.succeeded(action, AuditActions.QUEUE,
                    entity == null ? QueueControl.ALL_ENTITIES : entity, null));
            return null;
        });
        return respond(ActionResult.of(done.apply(entity), attempt.outcome(nothing -> null)), htmx);
    }

    /**
     * One click on an environment card: deploys the environment's last deployment again, as
     * {@code POST /api/environments/{id}/redeploy} does (role operator, guard rails, approvals, audit).
     */
    @POST
    @Path("dashboard/environments/{envId}/redeploy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response redeploy(@PathParam("envId") String envId, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID env = ConsoleErrors.parseId(envId, "Environment");
        ActionOutcome outcome = actions.attempt(Roles.OPERATOR, request.path(),
                () -> deployments.redeploy(env, null, "/api/environments/" + env + "/redeploy"))
                .outcome(TaskAcceptance.Accepted::taskId);
        ActionResult result = ActionResult.of("Redeploy queued: the last deployment's template and parameters again.",
                outcome);
        if ("true".equals(htmx)) {
            // into the page's notification area: the live part re-renders as tasks move, a message there would go
            return Response.status(result.ok() ? 200 : outcome.status()).entity(Partials.Templates.result(result))
                    .build();
        }
        return respond(result, htmx);
    }

    private TemplateInstance dashboardWith(ActionResult result) {
        PageView<ProjectView> shown = projects.list(0, PROJECTS);
        return Templates.dashboard(shown, live(), result, lastDeployments(shown));
    }

    /** The last deployment of every environment shown, keyed by environment id (one query). */
    private Map<String, LastDeploymentView> lastDeployments(PageView<ProjectView> shown) {
        return queries.lastDeployments(shown.items().stream().flatMap(p -> p.environments().stream())
                .map(e -> e.id().toString()).toList());
    }

    /** htmx gets the refreshed live part with the message; a plain form post gets the whole page with it. */
    private Response respond(ActionResult result, String htmx) {
        int status = result.ok() ? 200 : result.outcome().status();
        TemplateInstance page = "true".equals(htmx)
                ? Templates.dashboard$live(live(), result)
                : dashboardWith(result);
        return Response.status(status).entity(page).build();
    }

    /** What {@code POST /api/queue/pause|resume?entityId=} refuses with 400: an id over 255 characters or with '*'. */
    private static ActionResult invalidEntity(String entity, String instance) {
        if (entity == null || (entity.length() <= 255 && !entity.contains("*"))) {
            return null;
        }
        return ActionResult.of("", ActionOutcome.invalid(
                List.of(new Problem.FieldError("entityId", "must be an entity id of at most 255 characters, not '*'")),
                instance));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private Live live() {
        return new Live(queries.queue(),
                queries.list(new TaskQueries.Filter(null, null, null), 0, RECENT).items(),
                deadLetters.deadLetters(false, 0, 1).total());
    }
}
