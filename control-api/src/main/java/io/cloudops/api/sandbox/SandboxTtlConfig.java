package io.cloudops.api.sandbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The global sandbox TTL policy: what a project without settings of its own follows
 * ({@link SandboxTtlPolicy}). Whole minutes, at least one, the default at most the maximum, the
 * maximum at most 30 days: checked when the application starts.
 */
@ConfigMapping(prefix = "cloudops.sandbox")
public interface SandboxTtlConfig {

    /**
     * {@code SANDBOX_DEFAULT_TTL}: the time to live of a sandbox whose request names none, in a
     * project without a default of its own. A working day: a sandbox forgotten in the evening is gone
     * by the morning.
     */
    @WithDefault("8h")
    Duration defaultTtl();

    /**
     * {@code SANDBOX_MAX_TTL}: the longest a sandbox may live in all (extensions included) in a
     * project without a maximum of its own; admins may go past it, up to 30 days. A week: long
     * enough for a sprint's review, short enough that nothing becomes a pet.
     */
    @WithDefault("7d")
    Duration maxTtl();
}
