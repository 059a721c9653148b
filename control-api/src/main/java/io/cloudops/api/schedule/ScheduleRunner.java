package io.cloudops.api.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.api.audit.AuditActions;
import io.cloudops.api.audit.AuditContext;
import io.cloudops.api.problem.Problems;
import io.cloudops.common.api.Problem;
import io.cloudops.common.task.TaskView;
import io.cloudops.orchestrator.client.TaskControl;
import io.cloudops.orchestrator.client.TaskErrors;
import io.cloudops.orchestrator.client.TaskQueries;

/**
 * Fires one due time of a schedule, as the schedule ({@link ScheduleIdentity}): applies its
 * {@link OverlapPolicy} to the runs still in progress, then submits the operation through its
 * endpoint's service with the Idempotency-Key {@code schedule-<id>-<due epoch second>}, so a due
 * time submitted twice (a claim whose commit was lost) is one task. Whatever refuses the task (a
 * guard rail, the rate limit, a busy policy, a request that no longer validates) is the run's
 * {@code failed} outcome with the problem's detail; nothing escapes.
 */
@ApplicationScoped
public class ScheduleRunner {

    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);
    /** Runs looked at for overlap: enough for every policy but buffer-all, which looks at none. */
    private static final int OVERLAP_LOOKBACK = 20;

    /** What a due time did. */
    public record Result(RunOutcome outcome, UUID taskId, String detail) {
    }

    private final ScheduledOperations operations;
    private final ScheduleRepository repository;
    private final ScheduleIdentity identity;
    private final TaskQueries queries;
    private final TaskControl control;
    private final AuditContext audit;

    ScheduleRunner(ScheduledOperations operations, ScheduleRepository repository, ScheduleIdentity identity,
            TaskQueries queries, TaskControl control, AuditContext audit) {
        this.operations = operations;
        this.repository = repository;
        this.identity = identity;
        this.queries = queries;
        this.control = control;
        this.audit = audit;
    }

    /** The key a due time's task is submitted with. */
    static String idempotencyKey(Schedule schedule, Instant dueAt) {
        return "schedule-" + schedule.id() + "-" + dueAt.getEpochSecond();
    }

    /** Fires {@code dueAt} of {@code schedule}, claimed in the transaction of {@code c}. */
    public Result fire(Connection c, Schedule schedule, Instant dueAt) {
        return identity.runAs(schedule.principal(), () -> {
            try {
                List<TaskView> active = active(c, schedule);
                switch (schedule.overlapPolicy()) {
                    case SKIP -> {
                        if (!active.isEmpty()) {
                            return skipped(active.getFirst(), "skip");
                        }
                    }
                    case BUFFER_ONE -> {
                        if (active.size() >= 2) {
                            return skipped(active.getFirst(), "buffer-one (one run already waits)");
                        }
                    }
                    case CANCEL_OTHER -> active.forEach(task -> cancel(schedule, task));
                    case BUFFER_ALL -> {
                        // the entity's queue orders them
                    }
                }
                UUID taskId = operations.find(schedule.operation()).submit(schedule.request(),
                        idempotencyKey(schedule, dueAt));
                return new Result(RunOutcome.FIRED, taskId, null);
            } catch (Exception e) {
                Problem problem = Problems.of(e, "/api/schedules/" + schedule.id());
                String detail = problem.detail() != null ? problem.detail() : problem.title();
                LOG.infof("Schedule %s: the run due %s was refused (%d): %s", schedule.name(), dueAt,
                        problem.status(), detail);
                return new Result(RunOutcome.FAILED, null, problem.status() + " " + detail);
            }
        });
    }

    /** The tasks of this schedule's runs that are not finished yet (queued or running), newest first. */
    private List<TaskView> active(Connection c, Schedule schedule) throws SQLException {
        if (schedule.overlapPolicy() == OverlapPolicy.BUFFER_ALL) {
            return List.of();
        }
        List<TaskView> active = new ArrayList<>();
        for (UUID taskId : repository.firedTasks(c, schedule.id(), OVERLAP_LOOKBACK)) {
            queries.get(taskId).filter(task -> !task.status().isTerminal()).ifPresent(active::add);
        }
        return active;
    }

    private static Result skipped(TaskView earlier, String policy) {
        return new Result(RunOutcome.SKIPPED, null, "task " + earlier.id() + " of an earlier run is still "
                + earlier.status().value() + "; overlap policy " + policy);
    }

    /** Cancels an earlier run's task, audited as the schedule; one that finished meanwhile is left alone. */
    private void cancel(Schedule schedule, TaskView task) {
        var detail = audit.detail().put("schedule", schedule.name()).put("reason", "overlap policy cancel-other");
        try {
            control.cancel(task.id(), audit.succeeded(AuditActions.TASK_CANCEL, AuditActions.TASK, task.id(), detail));
        } catch (TaskErrors.Conflict finished) {
            LOG.debugf("Schedule %s: task %s finished before it could be cancelled", schedule.name(), task.id());
        }
    }
}
