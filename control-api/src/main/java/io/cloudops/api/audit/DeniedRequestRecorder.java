package io.cloudops.api.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.orchestrator.client.AuditRecord;
import io.cloudops.orchestrator.client.AuditTrail;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The audit entry of a 401 or 403 that no JAX-RS method answered: refused by an HTTP security
 * policy, a failed sign-in, a WebSocket upgrade ({@code /hubs/tasks}). It is written when the
 * answer's headers go out, on a worker thread (never on the I/O thread, never delaying the
 * answer), as {@code denied} with action {@value AuditActions#ACCESS}; a request that
 * {@link AuditResponseFilter} already recorded is skipped. A failed write is logged.
 */
@ApplicationScoped
public class DeniedRequestRecorder {

    static final String RECORDED = "cloudops.audit.refusal-recorded";
    private static final Logger LOG = Logger.getLogger(DeniedRequestRecorder.class);

    private final AuditTrail trail;
    private final AuditContext audit;

    DeniedRequestRecorder(AuditTrail trail, AuditContext audit) {
        this.trail = trail;
        this.audit = audit;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(this::watch);
    }

    private void watch(RoutingContext context) {
        context.addHeadersEndHandler(ignored -> {
            int status = context.response().getStatusCode();
            if ((status == 401 || status == 403) && context.get(RECORDED) == null) {
                SecurityIdentity who = context.user() instanceof QuarkusHttpUser user
                        ? user.getSecurityIdentity()
                        : null;
                AuditRecord entry = AuditContext.entry(who, context, AuditOutcome.DENIED, AuditActions.ACCESS, null,
                        null, audit.detail().put("status", status));
                Infrastructure.getDefaultWorkerPool().execute(() -> write(entry));
            }
        });
        context.next();
    }

    private void write(AuditRecord entry) {
        try {
            trail.record(entry);
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not write the audit entry of a denied request (%s, request %s)", entry.detail(),
                    entry.requestId());
        }
    }
}
