package io.cloudops.api.schedule;

import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.security.Roles;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * Runs a schedule's work as the schedule: a request context of its own whose identity is
 * {@code schedule:<name>} with the operator role (the role the operations' endpoints require, and
 * not admin, so a scheduled run never overrides a guard rail that only an admin may override). The
 * services a fired run goes through (task acceptance, its rate limit, guard rails and audit entry)
 * read the identity as they read a request's, so nothing in them is special to schedules.
 */
@ApplicationScoped
public class ScheduleIdentity {

    static final Set<String> ROLES = Set.of(Roles.VIEWER, Roles.OPERATOR);

    private final CurrentIdentityAssociation association;

    ScheduleIdentity(CurrentIdentityAssociation association) {
        this.association = association;
    }

    /** {@code work} as {@code principal}, in a fresh request context (any outer one is restored after). */
    public <T> T runAs(String principal, Supplier<T> work) {
        ManagedContext context = Arc.container().requestContext();
        InjectableContext.ContextState outer = context.isActive() ? context.getState() : null;
        if (outer != null) {
            context.deactivate();
        }
        context.activate();
        try {
            association.setIdentity(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal))
                    .addRoles(ROLES).build());
            return work.get();
        } finally {
            context.terminate();
            if (outer != null) {
                context.activate(outer);
            }
        }
    }
}
