package io.cloudops.api.schedule;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.common.api.Problem;
import io.cloudops.common.schedule.ScheduleChange;
import io.cloudops.common.schedule.ScheduleDetailView;
import io.cloudops.common.schedule.ScheduleRequest;
import io.cloudops.common.schedule.ScheduleView;
import io.cloudops.common.security.Roles;

/**
 * Cron schedules of operations (docs/change-safety.md, "Schedules"). Viewers read them; admins
 * create, enable, disable and delete them, as a schedule acts on its own later, as
 * {@code schedule:<name>}, with the operator role.
 */
@Path("/api/schedules")
@Tag(name = "Schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ScheduleResource {

    private final ScheduleService service;

    ScheduleResource(ScheduleService service) {
        this.service = service;
    }

    @GET
    @Operation(operationId = "listSchedules", summary = "List the schedules", description = "By name, with each one's next due time and the outcome of its latest.")
    public List<ScheduleView> list() {
        return service.list();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "createSchedule", summary = "Create a schedule", description = "A cron schedule of an operation. The operation's request is checked as its endpoint checks it (errors name request.<field>); the cron expression (5 fields), time zone and overlap policy too. The first due time is the first after now.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "Invalid body, or a request the operation's endpoint refuses as invalid (errors[].field: request.<field>)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Name taken, or a request the operation's endpoint refuses as a conflict", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Unknown operation, bad cron expression, time zone or overlap policy, or a request the operation refuses (errors[].field names it)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.SCHEDULE_CREATE, targetType = AuditActions.SCHEDULE)
    public Response create(@NotNull(message = "a JSON body is required") @Valid ScheduleRequest request, UriInfo uri) {
        ScheduleView created = service.create(request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created)
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSchedule", summary = "Get a schedule with its latest runs")
    @APIResponse(responseCode = "200", description = "The schedule and its latest runs, newest first", content = @Content(schema = @Schema(implementation = ScheduleDetailView.class)))
    @APIResponse(responseCode = "404", description = "Unknown schedule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ScheduleDetailView get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @PATCH
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "updateSchedule", summary = "Enable or disable a schedule", description = "Disabled: no further runs, and none recorded. Enabled again: the next due time after now (the disabled spell is not caught up).")
    @APIResponse(responseCode = "200", description = "The schedule", content = @Content(schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "Invalid body", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown schedule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.SCHEDULE_UPDATE, targetType = AuditActions.SCHEDULE, targetParam = "id")
    public ScheduleView update(@PathParam("id") UUID id,
            @NotNull(message = "a JSON body is required") @Valid ScheduleChange change) {
        return service.setEnabled(id, change.enabled());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "deleteSchedule", summary = "Delete a schedule and its runs' history", description = "Tasks it fired are not touched.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "Unknown schedule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.SCHEDULE_DELETE, targetType = AuditActions.SCHEDULE, targetParam = "id")
    public void delete(@PathParam("id") UUID id) {
        service.delete(id);
    }
}
