package io.cloudops.api.console;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.cloudops.api.approval.ApprovalService;
import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.ProjectService;
import io.cloudops.api.sandbox.SandboxService;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskStatus;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.ActionLinks;
import io.cloudops.orchestrator.client.TaskControl;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Where the action buttons of notifications lead ({@link ActionLinks}: Retry, Approve, Reject, Extend
 * TTL 1h). Opening the link shows what it would do, to what, and asks for a confirmation; nothing
 * happens on the GET (a link preview or a mail scanner opening it changes nothing). Confirming posts
 * the token back: it is checked again, recorded as used (a link works once), and the action runs
 * through the same service, with the same role, as its button in the console. An action that is
 * refused (wrong state, role) gives the link back, so it may still be used once that is fixed.
 */
@Path("/links")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class ActionLinkPage {

    /** What the page shows about the link's subject. */
    public record Subject(String kind, String title, String detail, String href) {
    }

    /**
     * The page: the link and its subject when it holds, else why not ({@code refusal}); {@code used} when
     * someone used it; {@code allowed} whether the signed-in user's role may do it; {@code result} after a
     * confirmation.
     */
    public record View(String token, ActionLinks.Link link, Subject subject, String refusal, ActionLinks.Use used,
            boolean allowed, ActionResult result) {

        public String label() {
            return link == null ? "Action link" : link.action().label();
        }

        public boolean withComment() {
            return link != null && (link.action() == ActionLinks.Action.APPROVE
                    || link.action() == ActionLinks.Action.REJECT);
        }

        public boolean confirmable() {
            return link != null && used == null && allowed && (result == null || !result.ok());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance action(View view);
    }

    private static final int COMMENT_MAX = 1000;
    private static final int EXTEND_MINUTES = 60;

    private final ActionLinks links;
    private final TaskQueries queries;
    private final TaskControl control;
    private final ApprovalService approvals;
    private final SandboxService sandboxes;
    private final ProjectService projects;
    private final ConsoleActions actions;
    private final AuditContext audit;
    private final SecurityIdentity identity;

    ActionLinkPage(ActionLinks links, TaskQueries queries, TaskControl control, ApprovalService approvals,
            SandboxService sandboxes, ProjectService projects, ConsoleActions actions, AuditContext audit,
            SecurityIdentity identity) {
        this.links = links;
        this.queries = queries;
        this.control = control;
        this.approvals = approvals;
        this.sandboxes = sandboxes;
        this.projects = projects;
        this.actions = actions;
        this.audit = audit;
        this.identity = identity;
    }

    @GET
    @Path("{token}")
    public Response show(@PathParam("token") String token) {
        View view = view(token, links.check(token, Instant.now()), null);
        return Response.status(status(view)).entity(Templates.action(view)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(AuditActions.ACTION_LINK_USE)
    public Response confirm(@FormParam("token") String token, @FormParam("comment") String comment) {
        ActionLinks.Checked checked = links.check(token, Instant.now());
        if (!identity.hasRole(Roles.OPERATOR)) { // what each action's API endpoint asks
            ActionResult refused = ActionResult.of("", ActionOutcome.failed(
                    io.cloudops.api.problem.Problems.of(new io.quarkus.security.ForbiddenException(), "/links")));
            return Response.status(403).entity(Templates.action(view(token, checked, refused))).build();
        }
        if (!checked.valid()) {
            View view = view(token, checked, null);
            return Response.status(status(view)).entity(Templates.action(view)).build();
        }
        ActionLinks.Link link = checked.link();
        ActionResult result;
        if (comment != null && comment.length() > COMMENT_MAX) {
            result = ActionResult.of("", ActionOutcome.invalid(
                    List.of(new FieldError("comment", "must be at most " + COMMENT_MAX + " characters")), "/links"));
        } else {
            result = run(link, comment);
        }
        View view = view(token, checked, result);
        return Response.status(result.ok() ? 200 : result.outcome().status()).entity(Templates.action(view)).build();
    }

    /** Records the use, runs the action with its role; a refused action gives the link back. */
    private ActionResult run(ActionLinks.Link link, String comment) {
        UUID subject = link.subject();
        ConsoleActions.Attempt<String> attempt = actions.attempt(Roles.OPERATOR, "/links", () -> {
            links.consume(link, identity.getPrincipal().getName());
            try {
                return switch (link.action()) {
                    case RETRY -> {
                        control.retry(subject, audit.succeeded(AuditActions.TASK_RETRY, AuditActions.TASK, subject,
                                audit.detail().put("via", "action link")));
                        yield "Re-queued at the tail of its entity's queue.";
                    }
                    case APPROVE -> {
                        var outcome = approvals.approve(subject, comment);
                        yield outcome.status() == TaskStatus.QUEUED
                                ? "Approved: the task is queued at its place."
                                : "Approved (" + outcome.approved() + " of " + outcome.required()
                                        + "): it waits for more approvals.";
                    }
                    case REJECT -> {
                        approvals.reject(subject, comment);
                        yield "Rejected: nothing of it runs.";
                    }
                    case EXTEND -> {
                        EnvironmentView extended = sandboxes.extend(subject, EXTEND_MINUTES);
                        yield "Extended by 1 hour: it now expires at " + extended.expiresAt() + ".";
                    }
                };
            } catch (RuntimeException e) {
                links.release(link);
                throw e;
            }
        });
        UUID taskId = link.action() == ActionLinks.Action.EXTEND ? null : subject;
        return ActionResult.of(attempt.ok() ? attempt.value() : "",
                attempt.ok() ? ActionOutcome.accepted(taskId) : ActionOutcome.failed(attempt.problem()), taskId);
    }

    private View view(String token, ActionLinks.Checked checked, ActionResult result) {
        if (!checked.valid()) {
            return new View(null, null, null, checked.refusal(), null, false, result);
        }
        ActionLinks.Link link = checked.link();
        Subject subject = subject(link);
        if (subject == null) {
            return new View(null, link, null, "what this link was for no longer exists", null, false, result);
        }
        ActionLinks.Use used = result != null && result.ok() ? null : links.use(link).orElse(null);
        return new View(token, link, subject, null, used, identity.hasRole(Roles.OPERATOR), result);
    }

    private Subject subject(ActionLinks.Link link) {
        if (link.action() == ActionLinks.Action.EXTEND) {
            try {
                EnvironmentView sandbox = projects.getEnvironment(link.subject());
                String project = projects.get(sandbox.projectId()).name();
                return new Subject("Sandbox", project + " / " + sandbox.name(),
                        sandbox.expiresAt() == null ? sandbox.status().value() : "expires at " + sandbox.expiresAt(),
                        "/projects/" + sandbox.projectId());
            } catch (ApiException e) {
                return null;
            }
        }
        return queries.get(link.subject()).map(ActionLinkPage::taskSubject).orElse(null);
    }

    private static Subject taskSubject(TaskView task) {
        return new Subject("Task",
                task.type() + " on " + (task.entityLabel() != null ? task.entityLabel() : task.entityId()),
                task.status().value() + (task.requestedBy() == null ? "" : ", requested by " + task.requestedBy()),
                "/tasks/" + task.id());
    }

    /** 200 for a link to confirm, 409 once used, 404 for what is not (or no longer) an action link. */
    private static int status(View view) {
        if (view.link() == null || view.subject() == null) {
            return 404;
        }
        return view.used() != null ? 409 : 200;
    }
}
