package io.cloudops.api.guardrail;

import java.util.Optional;

import io.smallrye.config.SmallRyeConfig;

/**
 * Loads the guard-rail policies before anything starts ({@link io.cloudops.api.CloudOpsMain}), so a
 * broken policy file refuses to start with its message (the policy, the line and column of the
 * fault) instead of a stack trace from deep inside the start-up. {@link GuardRails} loads the same
 * file again once Quarkus runs (and in tests, which do not go through the main class).
 */
public final class GuardRailGuard {

    static final String FILE = "cloudops.policy.file";
    static final String TIME_ZONE = "cloudops.policy.time-zone";

    private GuardRailGuard() {
    }

    /** Why the configured policies cannot be used, or empty when they load. */
    public static Optional<String> problem(SmallRyeConfig config) {
        try {
            PolicyFile.load(config.getOptionalValue(FILE, String.class),
                    config.getOptionalValue(TIME_ZONE, String.class).orElse("UTC"));
            return Optional.empty();
        } catch (PolicyFile.Invalid e) {
            return Optional.of("Refusing to start: " + e.getMessage());
        }
    }
}
