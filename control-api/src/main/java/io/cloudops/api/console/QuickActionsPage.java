package io.cloudops.api.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.Audited;
import io.cloudops.api.dbops.DatabaseOperationsService;
import io.cloudops.api.deployment.DeploymentService;
import io.cloudops.api.project.ProjectService;
import io.cloudops.api.sandbox.SandboxService;
import io.cloudops.api.task.DiagnosticService;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.api.workload.WorkloadService;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.dbops.DbRestoreRequest;
import io.cloudops.common.deployment.DeploymentRequest;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.project.ProjectView;
import io.cloudops.common.sandbox.SandboxRequest;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.DiagnosticRequest;
import io.cloudops.common.workload.RestartWorkloadRequest;
import io.cloudops.orchestrator.catalog.DeploymentTemplate;
import io.cloudops.orchestrator.catalog.TemplateCatalog;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The navbar's quick actions (deploy, backup, restore, restart, create sandbox, run diagnostic):
 * small forms that open in a dialog (htmx loads the form fragment) or as a page without script.
 * A submit calls the service behind the API request of PRODUCT.md section 4 (with that endpoint's
 * role, validation and Idempotency-Key) through {@link ConsoleActions}; the form comes back with the
 * API's problem next to the offending fields, or with a link to the new task.
 */
