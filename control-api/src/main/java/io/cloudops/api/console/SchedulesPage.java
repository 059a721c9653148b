package io.cloudops.api.console;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.schedule.OverlapPolicy;
import io.cloudops.api.schedule.ScheduleService;
import io.cloudops.api.schedule.ScheduledOperations;
import io.cloudops.common.schedule.ScheduleDetailView;
import io.cloudops.common.schedule.ScheduleRequest;
import io.cloudops.common.schedule.ScheduleView;
import io.cloudops.common.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * The schedules page: every schedule with its next due time and latest outcome, a page per
 * schedule with its recent runs (linking to the tasks they fired), and for admins the create form
 * and enable, disable and delete buttons. Each action calls {@link ScheduleService}, as
 * {@code /api/schedules} does, with the same admin role and problems.
 */
@Path("/schedules")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class SchedulesPage {

    /** The create form's fields, as submitted (or their defaults). */
    public record Form(String name, String operation, String request, String cron, String timeZone,
            String overlapPolicy, boolean enabled) {

        static Form blank() {
            return new Form("", "db_backup", "{\"engine\": \"azure-postgres\", \"instanceId\": \"orders\"}",
                    "0 2 * * *", "UTC", OverlapPolicy.SKIP.value(), true);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance schedules(List<ScheduleView> schedules, Form form, List<String> operations,
                List<String> policies, ActionResult outcome);

        static native TemplateInstance schedule(ScheduleDetailView detail, ActionResult outcome);
    }

    private final ScheduleService service;
    private final ScheduledOperations operations;
    private final ConsoleActions actions;
    private final ObjectMapper json;

    SchedulesPage(ScheduleService service, ScheduledOperations operations, ConsoleActions actions,
            ObjectMapper json) {
        this.service = service;
        this.operations = operations;
        this.actions = actions;
        this.json = json;
    }

    @GET
    public TemplateInstance list() {
        return page(Form.blank(), null);
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@PathParam("id") String id) {
        UUID schedule = ConsoleErrors.parseId(id, "Schedule");
        try {
            return Templates.schedule(service.get(schedule), null);
        } catch (ApiException e) {
            throw ConsoleErrors.notFound("Schedule '" + id + "' does not exist.");
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.SCHEDULE_CREATE, targetType = AuditActions.SCHEDULE)
    public Response create(@FormParam("name") String name, @FormParam("operation") String operation,
            @FormParam("request") String request, @FormParam("cron") String cron,
            @FormParam("timeZone") String timeZone, @FormParam("overlapPolicy") String overlapPolicy,
            @FormParam("enabled") String enabled, @Context HttpServerRequest http) {
        Form form = new Form(blankToEmpty(name), blankToEmpty(operation), blankToEmpty(request), blankToEmpty(cron),
                blankToEmpty(timeZone), blankToEmpty(overlapPolicy), enabled != null);
        ConsoleActions.Attempt<ScheduleView> attempt = actions.attempt(Roles.ADMIN, "/api/schedules",
                () -> service.create(new ScheduleRequest(form.name(), form.operation(),
                        json.readTree(form.request().isBlank() ? "{}" : form.request()), form.cron(),
                        form.timeZone(), form.overlapPolicy(), form.enabled())));
        ActionResult result = ActionResult.of(attempt.ok()
                ? "Created schedule " + attempt.value().name()
                        + "; next run " + attempt.value().nextRunAt() + "."
                : "The schedule was not created.",
                attempt.outcome(created -> null));
        return Response.status(attempt.ok() ? 200 : result.outcome().status())
                .entity(page(attempt.ok() ? Form.blank() : form, result)).build();
    }

    @POST
    @Path("{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.SCHEDULE_UPDATE, targetType = AuditActions.SCHEDULE, targetParam = "id")
    public Response enable(@PathParam("id") String id, @Context HttpServerRequest http) {
        return setEnabled(id, true, http);
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.SCHEDULE_UPDATE, targetType = AuditActions.SCHEDULE, targetParam = "id")
    public Response disable(@PathParam("id") String id, @Context HttpServerRequest http) {
        return setEnabled(id, false, http);
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.SCHEDULE_DELETE, targetType = AuditActions.SCHEDULE, targetParam = "id")
    public Response delete(@PathParam("id") String id, @Context HttpServerRequest http) {
        UUID schedule = ConsoleErrors.parseId(id, "Schedule");
        ActionOutcome outcome = actions.attempt(Roles.ADMIN, "/api/schedules/" + schedule, () -> {
            service.delete(schedule);
            return null;
        }).outcome(nothing -> null);
        return respond(ActionResult.of("Deleted the schedule.", outcome));
    }

    private Response setEnabled(String id, boolean enabled, HttpServerRequest http) {
        UUID schedule = ConsoleErrors.parseId(id, "Schedule");
        ActionOutcome outcome = actions.attempt(Roles.ADMIN, "/api/schedules/" + schedule,
                () -> service.setEnabled(schedule, enabled)).outcome(view -> null);
        return respond(ActionResult.of(enabled
                ? "Enabled: it runs from its next due time on."
                : "Disabled: it does not run until enabled again.", outcome));
    }

    private Response respond(ActionResult result) {
        return Response.status(result.ok() ? 200 : result.outcome().status()).entity(page(Form.blank(), result))
                .build();
    }

    private TemplateInstance page(Form form, ActionResult outcome) {
        return Templates.schedules(service.list(), form, List.copyOf(operations.all().keySet()),
                OverlapPolicy.allowedValues(), outcome);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
