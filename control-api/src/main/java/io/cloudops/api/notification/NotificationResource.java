package io.cloudops.api.notification;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.problem.ApiException;
import io.cloudops.common.api.Problem;
import io.cloudops.common.notification.NotificationTestRequest;
import io.cloudops.common.notification.NotificationTestResult;
import io.cloudops.common.notification.NotificationView;
import io.cloudops.common.security.Roles;
import io.cloudops.orchestrator.client.NotificationRequests;

/** Notifications: a test through the configured routes, answered per route (task outcomes notify on their own). */
@Path("/api/notifications")
@Tag(name = "Notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class NotificationResource {

    private final NotificationService service;
    private final NotificationRequests requests;

    NotificationResource(NotificationService service, NotificationRequests requests) {
        this.service = service;
        this.requests = requests;
    }

    @POST
    @Path("test")
    @Operation(operationId = "sendTestNotification", summary = "Send a test notification", description = "Sends a test notification through each route of the project (its Teams webhook, email recipients, Slack webhook and PagerDuty routing key, else the global TEAMS_WEBHOOK_URL, NOTIFY_EMAIL_TO, SLACK_WEBHOOK_URL and PAGERDUTY_ROUTING_KEY), or the global routes when no projectId is sent, and answers how each went: sent, simulated (demo mode without SMTP) or failed with the reason. Waits at most NOTIFY_TEST_TIMEOUT (20 s); a test is not retried and not rate-limited. Each attempt is recorded (GET /api/notifications/{id}).")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = NotificationTestRequest.class)))
    @APIResponse(responseCode = "200", description = "One result per configured route (an empty list when none is configured); a failed route is a result, not an error", content = @Content(schema = @Schema(implementation = NotificationTestResult.class)))
    @APIResponse(responseCode = "404", description = "Unknown project (errors[].field: projectId)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Audited(value = AuditActions.NOTIFICATION_TEST)
    public Response test(NotificationTestRequest request) {
        return Response.ok(service.sendTest(request == null ? null : request.projectId())).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(operationId = "getNotification", summary = "A notification and its attempts", description = "A task's notifications are also listed in GET /api/tasks/{id}.")
    @APIResponse(responseCode = "200", description = "The notification, its target masked", content = @Content(schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "404", description = "Unknown notification", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public NotificationView get(@PathParam("id") UUID id) {
        return requests.get(id).orElseThrow(() -> ApiException.notFound("Notification", id));
    }
}
