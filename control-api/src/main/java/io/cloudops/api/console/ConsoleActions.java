package io.cloudops.api.console;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.problem.Problems;
import io.cloudops.common.api.Problem;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * How a console page acts: it calls the service the API endpoint calls, after the role check that
 * endpoint's {@code @RolesAllowed} makes, and whatever the service throws becomes the problem the
 * API would answer ({@link Problems}), with the same status, fields and messages. Nothing goes over
 * HTTP. A page that lacks the role gets the API's 403 problem, which it shows inline like any other.
 */
@ApplicationScoped
public class ConsoleActions {

    /** The work of an action; it may throw what the services throw (and Jackson's errors of a form). */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /** The result of the work, or the problem that stopped it. */
    public record Attempt<T>(T value, Problem problem) {

        public boolean ok() {
            return problem == null;
        }

        /** As an outcome: accepted with the task {@code taskOf} names (null: none), or failed. */
        public ActionOutcome outcome(Function<? super T, UUID> taskOf) {
            return ok() ? ActionOutcome.accepted(taskOf.apply(value)) : ActionOutcome.failed(problem);
        }
    }

    private final SecurityIdentity identity;

    ConsoleActions(SecurityIdentity identity) {
        this.identity = identity;
    }

    /**
     * Runs {@code work} if the signed-in user has {@code role} (the role of the API endpoint the
     * action stands for). {@code instance} (the page's path) goes into the problem and the log.
     */
    public <T> Attempt<T> attempt(String role, String instance, Work<T> work) {
        try {
            if (!identity.hasRole(role)) {
                throw new ForbiddenException();
            }
            return new Attempt<>(work.run(), null);
        } catch (Exception e) {
            return new Attempt<>(null, Problems.of(e, instance));
        }
    }
}
