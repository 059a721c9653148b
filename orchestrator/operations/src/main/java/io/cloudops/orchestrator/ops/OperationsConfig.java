package io.cloudops.orchestrator.ops;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings shared by the operation handlers (deployment, sandbox, backup, restart). The service's
 * {@code application.properties} maps {@code DEMO_MODE}, {@code SIMULATION_TIME_SCALE} and the
 * data folder onto these keys.
 */
@ConfigMapping(prefix = "cloudops.operations")
public interface OperationsConfig {

    /**
     * Use the simulated adapters (realistic timings, logs and artifacts, no cloud). True in demo
     * mode; real adapters are chosen per operation by their own settings otherwise.
     */
    @WithDefault("true")
    boolean simulated();

    /** {@code SIMULATION_TIME_SCALE}: multiplies simulated step durations (0.01 = 100x faster). */
    @WithDefault("1.0")
    double simulationTimeScale();

    /** Folder of local artifacts ({@code artifacts/}) and backups ({@code backups/}). */
    @WithDefault("data")
    String dataDir();
}
