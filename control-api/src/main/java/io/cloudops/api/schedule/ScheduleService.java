package io.cloudops.api.schedule;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.problem.ApiException;
import io.cloudops.api.problem.ProblemTypes;
import io.cloudops.api.problem.Problems;
import io.cloudops.common.api.Problem;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.schedule.ScheduleDetailView;
import io.cloudops.common.schedule.ScheduleRequest;
import io.cloudops.common.schedule.ScheduleView;
import io.cloudops.orchestrator.client.AuditTrail;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Creates, lists, enables, disables and deletes schedules, for the API and the console alike. A new
 * schedule is checked all the way: its cron expression, time zone and overlap policy, and its
 * operation's request by that operation's own endpoint checks, so a schedule that could never fire
 * is refused at once with the problem naming the field ({@code request.<field>} for the request).
 * Every change is audited in its transaction.
 */
@ApplicationScoped
public class ScheduleService {

    static final int RECENT_RUNS = 20;
    private static final String DEFAULT_ZONE = "UTC";

    private final ScheduleRepository repository;
    private final ScheduledOperations operations;
    private final AuditContext audit;
    private final SecurityIdentity identity;

    ScheduleService(ScheduleRepository repository, ScheduledOperations operations, AuditContext audit,
            SecurityIdentity identity) {
        this.repository = repository;
        this.operations = operations;
        this.audit = audit;
        this.identity = identity;
    }

    public List<ScheduleView> list() {
        return repository.inTransaction(repository::list).stream().map(Schedule::view).toList();
    }

    /** The schedule with its latest runs, newest first; 404 if it does not exist. */
    public ScheduleDetailView get(UUID id) {
        return repository.inTransaction(c -> {
            Schedule schedule = repository.find(c, id, false).orElseThrow(() -> notFound(id));
            return new ScheduleDetailView(schedule.view(), repository.runs(c, id, RECENT_RUNS));
        });
    }

    /** Checks and stores a new schedule; its first due time is the first after now. */
    public ScheduleView create(@Valid ScheduleRequest request) {
        OverlapPolicy policy = request.overlapPolicy() == null
                ? OverlapPolicy.SKIP
                : OverlapPolicy.find(request.overlapPolicy()).orElseThrow(() -> ApiException.invalidField(
                        "overlapPolicy", "must be one of " + String.join(", ", OverlapPolicy.allowedValues())));
        String zone = request.timeZone() == null || request.timeZone().isBlank()
                ? DEFAULT_ZONE
                : request.timeZone().strip();
        CronSchedule times = CronSchedule.of(request.cron(), zone);
        ScheduledOperation operation = operations.find(request.operation());
        if (!(request.request() instanceof ObjectNode operationRequest)) {
            throw ApiException.invalidField("request", "must be a JSON object: the path parameters of "
                    + operation.endpoint() + " by name, and the fields of its body");
        }
        checkRequest(operation, operationRequest);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        boolean enabled = request.enabled() == null || request.enabled();
        Schedule schedule = new Schedule(UUID.randomUUID(), request.name(), operation.name(), operationRequest,
                request.cron().strip(), zone, policy, enabled, who(), now, now,
                enabled ? times.next(now).orElse(null) : null, null, null);
        ObjectNode detail = audit.detail().put("name", schedule.name()).put("operation", schedule.operation())
                .put("cron", schedule.cron()).put("timeZone", zone).put("overlapPolicy", policy.value())
                .put("enabled", enabled);
        detail.set("request", audit.masked(operationRequest));
        var entry = audit.succeeded(AuditActions.SCHEDULE_CREATE, AuditActions.SCHEDULE, schedule.id(), detail);
        repository.inTransaction(c -> {
            if (repository.nameTaken(c, schedule.name())) {
                throw ApiException.conflict("name", "a schedule named " + schedule.name() + " exists already");
            }
            AuditTrail.insert(c, entry);
            try {
                repository.insert(c, schedule);
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) { // created at the same moment by another request
                    throw ApiException.conflict("name", "a schedule named " + schedule.name() + " exists already");
                }
                throw e;
            }
            return null;
        });
        return schedule.view();
    }

    /**
     * Enables (the next due time from now on: a disabled spell is not caught up) or disables (no
     * further runs) a schedule; a no-op change is answered without an audit entry.
     */
    public ScheduleView setEnabled(UUID id, boolean enabled) {
        return repository.inTransaction(c -> {
            Schedule schedule = repository.find(c, id, true).orElseThrow(() -> notFound(id));
            if (schedule.enabled() == enabled) {
                return schedule.view();
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Instant next = enabled ? schedule.times().next(now).orElse(null) : null;
            AuditTrail.insert(c, audit.succeeded(AuditActions.SCHEDULE_UPDATE, AuditActions.SCHEDULE, id,
                    audit.detail().put("name", schedule.name()).put("enabled", enabled)));
            repository.setEnabled(c, id, enabled, next, now);
            return repository.find(c, id, false).orElseThrow().view();
        });
    }

    /** Deletes a schedule and its runs' history (the audit log keeps what it did); 404 if it does not exist. */
    public void delete(UUID id) {
        repository.inTransaction(c -> {
            Schedule schedule = repository.find(c, id, true).orElseThrow(() -> notFound(id));
            AuditTrail.insert(c, audit.succeeded(AuditActions.SCHEDULE_DELETE, AuditActions.SCHEDULE, id,
                    audit.detail().put("name", schedule.name()).put("operation", schedule.operation())));
            repository.delete(c, id);
            return null;
        });
    }

    /**
     * The operation's own checks, with its problem re-addressed to this body: fields become
     * {@code request.<field>}, and an unknown id the endpoint would answer with 404 (a project, an
     * artifact) is a 422 here, as the schedule itself was found.
     */
    private static void checkRequest(ScheduledOperation operation, ObjectNode request) {
        try {
            operation.validate(request);
        } catch (Exception e) {
            Problem problem = Problems.of(e, operation.endpoint());
            if (problem.status() >= 500) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
            List<FieldError> errors = problem.errors() == null || problem.errors().isEmpty()
                    ? List.of(new FieldError("request", problem.detail()))
                    : problem.errors().stream().map(f -> new FieldError("request." + f.field(), f.message()))
                            .toList();
            String detail = errors.stream().map(f -> f.field() + " " + f.message())
                    .collect(java.util.stream.Collectors.joining("; "))
                    + " (checked as " + operation.endpoint() + " checks it)";
            boolean notFound = problem.status() == 404;
            throw new ApiException(notFound ? 422 : problem.status(),
                    notFound ? ProblemTypes.UNPROCESSABLE : problem.type(),
                    notFound ? "Request cannot be processed" : problem.title(), detail, errors);
        }
    }

    private String who() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("Schedule", id);
    }
}
