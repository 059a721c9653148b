package io.cloudops.api.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.api.problem.ApiException;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires due schedules; it runs on every instance. Each poll claims the due schedules one at a time,
 * each in a transaction of its own ({@code FOR UPDATE SKIP LOCKED}: another instance polling at the
 * same moment takes the next one instead of waiting), records every due time since the schedule's
 * {@code next_run_at} once ({@code UNIQUE (schedule_id, due_at)}), fires the latest of them if it is
 * inside the catch-up window, records the older ones as {@code missed}, and moves
 * {@code next_run_at} past now, all in that transaction. So a due time fires at most once across
 * instances, and after an outage nothing fires hours late.
 */
@ApplicationScoped
public class SchedulePoller {

    private static final Logger LOG = Logger.getLogger(SchedulePoller.class);
    /** Missed due times recorded one by one per claim; older ones are counted in the oldest's detail. */
    static final int MAX_RECORDED_MISSES = 100;
    /** Due times walked through per claim at most (an every-minute schedule over ~70 days). */
    private static final int MAX_WALK = 100_000;

    private final ScheduleRepository repository;
    private final ScheduleRunner runner;
    private final ScheduleConfig config;

    SchedulePoller(ScheduleRepository repository, ScheduleRunner runner, ScheduleConfig config) {
        this.repository = repository;
        this.runner = runner;
        this.config = config;
    }

    @Scheduled(identity = "schedule-poller", every = "${cloudops.schedules.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            tick(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Polling the schedules failed; the next poll tries again");
        }
    }

    /** One poll at {@code now}: processes every due schedule (at most the batch size); answers how many. */
    public int tick(Instant now) {
        int processed = 0;
        while (processed < config.batchSize() && repository.inTransaction(c -> claimOne(c, now))) {
            processed++;
        }
        return processed;
    }

    private boolean claimOne(Connection c, Instant now) throws SQLException {
        Optional<Schedule> due = repository.claimDue(c, now);
        if (due.isEmpty()) {
            return false;
        }
        process(c, due.get(), now);
        return true;
    }

    private void process(Connection c, Schedule schedule, Instant now) throws SQLException {
        CronSchedule times;
        try {
            times = schedule.times();
        } catch (ApiException e) { // a zone the time-zone database no longer knows, say: stop until fixed
            repository.recordRun(c, schedule.id(), schedule.nextRunAt(), RunOutcome.FAILED, null,
                    "the schedule no longer parses (" + e.getMessage() + "); it is stopped until re-created", now);
            repository.advance(c, schedule.id(), null, schedule.nextRunAt(), RunOutcome.FAILED);
            return;
        }
        Instant cutoff = now.minus(config.catchUpWindow());
        Deque<Instant> dues = new ArrayDeque<>();
        long unrecorded = 0;
        Instant t = schedule.nextRunAt();
        for (int walked = 0; t != null && !t.isAfter(now); walked++) {
            dues.addLast(t);
            if (dues.size() > MAX_RECORDED_MISSES + 1) {
                dues.removeFirst();
                unrecorded++;
            }
            // past the walk's bound, jump to the window: the due times skipped over are not counted
            t = times.next(walked == MAX_WALK && t.isBefore(cutoff) ? cutoff.minusSeconds(1) : t).orElse(null);
        }
        Instant latest = dues.peekLast();
        Instant fireAt = latest != null && !latest.isBefore(cutoff) ? latest : null;
        RunOutcome lastOutcome = RunOutcome.MISSED;
        boolean first = true;
        for (Instant dueAt : dues) {
            if (dueAt.equals(fireAt)) {
                continue;
            }
            String detail = dueAt.isBefore(cutoff)
                    ? "due " + dueAt + ", seen at " + now + ": older than the catch-up window ("
                            + config.catchUpWindow().toSeconds() + " s)"
                    : "a later due time (" + fireAt + ") fired in its place";
            if (first && unrecorded > 0) {
                detail += "; " + unrecorded + " earlier due times were missed too";
            }
            first = false;
            RunOutcome outcome = dueAt.isBefore(cutoff) ? RunOutcome.MISSED : RunOutcome.SKIPPED;
            repository.recordRun(c, schedule.id(), dueAt, outcome, null, detail, now);
            lastOutcome = outcome;
        }
        if (fireAt != null && repository.recordRun(c, schedule.id(), fireAt, RunOutcome.FIRED, null, null, now)) {
            ScheduleRunner.Result result = runner.fire(c, schedule, fireAt);
            repository.settleRun(c, schedule.id(), fireAt, result.outcome(), result.taskId(), result.detail());
            lastOutcome = result.outcome();
        }
        if (!dues.isEmpty() && dues.size() > (fireAt == null ? 0 : 1)) {
            LOG.infof("Schedule %s: %d due times before %s did not fire (missed or superseded)", schedule.name(),
                    dues.size() - (fireAt == null ? 0 : 1) + unrecorded, now);
        }
        repository.advance(c, schedule.id(), times.next(now).orElse(null),
                latest == null ? schedule.lastRunAt() : latest,
                lastOutcome);
    }
}
