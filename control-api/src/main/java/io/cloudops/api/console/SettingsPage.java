package io.cloudops.api.console;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
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
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.config.PlatformConfig;
import io.cloudops.api.notification.NotificationService;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.ProjectService;
import io.cloudops.api.security.DemoAuthenticationMechanism;
import io.cloudops.common.notification.NotificationTestResult;
import io.cloudops.common.project.ProjectRequest;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.security.Roles;
import io.cloudops.orchestrator.client.NotificationRequests;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateGlobal;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * Settings: each project's notification routes (Teams webhook, email recipients, Slack webhook,
 * PagerDuty routing key; the secrets shown masked) and which events go to each (a table of
 * checkboxes), saved through
 * {@link ProjectService#update}, as {@code PUT /api/projects/{id}} saves them (admin), a "send test
 * notification" button (the service of {@code POST /api/notifications/test}: sends one through each of
 * the project's routes and shows how each went), the project's sandbox TTL policy (default and
 * maximum in minutes, empty for the global ones; saved by the same form), and in demo mode the role
 * switcher, which sets the
 * {@value DemoAuthenticationMechanism#ROLE_COOKIE} cookie.
 */
@Path("/settings")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class SettingsPage {

    static final List<String> FIELDS = List.of("teamsWebhookUrl", "emailRecipients", "slackWebhookUrl",
            "pagerDutyRoutingKey", "sandboxDefaultTtlMinutes", "sandboxMaxTtlMinutes");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(List<ProjectView> projects, Map<UUID, FormState> forms,
                ActionResult outcome);

        static native TemplateInstance projectForm(ProjectView project, FormState form);
    }

    private final ProjectService projects;
    private final NotificationService notifications;
    private final ConsoleActions actions;
    private final ObjectMapper json;
    private final boolean demoMode;

    SettingsPage(ProjectService projects, ConsoleActions actions, ObjectMapper json, PlatformConfig config,
            NotificationService notifications) {
        this.notifications = notifications;
        this.projects = projects;
        this.actions = actions;
        this.json = json;
        this.demoMode = config.demoMode();
    }

    @GET
    public TemplateInstance settings() {
        return page(null, null, null);
    }

    /** The whole page; {@code form} replaces the blank form of project {@code formOf} (a submit without script). */
    private TemplateInstance page(UUID formOf, FormState form, ActionResult outcome) {
        List<ProjectView> all = projects.list(0, 200).items();
        Map<UUID, FormState> forms = new LinkedHashMap<>();
        all.forEach(p -> forms.put(p.id(), p.id().equals(formOf) ? form : FormState.blank(FIELDS, values(p))));
        return Templates.settings(all, forms, outcome);
    }

    @POST
    @Path("projects/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.PROJECT_UPDATE, targetType = AuditActions.PROJECT, targetParam = "id")
    public Response save(@PathParam("id") String id, @FormParam("teamsWebhookUrl") String webhook,
            @FormParam("emailRecipients") String recipients, @FormParam("slackWebhookUrl") String slack,
            @FormParam("pagerDutyRoutingKey") String routingKey, @FormParam("events") List<String> events,
            @FormParam("eventsShown") String eventsShown,
            @FormParam("sandboxDefaultTtlMinutes") String ttlDefault, @FormParam("sandboxMaxTtlMinutes") String ttlMax,
            @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        ProjectView project = find(id);
        List<String> emails = recipients == null
                ? List.of()
                : Arrays.stream(recipients.split("[\\s,;]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        ObjectNode body = json.createObjectNode();
        body.put("name", project.name());
        body.put("description", project.description());
        body.put("teamsWebhookUrl", webhook == null ? null : webhook.strip());
        body.set("emailRecipients", json.valueToTree(emails));
        // absent (an older form): kept as stored, as the API does
        body.put("slackWebhookUrl", slack == null ? null : slack.strip());
        body.put("pagerDutyRoutingKey", routingKey == null ? null : routingKey.strip());
        // absent (an older form): the stored value, as PUT replaces these; empty: the global policy
        minutes(body, "sandboxDefaultTtlMinutes", ttlDefault, project.sandboxDefaultTtlMinutes());
        minutes(body, "sandboxMaxTtlMinutes", ttlMax, project.sandboxMaxTtlMinutes());
        if (eventsShown != null) {
            // the checkboxes ("teams:task.failed"): every route shown is sent, an unticked one as empty
            Map<String, List<String>> selection = new LinkedHashMap<>();
            project.notificationEvents().keySet().forEach(route -> selection.put(route, new java.util.ArrayList<>()));
            for (String choice : events == null ? List.<String>of() : events) {
                int colon = choice.indexOf(':');
                if (colon > 0) {
                    selection.computeIfAbsent(choice.substring(0, colon), k -> new java.util.ArrayList<>())
                            .add(choice.substring(colon + 1));
                }
            }
            body.set("notificationEvents", json.valueToTree(selection));
        }
        // the request PUT /api/projects/{id} would get, read from its JSON (so type errors read the same)
        ActionOutcome outcome = actions.attempt(Roles.ADMIN, request.path(),
                () -> projects.update(project.id(), json.treeToValue(body, ProjectRequest.class)))
                .outcome(updated -> null);
        Map<String, String> submitted = Map.of("teamsWebhookUrl", webhook == null ? "" : webhook.strip(),
                "emailRecipients", String.join("\n", emails), "slackWebhookUrl", slack == null ? "" : slack.strip(),
                "pagerDutyRoutingKey", routingKey == null ? "" : routingKey.strip(), "sandboxDefaultTtlMinutes",
                ttlDefault == null ? "" : ttlDefault.strip(), "sandboxMaxTtlMinutes",
                ttlMax == null ? "" : ttlMax.strip());
        ProjectView now = outcome.ok() ? find(id) : project;
        FormState form = FormState.submitted(FIELDS, submitted, values(now), outcome, null);
        int status = outcome.ok() ? 200 : outcome.status();
        TemplateInstance answer = "true".equals(htmx)
                ? Templates.projectForm(now, form)
                : page(project.id(), form, null);
        return Response.status(status).entity(answer).build();
    }

    @POST
    @Path("projects/{id}/test-notification")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.NOTIFICATION_TEST, targetType = AuditActions.PROJECT, targetParam = "id")
    public Response testNotification(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx,
            @Context HttpServerRequest request) {
        ProjectView project = find(id);
        // the service of POST /api/notifications/test, with the project's id as its body would carry it
        ConsoleActions.Attempt<NotificationTestResult> sent = actions.attempt(Roles.ADMIN, request.path(),
                () -> notifications.sendTest(project.id()));
        ActionOutcome outcome = sent.outcome(accepted -> null);
        ActionResult result = ActionResult.of(sent.ok() ? resultMessage(sent.value()) : null, outcome);
        int status = outcome.ok() ? 200 : outcome.status();
        TemplateInstance answer = "true".equals(htmx)
                ? Partials.Templates.result(result)
                : page(null, null, result);
        return Response.status(status).entity(answer).build();
    }

    /** "Test notification: teams https://host/**** sent; email ops@example.com failed (reason)", or that no route is set. */
    static String resultMessage(NotificationTestResult result) {
        if (result.results().isEmpty()) {
            return "No route to test: set a Teams or Slack webhook, email recipients or a PagerDuty routing key (or "
                    + "TEAMS_WEBHOOK_URL / NOTIFY_EMAIL_TO / SLACK_WEBHOOK_URL / PAGERDUTY_ROUTING_KEY).";
        }
        return "Test notification: " + result.results().stream()
                .map(r -> r.routeKind() + " " + r.target() + " " + r.outcome()
                        + (r.reason() == null ? "" : " (" + r.reason() + ")"))
                .collect(java.util.stream.Collectors.joining("; ")) + ".";
    }

    /** Every event a route can be chosen for: the rows of the form's event table. */
    @TemplateGlobal
    static List<String> notifyEvents() {
        return NotificationRequests.events();
    }

    /** Demo mode only: remembers the chosen role in a cookie; the next request signs in with it. */
    @POST
    @Path("role")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response switchRole(@FormParam("role") String role, @HeaderParam("HX-Request") String htmx) {
        if (!demoMode) {
            throw ConsoleErrors.notFound("The role switcher exists in demo mode only.");
        }
        if (role == null || !Roles.ALL.contains(role)) {
            throw new ConsoleErrors.PageException(400, "Unknown role",
                    "Choose one of " + String.join(", ", Roles.ALL) + ".");
        }
        return remember(DemoAuthenticationMechanism.ROLE_COOKIE, role, htmx);
    }

    /** Demo mode only: remembers the chosen demo user in a cookie, as {@link #switchRole} does the role. */
    @POST
    @Path("user")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response switchUser(@FormParam("user") String user, @HeaderParam("HX-Request") String htmx) {
        if (!demoMode) {
            throw ConsoleErrors.notFound("The user switcher exists in demo mode only.");
        }
        if (user == null || !DemoAuthenticationMechanism.DEMO_USERS.contains(user)) {
            throw new ConsoleErrors.PageException(400, "Unknown demo user",
                    "Choose one of " + String.join(", ", DemoAuthenticationMechanism.DEMO_USERS) + ".");
        }
        return remember(DemoAuthenticationMechanism.USER_COOKIE, user, htmx);
    }

    private static Response remember(String name, String value, String htmx) {
        NewCookie cookie = new NewCookie.Builder(name).value(value).path("/").sameSite(NewCookie.SameSite.LAX)
                .httpOnly(true).maxAge(30 * 24 * 3600).build();
        Response.ResponseBuilder response = "true".equals(htmx)
                ? Response.noContent().header("HX-Refresh", "true")
                : Response.seeOther(URI.create("/settings"));
        return response.cookie(cookie).build();
    }

    /**
     * A minutes input as the JSON field the API would get: a whole number as a number, anything else
     * as text (so the API's "has the wrong type" names the field), empty as null, absent as stored.
     */
    private static void minutes(ObjectNode body, String field, String input, Integer stored) {
        if (input == null) {
            body.put(field, stored);
        } else if (input.isBlank()) {
            body.putNull(field);
        } else if (input.strip().matches("\\d{1,9}")) {
            body.put(field, Integer.parseInt(input.strip()));
        } else {
            body.put(field, input.strip());
        }
    }

    private static Map<String, String> values(ProjectView project) {
        return Map.of("teamsWebhookUrl", project.teamsWebhookUrl() == null ? "" : project.teamsWebhookUrl(),
                "emailRecipients",
                project.emailRecipients() == null ? "" : String.join("\n", project.emailRecipients()),
                "slackWebhookUrl", project.slackWebhookUrl() == null ? "" : project.slackWebhookUrl(),
                "pagerDutyRoutingKey", project.pagerDutyRoutingKey() == null ? "" : project.pagerDutyRoutingKey(),
                "sandboxDefaultTtlMinutes", text(project.sandboxDefaultTtlMinutes()), "sandboxMaxTtlMinutes",
                text(project.sandboxMaxTtlMinutes()));
    }

    private static String text(Integer minutes) {
        return minutes == null ? "" : minutes.toString();
    }

    private ProjectView find(String id) {
        UUID projectId = ConsoleErrors.parseId(id, "Project");
        try {
            return projects.get(projectId);
        } catch (ApiException e) {
            throw ConsoleErrors.notFound("Project " + projectId + " does not exist.");
        }
    }
}
