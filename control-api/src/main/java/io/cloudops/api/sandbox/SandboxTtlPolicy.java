package io.cloudops.api.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.api.problem.ApiException;
import io.cloudops.api.project.Environment;
import io.cloudops.api.project.Project;
import io.cloudops.common.api.Problem.FieldError;
import io.cloudops.common.project.ProjectRequest;
import io.cloudops.common.project.SandboxTtlView;
import io.cloudops.common.sandbox.SandboxRequest;
import io.quarkus.runtime.Startup;

/**
 * The sandbox TTL policy: how long a sandbox lives when its request does not say, and how long it
 * may live at most, per project (its own settings, else {@link SandboxTtlConfig}'s). Operators stay
 * within the project's maximum; an admin may go past it up to the absolute cap of 30 days
 * ({@link SandboxRequest#MAX_TTL_MINUTES}), and the caller audits that as an exemption. One place
 * decides, so the API, the console and the project settings agree.
 *
 * <p>
 * The effective default never exceeds the effective maximum: a project whose maximum is below the
 * global default gets its maximum as default, and lowering {@code SANDBOX_MAX_TTL} later cannot
 * leave a project with a default it may not use.
 */
@ApplicationScoped
@Startup // a wrong SANDBOX_DEFAULT_TTL / SANDBOX_MAX_TTL stops the start, not the first sandbox request
public class SandboxTtlPolicy {

    /** What the policy allows for one sandbox: its TTL, the maximum it was held to, and whether an admin passed it. */
    public record Decision(int ttlMinutes, int maxTtlMinutes, boolean exemption) {
    }

    private final int globalDefault;
    private final int globalMax;

    SandboxTtlPolicy(SandboxTtlConfig config) {
        this.globalDefault = minutes("SANDBOX_DEFAULT_TTL", config.defaultTtl());
        this.globalMax = minutes("SANDBOX_MAX_TTL", config.maxTtl());
        if (globalDefault > globalMax) {
            throw new IllegalStateException("SANDBOX_DEFAULT_TTL (" + config.defaultTtl()
                    + ") must not be longer than SANDBOX_MAX_TTL (" + config.maxTtl() + ")");
        }
    }

    /** The policy in force for {@code project}. */
    public SandboxTtlView effective(Project project) {
        int max = maxOf(project);
        int fallback = project.sandboxDefaultTtlMinutes == null ? globalDefault : project.sandboxDefaultTtlMinutes;
        return new SandboxTtlView(Math.min(fallback, max), max, SandboxRequest.MAX_TTL_MINUTES);
    }

    /**
     * The TTL of a new sandbox of {@code project}: {@code requested}, or the project's default when
     * null. Above the project's maximum: a 422 naming {@code ttlMinutes}, unless {@code admin}.
     * (The request's own validation already keeps it within 1 minute to 30 days.)
     */
    public Decision forCreate(Project project, Integer requested, boolean admin) {
        SandboxTtlView policy = effective(project);
        int ttl = requested == null ? policy.defaultTtlMinutes() : requested;
        if (ttl > policy.maxTtlMinutes() && !admin) {
            throw ApiException.invalidField("ttlMinutes", "must be at most " + policy.maxTtlMinutes() + " ("
                    + human(policy.maxTtlMinutes()) + "), the sandbox maximum of project " + project.name
                    + "; only an admin may ask for more");
        }
        return new Decision(ttl, policy.maxTtlMinutes(), ttl > policy.maxTtlMinutes());
    }

    /**
     * The TTL of {@code sandbox} after adding {@code minutes}: its whole life, from creation to the
     * new expiry, within its project's maximum (admins: within 30 days). Otherwise a 422 naming
     * {@code ttlMinutes} that says how much is left.
     */
    public Decision forExtend(Environment sandbox, int minutes, boolean admin) {
        int max = maxOf(sandbox.project);
        long total = (long) sandbox.ttlMinutes + minutes;
        if (total > SandboxRequest.MAX_TTL_MINUTES) {
            throw ApiException.invalidField("ttlMinutes", "would make the sandbox live " + total
                    + " minutes in all; at most " + SandboxRequest.MAX_TTL_MINUTES + " (30 days)"
                    + left(sandbox.ttlMinutes, SandboxRequest.MAX_TTL_MINUTES));
        }
        if (total > max && !admin) {
            throw ApiException.invalidField("ttlMinutes", "would make the sandbox live " + total
                    + " minutes in all; project " + sandbox.project.name + " allows at most " + max + " ("
                    + human(max) + ")" + left(sandbox.ttlMinutes, max) + "; only an admin may extend further");
        }
        return new Decision((int) total, max, total > max);
    }

    /**
     * Checks a project's own settings: the request's validation keeps each within 1 to 43200; here
     * the default must not exceed the maximum in force (the project's own, else the global one).
     */
    public void check(ProjectRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Integer ownDefault = request.sandboxDefaultTtlMinutes();
        Integer ownMax = request.sandboxMaxTtlMinutes();
        if (ownDefault != null && ownMax != null && ownDefault > ownMax) {
            errors.add(new FieldError("sandboxDefaultTtlMinutes",
                    "must not be more than sandboxMaxTtlMinutes (" + ownMax + ")"));
        } else if (ownDefault != null && ownMax == null && ownDefault > globalMax) {
            errors.add(new FieldError("sandboxDefaultTtlMinutes", "must not be more than the global maximum of "
                    + globalMax + " minutes (SANDBOX_MAX_TTL, " + human(globalMax)
                    + "); set sandboxMaxTtlMinutes too"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalidFields(errors);
        }
    }

    private int maxOf(Project project) {
        return project.sandboxMaxTtlMinutes == null ? globalMax : project.sandboxMaxTtlMinutes;
    }

    private static String left(int ttl, int max) {
        int left = Math.max(0, max - ttl);
        return left == 0 ? ", and it is there already" : ", " + left + " more minutes at most";
    }

    /** 10080 as "7 d", 90 as "1 h 30 min": for messages people read (and the console's {@code fmt:minutes}). */
    public static String human(int minutes) {
        Duration d = Duration.ofMinutes(minutes);
        StringBuilder text = new StringBuilder();
        if (d.toDays() > 0) {
            text.append(d.toDays()).append(" d ");
        }
        if (d.toHoursPart() > 0) {
            text.append(d.toHoursPart()).append(" h ");
        }
        if (d.toMinutesPart() > 0) {
            text.append(d.toMinutesPart()).append(" min");
        }
        return text.toString().strip();
    }

    private static int minutes(String name, Duration value) {
        if (value.isNegative() || value.isZero() || value.toSecondsPart() != 0 || value.toNanosPart() != 0
                || value.toMinutes() > SandboxRequest.MAX_TTL_MINUTES) {
            throw new IllegalStateException(name + " must be whole minutes from 1m to 30d, not " + value);
        }
        return (int) value.toMinutes();
    }
}
