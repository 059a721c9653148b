package io.cloudops.orchestrator.sandbox;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * Sandboxes without a cluster, for the embedded default and demos: the log lines and timings of
 * what {@link KubernetesSandboxAdapter} does (apply a labelled namespace, delete it and wait until
 * it is gone), scaled by {@code SIMULATION_TIME_SCALE}.
 */
@ApplicationScoped
public class SimulatedSandboxAdapter implements SandboxAdapter {

    private final Simulation simulation;

    SimulatedSandboxAdapter(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public void provision(StepContext context, SandboxCreatePayload sandbox) throws InterruptedException {
        simulation.work(context, Duration.ofMillis(1500), "creating namespace " + sandbox.namespace());
        context.log("namespace/" + sandbox.namespace() + " serverside-applied (simulated)");
        context.progress(100, "provisioned");
    }

    @Override
    public void teardown(StepContext context, String namespace) throws InterruptedException {
        context.log("namespace/" + namespace + " deleted (simulated); waiting for its contents to go");
        simulation.work(context, Duration.ofSeconds(2), "deleting namespace " + namespace);
        context.log("namespace/" + namespace + " is gone (simulated)");
        context.progress(100, "torn down");
    }
}
