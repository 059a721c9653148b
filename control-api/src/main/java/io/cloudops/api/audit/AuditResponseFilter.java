package io.cloudops.api.audit;

import java.lang.reflect.Method;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.cloudops.common.api.Problem;
import io.cloudops.common.audit.AuditOutcome;
import io.cloudops.orchestrator.client.AuditRecord;
import io.cloudops.orchestrator.client.AuditTrail;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;

/**
 * Writes the audit entry of a refused attempt, once the answer is known (the problem mappers and
 * the console's inline problems have set the status): {@code denied} for any 401 or 403 (the
 * security check refused it; on a route without {@link Audited} the action is
 * {@value AuditActions#ACCESS}), {@code rejected} for another 4xx of an {@link Audited} route
 * (invalid input, unknown target, conflict). Nothing else changed, so the entry is a transaction of
 * its own; if it cannot be written the failure is logged and the answer goes out unchanged.
 * Successful changes are not written here: their services write them inside the change. A 401
 * or 403 given outside JAX-RS (HTTP security policies, a failed sign-in, a WebSocket upgrade) is
 * {@link DeniedRequestRecorder}'s.
 */
public class AuditResponseFilter {

    private static final Logger LOG = Logger.getLogger(AuditResponseFilter.class);
    private static final Set<Integer> DENIED = Set.of(401, 403);

    private final AuditContext audit;
    private final AuditTrail trail;

    AuditResponseFilter(AuditContext audit, AuditTrail trail) {
        this.audit = audit;
        this.trail = trail;
    }

    @ServerResponseFilter
    public void refused(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        int status = response.getStatus();
        if (status < 400 || status >= 500) {
            return;
        }
        Audited audited = audited(resource);
        boolean denied = DENIED.contains(status);
        if (!denied && audited == null) {
            return;
        }
        var detail = audit.detail();
        detail.put("status", status);
        if (response.getEntity() instanceof Problem problem) {
            detail.put("reason", problem.detail() != null ? problem.detail() : problem.title());
        }
        String targetId = null;
        if (audited != null && !audited.targetParam().isEmpty()) {
            targetId = request.getUriInfo().getPathParameters().getFirst(audited.targetParam());
        }
        audit.refusalRecorded();
        AuditRecord entry = audit.entry(denied ? AuditOutcome.DENIED : AuditOutcome.REJECTED,
                audited == null ? AuditActions.ACCESS : audited.value(),
                audited == null || audited.targetType().isEmpty() ? null : audited.targetType(), targetId, detail);
        if (Context.isOnEventLoopThread()) {
            // a non-blocking endpoint answers on the I/O thread: the insert must not block it
            Infrastructure.getDefaultWorkerPool().execute(() -> write(entry));
        } else {
            write(entry);
        }
    }

    private void write(AuditRecord entry) {
        try {
            trail.record(entry);
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not write the audit entry of a %s attempt (%s by %s, request %s)",
                    entry.outcome().value(), entry.action(), entry.actor(), entry.requestId());
        }
    }

    private static Audited audited(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        return method == null ? null : method.getAnnotation(Audited.class);
    }
}
