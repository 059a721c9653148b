package io.cloudops.orchestrator.sandbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the sandbox expiry job. */
@ConfigMapping(prefix = "cloudops.operations.sandbox")
public interface SandboxConfig {

    /**
     * {@code SANDBOX_EXPIRY_CHECK_INTERVAL}: how often due sandboxes are looked for; a sandbox is
     * torn down at most this long after its {@code expiresAt}.
     */
    @WithDefault("30s")
    Duration expiryCheckInterval();

    /** Sandboxes handed to expiry tasks per check (the rest wait for the next check). */
    @WithDefault("100")
    int expiryBatchSize();
}
