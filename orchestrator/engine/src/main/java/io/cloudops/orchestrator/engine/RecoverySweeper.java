package io.cloudops.orchestrator.engine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The safety net under the channel: finds entities with due work that no live lease covers (a
 * publish that was lost, a retry whose timer died with its process, a run whose orchestrator
 * crashed) and signals them; recovery itself happens in the claim. Also drops idempotency keys past
 * their retention. Off the hot path: new tasks are dispatched by the channel at once.
 */
@ApplicationScoped
public class RecoverySweeper {

    private static final Logger LOG = Logger.getLogger(RecoverySweeper.class);
    private static final int BATCH = 1000;

    private final DataSource dataSource;
    private final SessionDispatcher dispatcher;
    private final EngineConfig config;
    private final EngineMetrics metrics;

    RecoverySweeper(DataSource dataSource, SessionDispatcher dispatcher, EngineConfig config, EngineMetrics metrics) {
        this.metrics = metrics;
        this.dataSource = dataSource;
        this.dispatcher = dispatcher;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            dispatcher.start();
            sweep();
        }
    }

    @Scheduled(every = "${cloudops.engine.sweep-interval:2s}", delayed = "${cloudops.engine.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = EngineDisabled.class)
    void sweep() {
        int signalled = 0;
        try {
            // page by entity id until a page is not full, or the dispatcher remembers as many ready sessions as it
            // may: a backlog of many entities (an engine starting on a queue others filled) is released in one
            // sweep, not a page per sweep interval
            List<String> page;
            String after = "";
            do {
                page = orphanedEntities(after);
                for (String entityId : page) {
                    dispatcher.signal(entityId);
                    signalled++;
                }
                after = page.isEmpty() ? after : page.getLast();
            } while (page.size() == BATCH && !dispatcher.readyFull());
            Tx.run(dataSource, c -> {
                try (PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM idempotency_key WHERE created_at < now() - make_interval(secs => ?)")) {
                    delete.setDouble(1, config.idempotencyRetention().toSeconds());
                    return delete.executeUpdate();
                }
            });
            metrics.sweep(true, signalled);
        } catch (RuntimeException e) {
            metrics.sweep(false, signalled);
            LOG.warnf("Sweep failed (will try again): %s", e.getMessage());
        }
    }

    /**
     * Entities whose head task is due (or running) while no unexpired lease exists for them: a page of
     * at most {@link #BATCH}, the first ones after {@code after} in entity id order.
     */
    List<String> orphanedEntities(String after) {
        return Tx.run(dataSource, c -> {
            List<String> entities = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    """
                            SELECT DISTINCT t.entity_id FROM task t
                            WHERE t.status IN ('queued', 'running')
                              AND (t.status = 'running' OR t.next_attempt_at <= now())
                              AND NOT EXISTS (SELECT 1 FROM entity_lease l WHERE l.entity_id = t.entity_id AND l.expires_at > now())
                              AND (t.status = 'running' OR NOT EXISTS (SELECT 1 FROM queue_pause p WHERE p.entity_id IN (t.entity_id, '*')))
                              AND NOT EXISTS (SELECT 1 FROM task a WHERE a.entity_id = t.entity_id AND a.status = 'awaiting_approval'
                                                                     AND a.queue_position < t.queue_position)
                              AND t.entity_id > ?
                            ORDER BY t.entity_id LIMIT ?""")) {
                select.setString(1, after);
                select.setInt(2, BATCH);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        entities.add(rs.getString(1));
                    }
                }
            }
            return entities;
        });
    }

    /** Skips the scheduled sweep in processes that do not run tasks. */
    @ApplicationScoped
    public static class EngineDisabled implements Scheduled.SkipPredicate {
        private final EngineConfig config;

        EngineDisabled(EngineConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled();
        }
    }
}
