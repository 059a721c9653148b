package io.cloudops.orchestrator.notification;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudops.common.sandbox.SandboxExpiredEvent;
import io.cloudops.orchestrator.engine.RecoverySweeper;
import io.cloudops.orchestrator.engine.Tx;
import io.quarkus.scheduler.Scheduled;

/**
 * Sandbox expiry notices: "expires in 1 h" ahead of time at each of
 * {@link NotifyConfig#sandboxNoticeOffsets()}, and "expired" when the expiry task's {@code notify} step
 * fires its {@link SandboxExpiredEvent}. Both only write outbox rows, keyed so that each notice is
 * written once per route however many instances look at the same time (insert ... on conflict do
 * nothing); the dispatcher sends them like any notification.
 */
@ApplicationScoped
public class SandboxNotices {

    private static final Logger LOG = Logger.getLogger(SandboxNotices.class);

    private final DataSource dataSource;
    private final SandboxNoticeOutbox outbox;
    private final NotifyConfig config;

    SandboxNotices(DataSource dataSource, SandboxNoticeOutbox outbox, NotifyConfig config) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.config = config;
    }

    @Scheduled(every = "${cloudops.notify.sandbox-notice-interval:30s}", delayed = "${cloudops.notify.sandbox-notice-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = RecoverySweeper.EngineDisabled.class)
    void check() {
        try {
            writeDue();
        } catch (RuntimeException e) {
            LOG.warnf("Sandbox notice check failed (will try again): %s", e.getMessage());
        }
    }

    /** Writes the "expiring soon" notices that are due; returns how many rows were written. */
    public int writeDue() {
        if (config.sandboxNoticeOffsets().isEmpty()) {
            return 0;
        }
        return Tx.run(dataSource, c -> outbox.enqueueExpiring(c, config.sandboxNoticeOffsets()));
    }

    /** The expiry task's notify step: the "expired" notice, once (a retried step writes nothing more). */
    void expired(@Observes SandboxExpiredEvent event) {
        int written = Tx.run(dataSource, c -> outbox.enqueueExpired(c, event.environmentId()));
        LOG.debugf("Sandbox %s expired: %d notice(s) written", event.name(), written);
    }
}
