package io.cloudops.api.project;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;

import org.hibernate.exception.ConstraintViolationException;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.sandbox.SandboxTtlPolicy;
import io.cloudops.common.api.PageView;
import io.cloudops.common.notification.WebhookUrls;
import io.cloudops.common.project.EnvironmentRequest;
import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.project.EnvironmentType;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.project.ProjectRequest;
import io.cloudops.common.project.ProjectView;
import io.cloudops.orchestrator.client.AuditTrail;
import io.cloudops.orchestrator.client.NotificationRequests;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * Transaction boundary for projects and environments. Every write is one transaction: a request
 * that fails validation or hits a uniqueness conflict leaves nothing behind. Each change writes its
 * audit entry in its own transaction ({@link AuditTrail#record} joins it), so the entry commits or
 * rolls back with the change; webhook URLs and the routing key appear in it only masked.
 */
@ApplicationScoped
public class ProjectService {

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;
    private final WebhookUrlPolicy webhookPolicy;
    private final Clock clock;
    private final AuditContext audit;
    private final AuditTrail trail;
    private final SandboxTtlPolicy sandboxTtl;

    ProjectService(ProjectRepository projects, EnvironmentRepository environments, WebhookUrlPolicy webhookPolicy,
            AuditContext audit, AuditTrail trail, SandboxTtlPolicy sandboxTtl) {
        this.sandboxTtl = sandboxTtl;
        this.projects = projects;
        this.environments = environments;
        this.webhookPolicy = webhookPolicy;
        this.audit = audit;
        this.trail = trail;
        this.clock = Clock.systemUTC();
    }

    @Transactional
    public PageView<ProjectView> list(int page, int size) {
        var query = projects.findAll(Sort.by("name"));
        long total = query.count();
        List<ProjectView> items = query.page(Page.of(page, size)).list().stream().map(this::view).toList();
        return new PageView<>(items, page, size, total);
    }

    @Transactional
    public ProjectView get(UUID id) {
        return view(find(id));
    }

    @Transactional
    public ProjectView create(ProjectRequest request) {
        if (projects.findByName(request.name()).isPresent()) {
            throw nameTaken(request.name());
        }
        Project project = new Project();
        project.id = UUID.randomUUID();
        project.createdAt = now();
        apply(project, request, true);
        projects.persist(project);
        flush(() -> nameTaken(request.name()));
        trail.record(audit.succeeded(AuditActions.PROJECT_CREATE, AuditActions.PROJECT, project.id,
                projectDetail(project)));
        return view(project);
    }

    /** Validates the request (the settings page calls this directly) and replaces the project's fields. */
    @Transactional
    public ProjectView update(UUID id, @Valid ProjectRequest request) {
        Project project = find(id);
        projects.findByName(request.name()).filter(other -> !other.id.equals(id)).ifPresent(other -> {
            throw nameTaken(request.name());
        });
        String webhookBefore = project.teamsWebhookUrl;
        String slackBefore = project.slackWebhookUrl;
        String pagerDutyBefore = project.pagerDutyRoutingKey;
        apply(project, request, false);
        flush(() -> nameTaken(request.name()));
        ObjectNode detail = projectDetail(project);
        detail.put("teamsWebhookUrlChanged", !Objects.equals(webhookBefore, project.teamsWebhookUrl));
        detail.put("slackWebhookUrlChanged", !Objects.equals(slackBefore, project.slackWebhookUrl));
        detail.put("pagerDutyRoutingKeyChanged", !Objects.equals(pagerDutyBefore, project.pagerDutyRoutingKey));
        trail.record(audit.succeeded(AuditActions.PROJECT_UPDATE, AuditActions.PROJECT, project.id, detail));
        return view(project);
    }

    @Transactional
    public void delete(UUID id) {
        Project project = find(id);
        ObjectNode detail = audit.detail().put("name", project.name);
        var names = detail.putArray("environments");
        project.environments.forEach(environment -> names.add(environment.name));
        projects.delete(project);
        trail.record(audit.succeeded(AuditActions.PROJECT_DELETE, AuditActions.PROJECT, id, detail));
    }

    @Transactional
    public EnvironmentView createEnvironment(UUID projectId, EnvironmentRequest request) {
        Project project = find(projectId);
        if (request.type() == EnvironmentType.SANDBOX && request.ttlMinutes() == null) {
            throw ApiException.invalidField("ttlMinutes", "is required for sandbox environments");
        }
        if (request.type() != EnvironmentType.SANDBOX && request.ttlMinutes() != null) {
            throw ApiException.invalidField("ttlMinutes", "is only allowed for sandbox environments");
        }
        if (environments.existsInProject(projectId, request.name())) {
            throw envNameTaken(project, request.name());
        }
        Environment environment = new Environment();
        environment.id = UUID.randomUUID();
        environment.project = project;
        environment.name = request.name();
        environment.type = request.type();
        environment.status = EnvironmentStatus.ACTIVE;
        environment.createdAt = now();
        if (request.type().hasTtl()) {
            environment.ttlMinutes = request.ttlMinutes();
            environment.expiresAt = environment.createdAt.plus(request.ttlMinutes(), ChronoUnit.MINUTES);
        }
        project.environments.add(environment);
        environments.persist(environment);
        flush(() -> envNameTaken(project, request.name()));
        ObjectNode detail = audit.detail().put("projectId", project.id.toString()).put("project", project.name)
                .put("name", environment.name).put("type", environment.type.value())
                .put("ttlMinutes", environment.ttlMinutes);
        if (request.type().hasTtl()) {
            // this endpoint is an admin's: a TTL past the project's maximum is an exemption, said so
            SandboxTtlPolicy.Decision ttl = sandboxTtl.forCreate(project, request.ttlMinutes(), true);
            detail.put("maxTtlMinutes", ttl.maxTtlMinutes()).put("exemption", ttl.exemption());
        }
        trail.record(audit.succeeded(AuditActions.ENVIRONMENT_CREATE, AuditActions.ENVIRONMENT, environment.id,
                detail));
        return ProjectMapper.toView(environment);
    }

    @Transactional
    public EnvironmentView getEnvironment(UUID id) {
        return ProjectMapper.toView(findEnvironment(id));
    }

    @Transactional
    public void deleteEnvironment(UUID id) {
        Environment environment = findEnvironment(id);
        environment.project.environments.remove(environment);
        environments.delete(environment);
        trail.record(audit.succeeded(AuditActions.ENVIRONMENT_DELETE, AuditActions.ENVIRONMENT, id,
                audit.detail().put("projectId", environment.project.id.toString())
                        .put("project", environment.project.name).put("name", environment.name)
                        .put("type", environment.type.value())));
    }

    /** The project as the API shows it, with the sandbox TTL policy in force. */
    private ProjectView view(Project project) {
        return ProjectMapper.toView(project, sandboxTtl.effective(project));
    }

    private void apply(Project project, ProjectRequest request, boolean creating) {
        sandboxTtl.check(request);
        project.name = request.name();
        project.description = request.description();
        // plain fields, replaced like the description: null follows the global policy again
        project.sandboxDefaultTtlMinutes = request.sandboxDefaultTtlMinutes();
        project.sandboxMaxTtlMinutes = request.sandboxMaxTtlMinutes();
        project.emailRecipients = request.emailRecipients() == null
                ? new String[0]
                : request.emailRecipients().stream().map(String::strip).distinct().toArray(String[]::new);
        project.updatedAt = now();
        if (request.notificationEvents() != null) {
            // absent: keep what is stored; a route left out of the object gets its default
            NotificationRequests.validateSelection(request.notificationEvents()).ifPresent(invalid -> {
                throw ApiException.invalidField(invalid.field(), invalid.message());
            });
            Map<String, List<String>> selection = new LinkedHashMap<>();
            request.notificationEvents()
                    .forEach((route, events) -> selection.put(route, events.stream().distinct().toList()));
            project.notifyEvents = selection;
        }
        project.teamsWebhookUrl = secret(request.teamsWebhookUrl(), project.teamsWebhookUrl, creating,
                WebhookUrls::mask, url -> webhookPolicy.check(WebhookUrlPolicy.Route.TEAMS, "teamsWebhookUrl", url));
        project.slackWebhookUrl = secret(request.slackWebhookUrl(), project.slackWebhookUrl, creating,
                WebhookUrls::mask, url -> webhookPolicy.check(WebhookUrlPolicy.Route.SLACK, "slackWebhookUrl", url));
        project.pagerDutyRoutingKey = secret(request.pagerDutyRoutingKey(), project.pagerDutyRoutingKey, creating,
                WebhookUrls::maskKey, key -> {
                    // the format is checked by the request's validation; the endpoint is global (PAGERDUTY_EVENTS_URL)
                    if (key.startsWith(WebhookUrls.MASK)) {
                        throw ApiException.invalidField("pagerDutyRoutingKey",
                                "is a masked value that matches no stored key: send the key itself, or leave the field out");
                    }
                });
    }

    /**
     * The new value of a secret field: absent keeps what is stored (the API never shows the secret, so
     * clients cannot echo it), the masked value sent back unchanged keeps it too, empty removes it, anything
     * else is checked and stored.
     */
    private static String secret(String requested, String stored, boolean creating,
            java.util.function.UnaryOperator<String> mask, java.util.function.Consumer<String> check) {
        if (requested == null) {
            return stored;
        }
        String value = requested.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (!creating && value.equals(mask.apply(stored))) {
            return stored;
        }
        check.accept(value);
        return value;
    }

    /** What the audit entry says about a project: its fields, the webhook URL masked. */
    private ObjectNode projectDetail(Project project) {
        ObjectNode detail = audit.detail().put("name", project.name).put("description", project.description)
                .put("teamsWebhookUrl", WebhookUrls.mask(project.teamsWebhookUrl))
                .put("slackWebhookUrl", WebhookUrls.mask(project.slackWebhookUrl))
                .put("pagerDutyRoutingKey", WebhookUrls.maskKey(project.pagerDutyRoutingKey))
                .put("sandboxDefaultTtlMinutes", project.sandboxDefaultTtlMinutes)
                .put("sandboxMaxTtlMinutes", project.sandboxMaxTtlMinutes);
        var recipients = detail.putArray("emailRecipients");
        for (String recipient : project.emailRecipients) {
            recipients.add(recipient);
        }
        if (project.notifyEvents != null) {
            var events = detail.putObject("notificationEvents");
            project.notifyEvents.forEach((route, chosen) -> chosen.forEach(events.putArray(route)::add));
        }
        return detail;
    }

    private Project find(UUID id) {
        return projects.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Project", id));
    }

    private Environment findEnvironment(UUID id) {
        return environments.findByIdOptional(id).orElseThrow(() -> ApiException.notFound("Environment", id));
    }

    /** Flushes now so that a concurrent insert of the same name surfaces as a 409, not a 500 at commit. */
    private void flush(java.util.function.Supplier<ApiException> onConflict) {
        try {
            projects.flush();
        } catch (ConstraintViolationException e) {
            throw onConflict.get();
        }
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict("name", "a project named '" + name + "' already exists");
    }

    private static ApiException envNameTaken(Project project, String name) {
        return ApiException.conflict("name",
                "project '" + project.name + "' already has an environment named '" + name + "'");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
