package io.cloudops.orchestrator.telemetry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.channel.ChannelConfig;
import io.cloudops.orchestrator.engine.EngineConfig;
import io.cloudops.orchestrator.engine.SessionDispatcher;
import io.cloudops.orchestrator.engine.Tx;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealthReporter;

/**
 * Gauges read at scrape time: the queue in the database (the same figures in every service, since
 * the database is the queue: take {@code max} across instances), the sessions this process runs, and
 * the readiness checks (database, AMQP channel, event relay) as 1/0 per check, so that Prometheus can
 * alert on a dependency that is down without probing {@code /q/health} itself.
 *
 * <p>
 * The queue is read with one indexed query at most once per {@link #QUEUE_REFRESH}, however often
 * and by however many scrapers it is asked; a failing read keeps the last figures and sets
 * {@code cloudops_database_up} to 0.
 */
@ApplicationScoped
public class EngineGauges {

    private static final Logger LOG = Logger.getLogger(EngineGauges.class);
    static final Duration QUEUE_REFRESH = Duration.ofSeconds(1);

    private record Queue(long queued, long running, double oldestQueuedSeconds, long openDeadLetters,
            boolean databaseUp, long readAtNanos) {
    }

    private final DataSource dataSource;
    private final SessionDispatcher dispatcher;
    private final EngineConfig engine;
    private final ChannelConfig channel;
    private final EngineMetrics metrics;
    private final SmallRyeHealthReporter health;
    private volatile Queue queue = new Queue(0, 0, 0, 0, true, 0);
    private MultiGauge readiness;

    EngineGauges(DataSource dataSource, SessionDispatcher dispatcher, EngineConfig engine, ChannelConfig channel,
            EngineMetrics metrics, SmallRyeHealthReporter health) {
        this.dataSource = dataSource;
        this.dispatcher = dispatcher;
        this.engine = engine;
        this.channel = channel;
        this.metrics = metrics;
        this.health = health;
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("cloudops.queue.depth", this, g -> g.queue().queued).tag("state", "queued")
                .description("Tasks waiting in the queue (due or in back-off), all entities").strongReference(true)
                .register(registry);
        Gauge.builder("cloudops.queue.depth", this, g -> g.queue().running).tag("state", "running")
                .description("Tasks running, in any orchestrator").strongReference(true).register(registry);
        Gauge.builder("cloudops.queue.oldest.age", this, g -> g.queue().oldestQueuedSeconds).baseUnit("seconds")
                .description("Age of the oldest queued task (0 when none is queued)").strongReference(true)
                .register(registry);
        Gauge.builder("cloudops.dead.letters.open", this, g -> g.queue().openDeadLetters)
                .description("Dead letters neither retried nor skipped").strongReference(true).register(registry);
        Gauge.builder("cloudops.database.up", this, g -> g.queue().databaseUp ? 1 : 0)
                .description("1 when the last read of the queue succeeded, 0 when the database did not answer")
                .strongReference(true).register(registry);
        if (engine.enabled()) {
            // only processes that run tasks report sessions: no such series means no orchestrator
            Gauge.builder("cloudops.sessions.running", dispatcher, SessionDispatcher::activeSessions)
                    .description("Sessions (entities) whose tasks this process runs right now").strongReference(true)
                    .register(registry);
            Gauge.builder("cloudops.sessions.max", engine, EngineConfig::maxConcurrentSessions)
                    .description("MAX_CONCURRENT_SESSIONS of this process").strongReference(true).register(registry);
        }
        // at zero from the start, on every channel (the in-memory one never fails: the series stays 0)
        metrics.registerChannel(channel.kind().value());
        readiness = MultiGauge.builder("cloudops.readiness.up")
                .description("1 when the readiness check is UP, 0 when DOWN (refreshed every 10 s)").register(registry);
        refreshReadiness();
    }

    /** Readiness checks are run off the scrape, on the scheduler's thread: a hung check cannot stall /q/metrics. */
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshReadiness() {
        if (readiness == null) {
            return;
        }
        try {
            JsonObject payload = health.getReadiness().getPayload();
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (JsonValue check : payload.getJsonArray("checks")) {
                JsonObject c = check.asJsonObject();
                rows.add(MultiGauge.Row.of(Tags.of("check", c.getString("name", "unnamed")),
                        "UP".equals(c.getString("status", "DOWN")) ? 1 : 0));
            }
            readiness.register(rows, true);
        } catch (RuntimeException e) {
            LOG.debugf("Reading the readiness checks for metrics failed: %s", e.getMessage());
        }
    }

    private Queue queue() {
        Queue last = queue;
        if (System.nanoTime() - last.readAtNanos < QUEUE_REFRESH.toNanos() && last.readAtNanos != 0) {
            return last;
        }
        synchronized (this) {
            if (queue != last) {
                return queue;
            }
            try {
                queue = Tx.run(dataSource, c -> {
                    try (PreparedStatement select = c.prepareStatement(
                            """
                                    SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
                                           count(*) FILTER (WHERE status = 'running') AS running,
                                           COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'queued')), 0)
                                               AS oldest_queued_seconds,
                                           (SELECT count(*) FROM dead_letter WHERE resolution IS NULL) AS open_dead_letters
                                    FROM task WHERE status IN ('queued', 'running')""");
                            ResultSet rs = select.executeQuery()) {
                        rs.next();
                        return new Queue(rs.getLong("queued"), rs.getLong("running"),
                                rs.getDouble("oldest_queued_seconds"), rs.getLong("open_dead_letters"), true,
                                System.nanoTime());
                    }
                });
            } catch (RuntimeException e) {
                LOG.debugf("Reading the queue for metrics failed: %s", e.getMessage());
                queue = new Queue(last.queued, last.running, last.oldestQueuedSeconds, last.openDeadLetters, false,
                        System.nanoTime());
            }
            return queue;
        }
    }
}
