package io.cloudops.api.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.Environment;
import io.cloudops.api.project.EnvironmentRepository;
import io.cloudops.api.project.Project;
import io.cloudops.api.project.ProjectMapper;
import io.cloudops.api.project.ProjectRepository;
import io.cloudops.api.task.OperationParameters;
import io.cloudops.api.task.TaskAcceptance;
import io.cloudops.common.project.EnvironmentNamespace;
import io.cloudops.common.project.EnvironmentStatus;
import io.cloudops.common.project.EnvironmentType;
import io.cloudops.common.project.EnvironmentView;
import io.cloudops.common.sandbox.SandboxAccepted;
import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.common.sandbox.SandboxExtendRequest;
import io.cloudops.common.sandbox.SandboxRequest;
import io.cloudops.common.security.Roles;
import io.cloudops.common.task.TaskType;
import io.cloudops.orchestrator.client.AuditTrail;
import io.cloudops.orchestrator.client.TaskQueries;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Sandboxes on the API side. A request is checked and turned into a {@code sandbox_create} payload
 * (the environment's id and name are chosen here; its record is written by the task's first step,
 * so a request is accepted in one transaction: the task's). Extending moves {@code expiresAt} of an
 * active sandbox under a row lock, so it cannot interleave with the expiry job claiming it. The API
 * and the console (the sandbox quick action, the extend button) both call {@link #create} and
 * {@link #extend(UUID, SandboxExtendRequest)}. Both hold the sandbox to its project's TTL policy
 * ({@link SandboxTtlPolicy}): the default when no TTL is asked for, the maximum unless the caller is
 * an admin, whose going past it is audited ({@code exemption}).
 */
@ApplicationScoped
public class SandboxService {

    static final String NAME_PREFIX = "sandbox-";

    private final ProjectRepository projects;
    private final EnvironmentRepository environments;
    private final TaskQueries tasks;
    private final ObjectMapper json;
    private final TaskAcceptance acceptance;
    private final AuditContext audit;
    private final AuditTrail trail;
    private final SandboxTtlPolicy ttlPolicy;
    private final SecurityIdentity identity;

    SandboxService(ProjectRepository projects, EnvironmentRepository environments, TaskQueries tasks,
            ObjectMapper json, TaskAcceptance acceptance, AuditContext audit, AuditTrail trail,
            SandboxTtlPolicy ttlPolicy, SecurityIdentity identity) {
        this.ttlPolicy = ttlPolicy;
        this.identity = identity;
        this.audit = audit;
        this.trail = trail;
        this.projects = projects;
        this.environments = environments;
        this.tasks = tasks;
        this.json = json;
        this.acceptance = acceptance;
    }

    /**
     * Validates the request and accepts the {@code sandbox_create} task; a replay answers with the
     * sandbox of the earlier task. {@code path} is the API path the request stands for (the
     * Idempotency-Key fingerprint's scope, see {@link TaskAcceptance}). The task's audit entry says
     * which maximum was in force ({@code maxTtlMinutes}) and whether an admin went past it
     * ({@code exemption}).
     */
    public TaskAcceptance.Accepted<SandboxAccepted> create(@Valid SandboxRequest request, String idempotencyKey,
            String path) {
        Resolved resolved = resolve(request);
        SandboxCreatePayload payload = resolved.payload();
        // the audit detail takes text only: "true"/"false", and the maximum as a number in text
        Map<String, String> policy = Map.of("maxTtlMinutes", String.valueOf(resolved.ttl().maxTtlMinutes()),
                "exemption", String.valueOf(resolved.ttl().exemption()));
        return acceptance.accept(TaskType.SANDBOX_CREATE.type(), payload.environmentId().toString(), request,
                payload, idempotencyKey, path, accepted -> accepted.created()
                        ? accepted(accepted.taskId(), payload)
                        : acceptedFor(accepted.taskId()),
                policy);
    }

    /** A checked request: the task's payload and what the TTL policy decided for it. */
    public record Resolved(SandboxCreatePayload payload, SandboxTtlPolicy.Decision ttl) {
    }

    /** Validates the request, then {@link #extend(UUID, int)}. */
    public EnvironmentView extend(UUID id, @Valid SandboxExtendRequest request) {
        return extend(id, request.ttlMinutes());
    }

    @Transactional
    public Resolved resolve(SandboxRequest request) {
        Project project = projects.findByIdOptional(request.projectId())
                .orElseThrow(() -> ApiException.notFound("Project", request.projectId(), "projectId"));
        OperationParameters.requireOnlySimulate(request.params());
        SandboxTtlPolicy.Decision ttl = ttlPolicy.forCreate(project, request.ttlMinutes(), isAdmin());
        UUID id = UUID.randomUUID();
        String name = NAME_PREFIX + id.toString().substring(0, 8);
        return new Resolved(new SandboxCreatePayload(id, project.id, project.name, name,
                EnvironmentNamespace.of(project.name, name), ttl.ttlMinutes(),
                request.params() == null ? Map.of() : request.params()), ttl);
    }

    /** The answer for a task accepted earlier (an Idempotency-Key replay): from that task's payload. */
    public SandboxAccepted acceptedFor(UUID taskId) {
        try {
            SandboxCreatePayload payload = json.treeToValue(tasks.get(taskId).orElseThrow().payload(),
                    SandboxCreatePayload.class);
            return accepted(taskId, payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("task " + taskId + " is not a sandbox creation", e);
        }
    }

    public static SandboxAccepted accepted(UUID taskId, SandboxCreatePayload payload) {
        return new SandboxAccepted(taskId, payload.environmentId(), payload.name(), payload.namespace());
    }

    @Transactional
    public EnvironmentView extend(UUID id, int minutes) {
        Environment sandbox = environments.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .filter(e -> e.type == EnvironmentType.SANDBOX)
                .orElseThrow(() -> ApiException.notFound("Sandbox", id));
        Instant now = Instant.now();
        if (sandbox.status != EnvironmentStatus.ACTIVE || !sandbox.expiresAt.isAfter(now)) {
            String state = sandbox.status == EnvironmentStatus.ACTIVE ? "due to expire" : sandbox.status.value();
            throw ApiException.stateConflict("Sandbox " + sandbox.name + " is " + state
                    + "; only active sandboxes can be extended (request a new sandbox instead)");
        }
        SandboxTtlPolicy.Decision ttl = ttlPolicy.forExtend(sandbox, minutes, isAdmin());
        sandbox.ttlMinutes = ttl.ttlMinutes();
        sandbox.expiresAt = sandbox.expiresAt.plus(minutes, ChronoUnit.MINUTES);
        // in this transaction: the entry commits with the new expiry, or not at all
        trail.record(audit.succeeded(AuditActions.SANDBOX_EXTEND, AuditActions.SANDBOX, sandbox.id,
                audit.detail().put("name", sandbox.name).put("projectId", sandbox.project.id.toString())
                        .put("extendedByMinutes", minutes).put("ttlMinutes", sandbox.ttlMinutes)
                        .put("expiresAt", sandbox.expiresAt.toString()).put("maxTtlMinutes", ttl.maxTtlMinutes())
                        .put("exemption", ttl.exemption())));
        return ProjectMapper.toView(sandbox);
    }

    /** Admins may go past a project's maximum (roles nest: an admin identity carries the admin role). */
    private boolean isAdmin() {
        return identity.hasRole(Roles.ADMIN);
    }
}
