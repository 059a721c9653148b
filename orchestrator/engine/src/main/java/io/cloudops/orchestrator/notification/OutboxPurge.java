package io.cloudops.orchestrator.notification;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.engine.RecoverySweeper;
import io.cloudops.orchestrator.engine.Tx;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the outbox from growing for ever: finished notifications (sent, failed for good, digested, skipped)
 * written more than {@link NotifyConfig#retention()} ago are deleted with their attempts, in batches of
 * {@link #BATCH} rows, each batch its own transaction whose rows are locked {@code SKIP LOCKED} (so purges in
 * several processes share the work and never wait for each other, nor for a claim). Pending and claimed rows
 * are never deleted, and neither are finished rows that still stop something from happening twice:
 * <ul>
 * <li>a digest while a row it tells is kept, and a digested row while its digest is unsent (the digest counts
 * them when it is sent);</li>
 * <li>a sandbox notice while its sandbox exists and has not expired: its {@code dedup_key} is what keeps the
 * notice from being written (and sent) again;</li>
 * <li>a PagerDuty trigger that PagerDuty accepted, until a resolve of it was written: the resolve goes to the
 * routing keys the task's triggers went to, read from these rows, however long the incident stays open; and a
 * resolve until the triggers before it are gone.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxPurge {

    /** Rows deleted per transaction. */
    static final int BATCH = 500;

    private static final Logger LOG = Logger.getLogger(OutboxPurge.class);

    /** Of the rows the purge may delete, those written before the cutoff (parameter 1), at most a batch (2). */
    private static final String PURGE = """
            DELETE FROM notification_outbox WHERE id IN (
                SELECT o.id FROM notification_outbox o
                WHERE o.status IN ('sent', 'failed', 'digested', 'skipped') AND o.created_at < ?
                  -- a digest while a row it tells is kept; a digested row while its digest is unsent
                  AND NOT EXISTS (SELECT 1 FROM notification_outbox d WHERE d.digest_id = o.id)
                  AND NOT (o.digest_id IS NOT NULL
                           AND EXISTS (SELECT 1 FROM notification_outbox g
                                       WHERE g.id = o.digest_id AND g.status IN ('pending', 'sending')))
                  -- a sandbox notice while its dedup key still keeps it from being written again
                  AND NOT (o.event LIKE 'sandbox.%%'
                           AND EXISTS (SELECT 1 FROM environment e WHERE e.id = o.environment_id AND e.status <> 'expired'))
                  -- a trigger PagerDuty accepted until its resolve was written; a resolve until its triggers went
                  AND NOT (o.route_kind = 'pagerduty' AND o.event = 'dead_lettered' AND o.status = 'sent'
                           AND NOT EXISTS (%s))
                  AND NOT (o.event = 'dead_letter_resolved' AND EXISTS (%s))
                ORDER BY o.created_at LIMIT ? FOR UPDATE SKIP LOCKED)"""
            .formatted(PagerDutyResolves.laterResolves("o"), PagerDutyResolves.earlierTriggers("o"));

    private final DataSource dataSource;
    private final NotifyConfig config;

    OutboxPurge(DataSource dataSource, NotifyConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(every = "${cloudops.notify.purge-interval:1h}", delayed = "${cloudops.notify.purge-interval:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RecoverySweeper.EngineDisabled.class)
    void scheduled() {
        try {
            int deleted = purge(Instant.now());
            if (deleted > 0) {
                LOG.infof("Purged %d finished notifications older than %s", deleted, config.retention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Notification purge failed (will try again): %s", e.getMessage());
        }
    }

    /**
     * Deletes, batch after batch, the finished notifications written before {@code now} minus the retention
     * that nothing needs any more (see the class), until a batch finds none: a row kept only because another
     * one was (a digest, a resolve) goes in the batch after that one. Returns how many were deleted.
     */
    public int purge(Instant now) {
        Timestamp cutoff = Timestamp.from(now.minus(config.retention()));
        int total = 0;
        int deleted;
        do {
            deleted = Tx.run(dataSource, c -> {
                try (PreparedStatement delete = c.prepareStatement(PURGE)) {
                    delete.setTimestamp(1, cutoff);
                    delete.setInt(2, BATCH);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted > 0);
        return total;
    }
}