@Path("/actions")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class QuickActionsPage {

    static final List<String> ENGINES = List.of("azure-postgres", "azure-sql");
    static final List<String> FAIL_MODES = List.of("never", "always", "permanent", "times:1", "times:2");

    /** A choice of deployment template, from the catalogue {@code GET /api/templates} lists. */
    public record TemplateChoice(String id, String name) {
    }

    /** What the forms offer to choose from. */
    public record Choices(List<ProjectView> projects, List<TemplateChoice> templates, String templatesNote) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deploy(Choices choices, FormState form, DeployParameters.Section parameters);

        static native TemplateInstance deploy$form(Choices choices, FormState form,
                DeployParameters.Section parameters);

        static native TemplateInstance deploy$parameters(FormState form, DeployParameters.Section parameters);

        static native TemplateInstance backup(List<String> engines, FormState form);

        static native TemplateInstance backup$form(List<String> engines, FormState form);

        static native TemplateInstance restore(List<String> engines, FormState form);

        static native TemplateInstance restore$form(List<String> engines, FormState form);

        static native TemplateInstance restart(FormState form);

        static native TemplateInstance restart$form(FormState form);

        static native TemplateInstance sandbox(Choices choices, FormState form);

        static native TemplateInstance sandbox$form(Choices choices, FormState form);

        static native TemplateInstance diagnostic(List<String> failModes, FormState form);

        static native TemplateInstance diagnostic$form(List<String> failModes, FormState form);
    }

    /** One quick action: its inputs (named as the API's fields) and their defaults. */
    enum Action {
        DEPLOY(List.of("envId", "projectId", "templateId", "dryRun", "reason"), Map.of()), BACKUP(
                List.of("engine", "instanceId"),
                Map.of("engine", "azure-postgres")), RESTORE(
                        List.of("engine", "instanceId", "artifactId", "target", "reason"),
                        Map.of("engine", "azure-postgres")), RESTART(List.of("namespace", "name", "reason"),
                                Map.of()), SANDBOX(
                                        List.of("projectId", "ttlMinutes"), Map.of()), DIAGNOSTIC(
                                                List.of("entityId", "steps", "stepMillis", "fail"),
                                                Map.of("entityId", "diag/console", "steps", "3", "stepMillis", "1000",
                                                        "fail",
                                                        "never"));

        final List<String> fields;
        final Map<String, String> defaults;

        Action(List<String> fields, Map<String, String> defaults) {
            this.fields = fields;
            this.defaults = defaults;
        }

        static Optional<Action> named(String name) {
            for (Action action : values()) {
                if (action.name().equalsIgnoreCase(name)) {
                    return Optional.of(action);
                }
            }
            return Optional.empty();
        }
    }

    private final ProjectService projects;
    private final TemplateCatalog catalog;
    private final ConsoleActions actions;
    private final DeploymentService deployments;
    private final DatabaseOperationsService databases;
    private final WorkloadService workloads;
    private final SandboxService sandboxes;
    private final DiagnosticService diagnostics;
    private final ObjectMapper json;

    QuickActionsPage(ProjectService projects, TemplateCatalog catalog, ConsoleActions actions,
            DeploymentService deployments, DatabaseOperationsService databases, WorkloadService workloads,
            SandboxService sandboxes, DiagnosticService diagnostics, ObjectMapper json) {
        this.projects = projects;
        this.catalog = catalog;
        this.actions = actions;
        this.deployments = deployments;
        this.databases = databases;
        this.workloads = workloads;
        this.sandboxes = sandboxes;
        this.diagnostics = diagnostics;
        this.json = json;
    }

    /** The empty form, prefilled from the query ({@code /actions/deploy?envId=...}). */
    @GET
    @Path("{action}")
    public TemplateInstance form(@PathParam("action") String name, @Context UriInfo uri,
            @HeaderParam("HX-Request") String htmx) {
        Action action = action(name);
        Map<String, String> values = new LinkedHashMap<>(action.defaults);
        for (String field : action.fields) {
            String given = uri.getQueryParameters().getFirst(field);
            if (given != null) {
                values.put(field, given);
            }
        }
        Optional<DeploymentTemplate> template = template(action, values);
        template.ifPresent(t -> values.putAll(DeployParameters.prefilled(t, uri.getQueryParameters())));
        return render(action, FormState.blank(fields(action, template), values), "true".equals(htmx));
    }

    /**
     * The deploy form's parameter fields for the template chosen ({@code ?templateId=}), defaults
     * filled in: the fragment the template select loads when it changes, or without htmx the form.
     */
    @GET
    @Path("deploy/parameters")
    public TemplateInstance deployParameters(@Context UriInfo uri, @HeaderParam("HX-Request") String htmx) {
        if (!"true".equals(htmx)) {
            return form(Action.DEPLOY.name(), uri, htmx);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Optional<DeploymentTemplate> template = catalog.find(uri.getQueryParameters().getFirst("templateId"));
        template.ifPresent(t -> values.putAll(DeployParameters.prefilled(t, uri.getQueryParameters())));
        return Templates.deploy$parameters(FormState.blank(fields(Action.DEPLOY, template), values),
                DeployParameters.section(template));
    }

    @POST
    @Path("{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Audited(value = AuditActions.TASK_CREATE, targetType = AuditActions.TASK)
    public Response submit(@PathParam("action") String name, MultivaluedMap<String, String> form,
            @HeaderParam("HX-Request") String htmx, @Context UriInfo uri) {
        Action action = action(name);
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : action.fields) {
            String value = form.getFirst(field);
            values.put(field, value == null ? "" : value.strip());
        }
        Optional<DeploymentTemplate> template = template(action, values);
        // the parameter fields shown were those of another template (changed without script): show the chosen one's
        String shownFor = form.getFirst("parametersOf");
        boolean otherFields = template.isPresent() && shownFor != null && !template.get().id().equals(shownFor);
        template.ifPresent(t -> values.putAll(otherFields
                ? DeployParameters.defaults(t)
                : DeployParameters.submitted(t, form)));
        List<String> fields = fields(action, template);
        String key = form.getFirst("idempotencyKey");
        if (action == Action.DEPLOY && form.containsKey("showParameters")) {
            // the script-free way to change the template: the same form again, its fields, nothing submitted
            return Response.ok(render(action, FormState.blank(fields, values), "true".equals(htmx))).build();
        }
        // a form without a key is a request without the header, as the API sees it
        String idempotencyKey = key == null || key.isBlank() ? null : key;
        String page = "/" + uri.getPath().replaceFirst("^/", "");
        ActionOutcome outcome = switch (action) {
            case DEPLOY -> otherFields
                    ? ActionOutcome.invalid(List.of(new FieldError("templateId", "changed to "
                            + template.get().name() + ": check its parameters below and submit again")), page)
                    : deploy(values, template, idempotencyKey, page);
            case BACKUP -> backup(values, idempotencyKey, page);
            case RESTORE -> restore(values, idempotencyKey, page);
            case RESTART -> restart(values, idempotencyKey, page);
            case SANDBOX -> task(page, () -> sandboxes.create(
                    read(body(values, "projectId", "ttlMinutes"), SandboxRequest.class), idempotencyKey,
                    "/api/sandboxes"));
            case DIAGNOSTIC -> task(page, () -> diagnostics.submit(
                    read(body(values, "entityId", "steps", "stepMillis", "fail"), DiagnosticRequest.class),
                    idempotencyKey, "/api/tasks/diagnostic"));
        };
        FormState state = FormState.submitted(fields, values, action.defaults, outcome, key);
        int status = outcome.ok() ? 200 : outcome.status();
        return Response.status(status).entity(render(action, state, "true".equals(htmx))).build();
    }

    /**
     * Every quick action starts a task through the service its API endpoint calls, with that
     * endpoint's role (operator). The API path passed on is the one the form stands for: the scope
     * of its Idempotency-Key, so the form and the endpoint agree on what a replay is.
     */
    private ActionOutcome task(String page, ConsoleActions.Work<TaskAcceptance.Accepted<?>> work) {
        return actions.attempt(Roles.OPERATOR, page, work).outcome(TaskAcceptance.Accepted::taskId);
    }

    /**
     * A form's values as the request record, read by the application's JSON mapper from the JSON
     * an API client would send: a typo in a number field is the API's "has the wrong type".
     */
    private <T> T read(ObjectNode body, Class<T> type) throws JsonProcessingException {
        return json.treeToValue(body, type);
    }

    private ActionOutcome deploy(Map<String, String> values, Optional<DeploymentTemplate> template, String key,
            String page) {
        ObjectNode body = body(values, "envId", "templateId", "reason");
        // an unknown template has no fields: the service names templateId
        body.set("params", template.map(t -> DeployParameters.params(t, values, json))
                .orElseGet(json::createObjectNode));
        if ("true".equals(values.get("dryRun"))) {
            body.put("dryRun", true);
        }
        String projectId = projectOf(values.get("envId"));
        values.put("projectId", projectId == null ? "" : projectId);
        body.put("projectId", projectId);
        return task(page, () -> deployments.deploy(read(body, DeploymentRequest.class), key, "/api/deployments"));
    }

    private ActionOutcome backup(Map<String, String> values, String key, String page) {
        List<FieldError> missing = required(values, "engine", "instanceId");
        if (!missing.isEmpty()) {
            return ActionOutcome.invalid(missing, page);
        }
        String engine = values.get("engine");
        String instance = values.get("instanceId");
        return task(page, () -> databases.backup(engine, instance, null, key,
                "/api/db/" + engine + "/" + instance + "/backup"));
    }

    private ActionOutcome restore(Map<String, String> values, String key, String page) {
        List<FieldError> missing = required(values, "engine", "instanceId");
        if (!missing.isEmpty()) {
            return ActionOutcome.invalid(missing, page);
        }
        String engine = values.get("engine");
        String instance = values.get("instanceId");
        return task(page, () -> databases.restore(engine, instance,
                read(body(values, "artifactId", "target", "reason"), DbRestoreRequest.class), key,
                "/api/db/" + engine + "/" + instance + "/restore"));
    }

    private ActionOutcome restart(Map<String, String> values, String key, String page) {
        List<FieldError> missing = required(values, "namespace", "name");
        if (!missing.isEmpty()) {
            return ActionOutcome.invalid(missing, page);
        }
        String ns = values.get("namespace");
        String name = values.get("name");
        String reason = values.get("reason");
        RestartWorkloadRequest request = reason == null || reason.isBlank()
                ? null
                : new RestartWorkloadRequest(null, reason);
        return task(page, () -> workloads.restart(ns, name, request, key,
                "/api/k8s/workloads/" + ns + "/" + name + ":restart"));
    }

    /**
     * The JSON body of {@code fields}: whole numbers as numbers, other text as strings, empty
     * inputs left out. Nothing else is checked here: the service validates and names the fields.
     */
    private ObjectNode body(Map<String, String> values, String... fields) {
        ObjectNode body = json.createObjectNode();
        for (String field : fields) {
            String value = values.get(field);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (value.matches("-?\\d{1,9}")) {
                body.put(field, Integer.parseInt(value));
            } else {
                body.put(field, value);
            }
        }
        return body;
    }

    /**
     * The API cannot be asked for a request without its path segments (they make its URL), so the
     * form says "is required" itself, as it did when it went through the API.
     */
    private static List<FieldError> required(Map<String, String> values, String... fields) {
        List<FieldError> errors = new ArrayList<>();
        for (String field : fields) {
            if (values.get(field) == null || values.get(field).isBlank()) {
                errors.add(new FieldError(field, "is required"));
            }
        }
        return errors;
    }

    private String projectOf(String envId) {
        UUID id;
        try {
            id = UUID.fromString(envId);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
        for (ProjectView project : projects.list(0, 200).items()) {
            for (EnvironmentView env : project.environments()) {
                if (env.id().equals(id)) {
                    return project.id().toString();
                }
            }
        }
        return null;
    }

    private TemplateInstance render(Action action, FormState form, boolean fragment) {
        return switch (action) {
            case DEPLOY -> {
                Choices choices = choices(true);
                DeployParameters.Section parameters = DeployParameters.section(catalog.find(form.value("templateId")));
                yield fragment
                        ? Templates.deploy$form(choices, form, parameters)
                        : Templates.deploy(choices, form, parameters);
            }
            case BACKUP -> fragment ? Templates.backup$form(ENGINES, form) : Templates.backup(ENGINES, form);
            case RESTORE -> fragment ? Templates.restore$form(ENGINES, form) : Templates.restore(ENGINES, form);
            case RESTART -> fragment ? Templates.restart$form(form) : Templates.restart(form);
            case SANDBOX -> {
                Choices choices = choices(false);
                yield fragment ? Templates.sandbox$form(choices, form) : Templates.sandbox(choices, form);
            }
            case DIAGNOSTIC -> fragment
                    ? Templates.diagnostic$form(FAIL_MODES, form)
                    : Templates.diagnostic(FAIL_MODES, form);
        };
    }

    private Choices choices(boolean withTemplates) {
        List<ProjectView> all = projects.list(0, 200).items();
        if (!withTemplates) {
            return new Choices(all, List.of(), "");
        }
        // the catalogue GET /api/templates lists, read where that endpoint reads it
        List<TemplateChoice> templates = catalog.all().stream().map(t -> new TemplateChoice(t.id(), t.name()))
                .toList();
        return new Choices(all, templates, "The template catalogue is empty: type the template id.");
    }

    /** The deploy form's chosen template, if it is one of the catalog's. */
    private Optional<DeploymentTemplate> template(Action action, Map<String, String> values) {
        return action == Action.DEPLOY ? catalog.find(values.get("templateId")) : Optional.empty();
    }

    /** The inputs the form renders: the deploy form's depend on its template. */
    private static List<String> fields(Action action, Optional<DeploymentTemplate> template) {
        List<String> fields = new ArrayList<>(action.fields);
        template.ifPresent(t -> fields.addAll(DeployParameters.inputs(t)));
        return fields;
    }

    private static Action action(String name) {
        return Action.named(name).orElseThrow(() -> ConsoleErrors.notFound("There is no quick action '" + name + "'."));
    }
}
