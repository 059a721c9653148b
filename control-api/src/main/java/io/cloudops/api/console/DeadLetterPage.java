package io.cloudops.api.console;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.audit.Audited;
import io.cloudops.common.api.PageView;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.DeadLetterView;
import io.cloudops.orchestrator.client.DeadLetterQueries;
import io.cloudops.orchestrator.client.TaskControl;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * The dead-letter queue: tasks that exhausted their retries, with retry and skip buttons. They call
 * {@link TaskControl} as {@code POST /api/dlq/{id}/retry|skip} do, for admins only as there; others
 * see the API's 403 problem next to the button. After an action the table reloads.
 */
@Path("/dlq")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class DeadLetterPage {

    static final int PAGE_SIZE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dlq(PageView<DeadLetterView> letters, boolean includeResolved,
                ActionResult outcome);

        static native TemplateInstance dlq$table(PageView<DeadLetterView> letters, boolean includeResolved);
    }

    private final DeadLetterQueries queries;
    private final TaskControl control;
    private final ConsoleActions actions;
    private final SecurityIdentity identity;
    private final AuditContext audit;

    DeadLetterPage(DeadLetterQueries queries, TaskControl control, ConsoleActions actions, SecurityIdentity identity,
            AuditContext audit) {
        this.audit = audit;
        this.queries = queries;
        this.control = control;
        this.actions = actions;
        this.identity = identity;
    }

    @GET
    public TemplateInstance dlq(@QueryParam("includeResolved") @DefaultValue("false") boolean includeResolved) {
        return Templates.dlq(queries.deadLetters(includeResolved, 0, PAGE_SIZE), includeResolved, null);
    }

    @GET
    @Path("table")
    public TemplateInstance table(@QueryParam("includeResolved") @DefaultValue("false") boolean includeResolved) {
        return Templates.dlq$table(queries.deadLetters(includeResolved, 0, PAGE_SIZE), includeResolved);
    }

    @POST
    @Path("{id}/retry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.DEADLETTER_RETRY, targetType = AuditActions.DEADLETTER, targetParam = "id")
    public Response retry(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID letter = ConsoleErrors.parseId(id, "Dead letter");
        ActionOutcome outcome = actions.attempt(Roles.ADMIN, request.path(),
                () -> control.retryDeadLetter(letter, identity.getPrincipal().getName(),
                        audit.succeeded(AuditActions.DEADLETTER_RETRY, AuditActions.DEADLETTER, letter, null)))
                .outcome(task -> task);
        return respond(ActionResult.of("Re-queued: the task runs again in its session.", outcome), htmx);
    }

    @POST
    @Path("{id}/skip")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.DEADLETTER_SKIP, targetType = AuditActions.DEADLETTER, targetParam = "id")
    public Response skip(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        UUID letter = ConsoleErrors.parseId(id, "Dead letter");
        ActionOutcome outcome = actions.attempt(Roles.ADMIN, request.path(),
                () -> control.skipDeadLetter(letter, identity.getPrincipal().getName(),
                        audit.succeeded(AuditActions.DEADLETTER_SKIP, AuditActions.DEADLETTER, letter, null)))
                .outcome(task -> task);
        return respond(ActionResult.of("Skipped: marked resolved, the task will not run again.", outcome), htmx);
    }

    private Response respond(ActionResult result, String htmx) {
        int status = result.ok() ? 200 : result.outcome().status();
        if ("true".equals(htmx)) {
            // the table listens for this event and reloads itself
            return Response.status(status).entity(Partials.Templates.result(result))
                    .header("HX-Trigger", "dlq-changed").build();
        }
        return Response.status(status)
                .entity(Templates.dlq(queries.deadLetters(false, 0, PAGE_SIZE), false, result)).build();
    }
}
