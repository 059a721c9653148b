package io.cloudops.orchestrator.sandbox;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.sandbox.SandboxCreatePayload;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * Sandboxes without a cluster, for the embedded default and demos: the log lines and timings of
 * creating and deleting a namespace with its quota and access, scaled by
 * {@code SIMULATION_TIME_SCALE}.
 */
@ApplicationScoped
public class SimulatedSandboxAdapter implements SandboxAdapter {

    private final Simulation simulation;

    SimulatedSandboxAdapter(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public void provision(StepContext context, SandboxCreatePayload sandbox) throws InterruptedException {
        simulation.work(context, Duration.ofSeconds(1), "creating namespace " + sandbox.namespace());
        context.log("namespace/" + sandbox.namespace() + " serverside-applied (simulated)");
        simulation.work(context, Duration.ofMillis(800), "applying resource quota");
        context.log("resourcequota/sandbox-quota serverside-applied (simulated): cpu 4, memory 8Gi, pods 20");
        simulation.work(context, Duration.ofMillis(600), "granting access");
        context.log("rolebinding/sandbox-editors serverside-applied (simulated)");
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
