package io.cloudops.orchestrator.notification;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cloudops.orchestrator.engine.RecoverySweeper;
import io.cloudops.orchestrator.engine.RetryPolicy;
import io.cloudops.orchestrator.engine.Tx;
import io.cloudops.orchestrator.telemetry.EngineMetrics;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends the notifications of the outbox, in every process that runs the engine (so the embedded
 * default sends from control-api, the distributed topology from the orchestrators). Each poll claims
 * due rows (committed before anything is sent, {@code SKIP LOCKED}: dispatchers in several processes
 * never claim the same row), sends them in parallel on virtual threads, and records each attempt;
 * a poll does not wait for its sends, so a destination that is slow to answer (an SMTP server taking
 * its whole {@code SMTP_TIMEOUT}) holds back nothing but its own notifications, while at most
 * {@link NotifyConfig#maxInFlight()} sends are under way (a poll claims no more than there is room for);
 * a failed send is retried after an exponential back-off with full jitter, up to
 * {@link NotifyConfig#maxAttempts()}. Tasks never wait for any of this: they committed their outcome
 * and its outbox rows before the dispatcher saw them.
 *
 * <p>
 * Delivery is at least once: a dispatcher that dies after a webhook accepted the post but before
 * the attempt was recorded leaves the row to be sent again once its claim lease passes; the
 * {@code Idempotency-Key} header (the row's id) lets a receiver drop that duplicate.
 */
@ApplicationScoped
public class NotificationDispatcher {

    /** The identity of the scheduled poll (a test pauses it to drive {@link #dispatchDue} round by round). */
    public static final String POLL_JOB = "notification-dispatch";

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);

    private final DataSource dataSource;
    private final NotifyConfig config;
    private final OutboxClaims outbox;
    private final NotificationMessages messages;
    private final TeamsSender teams;
    private final EmailSender email;
    private final SlackSender slack;
    private final PagerDutySender pagerDuty;
    private final RetryPolicy retry;
    private final EngineMetrics metrics;
    private final RouteBuckets buckets;
    /** Where the polls' sends run; a poll hands its rows over and goes on. */
    private final ExecutorService sending = Executors.newVirtualThreadPerTaskExecutor();
    /** Room for sends under way: a poll takes a permit for each row it claims, the send gives it back. */
    private final Semaphore inFlight;

    NotificationDispatcher(DataSource dataSource, NotifyConfig config, OutboxClaims outbox,
            NotificationMessages messages, TeamsSender teams, EmailSender email, EngineMetrics metrics,
            SlackSender slack, PagerDutySender pagerDuty, RouteBuckets buckets) {
        this.slack = slack;
        this.pagerDuty = pagerDuty;
        this.dataSource = dataSource;
        this.buckets = buckets;
        this.metrics = metrics;
        this.config = config;
        this.outbox = outbox;
        this.messages = messages;
        this.teams = teams;
        this.email = email;
        this.retry = new RetryPolicy(config.maxAttempts(), config.backoffInitial().toMillis(), 2.0,
                Math.max(config.backoffInitial().toMillis(), config.backoffMax().toMillis()));
        this.inFlight = new Semaphore(Math.max(1, config.maxInFlight()));
    }

    /**
     * Sends under way get a moment to be recorded; one still going after that is sent again once its claim
     * lease passes (delivery is at least once).
     */
    @PreDestroy
    void stop() {
        sending.shutdown();
        try {
            if (!sending.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.infof("Stopping with notification sends under way; they are sent again after their lease");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Scheduled(identity = POLL_JOB, every = "${cloudops.notify.poll-interval:1s}", delayed = "${cloudops.notify.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RecoverySweeper.EngineDisabled.class)
    void poll() {
        try {
            while (dispatchDue() == config.batchSize()) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("Notification dispatch failed (due notifications stay queued): %s", e.getMessage());
        }
    }

    /**
     * One round: claims up to a batch of due notifications (fewer when fewer sends fit beside those under way),
     * lets each route's token bucket decide (in the claim's transaction: what it holds back joins the route's
     * digest) and starts sending the rest, without waiting for them; returns how many were claimed (a full
     * batch: more may be due).
     */
    public int dispatchDue() {
        int room = 0;
        while (room < config.batchSize() && inFlight.tryAcquire()) {
            room++;
        }
        if (room == 0) {
            return 0;
        }
        int limit = room;
        List<List<ClaimedNotification>> round;
        try {
            round = Tx.run(dataSource, c -> {
                List<ClaimedNotification> claimed = outbox.claim(c, limit);
                return List.of(claimed, buckets.admit(c, claimed));
            });
        } catch (RuntimeException e) {
            inFlight.release(room);
            throw e;
        }
        List<ClaimedNotification> admitted = round.get(1);
        inFlight.release(room - admitted.size());
        for (ClaimedNotification row : admitted) {
            try {
                sending.execute(() -> {
                    try {
                        send(row);
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.release(); // stopping: the row is sent again after its lease
            }
        }
        return round.get(0).size();
    }

    /**
     * Sends the given pending notifications now, in parallel, waiting at most {@code wait} (the test of
     * {@code POST /api/notifications/test}): each is claimed as the dispatcher claims (so no poll sends it
     * too) and recorded like any attempt. Returns each one's delivery; one still sending when the wait is
     * over is answered as failed ("no answer within ...") and recorded when it ends. Tests bypass the
     * token bucket: they are asked for, one per route.
     */
    public Map<UUID, Delivery> sendNow(List<UUID> ids, Duration wait) {
        Map<UUID, Delivery> results = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return results;
        }
        List<ClaimedNotification> claimed = Tx.run(dataSource, c -> outbox.claimIds(c, ids));
        ExecutorService sending = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Map<UUID, Future<Delivery>> sends = new LinkedHashMap<>();
            claimed.forEach(row -> sends.put(row.id(), sending.submit(() -> send(row))));
            long deadline = System.nanoTime() + wait.toNanos();
            for (Map.Entry<UUID, Future<Delivery>> send : sends.entrySet()) {
                try {
                    results.put(send.getKey(),
                            send.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    results.put(send.getKey(), Delivery.failed(null,
                            "no answer within " + wait.toSeconds()
                                    + " s (still sending; its attempt is recorded when it ends)",
                            wait));
                } catch (ExecutionException e) {
                    results.put(send.getKey(), Delivery.failed(null, String.valueOf(e.getCause()), Duration.ZERO));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.put(send.getKey(), Delivery.failed(null, "interrupted while waiting", Duration.ZERO));
                }
            }
        } finally {
            sending.shutdown();
        }
        return results;
    }

    private Delivery send(ClaimedNotification row) {
        String masked = row.kind().mask(row.target());
        Delivery delivery;
        try {
            NotificationMessage message = Tx.run(dataSource, c -> messages.read(c, row));
            delivery = switch (row.kind()) {
                case TEAMS -> teams.send(row.target(), message);
                case EMAIL -> email.send(row.target(), message);
                case SLACK -> slack.send(row.target(), message);
                case PAGERDUTY -> pagerDuty.send(row.target(), message);
            };
        } catch (RuntimeException e) {
            delivery = Delivery.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage(), Duration.ZERO);
        }
        delivery = masked(delivery, row);
        Instant retryAt = null;
        if (!delivery.delivered() && !delivery.permanent() && retry.allowsAnotherAttempt(row.attempt())
                && row.attempt() < row.maxAttempts()) {
            retryAt = Instant.now().plus(retry.backoff(row.attempt(), ThreadLocalRandom.current()));
        }
        Delivery outcome = delivery;
        Instant due = retryAt;
        try {
            boolean recorded = Tx.run(dataSource, c -> outbox.complete(c, row, outcome, due));
            if (!recorded) {
                LOG.warnf("Notification %s to %s %s: its claim was taken over; this attempt is not recorded", row.id(),
                        row.kind().value(), masked);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Notification %s to %s %s: could not record attempt %d (%s); it is retried after its lease",
                    row.id(), row.kind().value(), masked, row.attempt(), e.getMessage());
            return outcome;
        }
        metrics.notificationAttempt(row.kind().value(), outcome.delivered()
                ? EngineMetrics.NotificationOutcome.SENT
                : due != null ? EngineMetrics.NotificationOutcome.RETRYING : EngineMetrics.NotificationOutcome.FAILED);
        if (outcome.delivered()) {
            LOG.debugf("Notification %s %s to %s %s (attempt %d)", row.id(), outcome.outcome().value(),
                    row.kind().value(), masked, row.attempt());
        } else if (due != null) {
            LOG.infof("Notification %s to %s %s failed (attempt %d of %d, retried at %s): %s", row.id(),
                    row.kind().value(), masked, row.attempt(), row.maxAttempts(), due, outcome.error());
        } else {
            LOG.warnf("Notification %s to %s %s failed for good after %d attempts: %s", row.id(), row.kind().value(),
                    masked, row.attempt(), outcome.error());
        }
        return outcome;
    }

    /** An error text may quote the URL it failed on: the webhook's secret parts never reach the log or the database. */
    private static Delivery masked(Delivery delivery, ClaimedNotification row) {
        if (delivery.error() == null || row.kind() == RouteKind.EMAIL) {
            return delivery;
        }
        String error = delivery.error().replace(row.target(), row.kind().mask(row.target()));
        if (row.kind() == RouteKind.PAGERDUTY) {
            return new Delivery(delivery.outcome(), delivery.httpStatus(), error, delivery.duration(),
                    delivery.permanent()); // a routing key, not a URL
        }
        try {
            URI uri = URI.create(row.target());
            for (String secret : new String[]{uri.getRawPath(), uri.getRawQuery(), uri.getPath(), uri.getQuery()}) {
                if (secret != null && secret.length() > 1) {
                    error = error.replace(secret, "/" + RouteKind.MASK);
                }
            }
        } catch (IllegalArgumentException e) {
            // not a URI: the whole target was replaced above
        }
        return new Delivery(delivery.outcome(), delivery.httpStatus(), error, delivery.duration(),
                delivery.permanent());
    }
}
