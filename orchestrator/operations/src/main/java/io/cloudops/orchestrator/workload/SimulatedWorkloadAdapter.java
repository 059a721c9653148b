package io.cloudops.orchestrator.workload;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.cloudops.common.workload.RestartWorkloadPayload;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * Restarts in a cluster that is not there, for the embedded default and demos: every workload
 * exists and has three replicas, which are replaced one by one with realistic, scaled timings.
 */
@ApplicationScoped
public class SimulatedWorkloadAdapter implements WorkloadAdapter {

    static final int REPLICAS = 3;

    private final Simulation simulation;

    SimulatedWorkloadAdapter(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public void connect(StepContext context, RestartWorkloadPayload workload) throws InterruptedException {
        simulation.work(context, Duration.ofMillis(600), "connecting to the cluster");
        context.log("connected to the simulated cluster (Kubernetes v1.30); found deployment/" + workload.name()
                + " in " + workload.namespace() + " (" + REPLICAS + "/" + REPLICAS + " ready)");
    }

    @Override
    public void restart(StepContext context, RestartWorkloadPayload workload) throws InterruptedException {
        simulation.work(context, Duration.ofMillis(500), "patching the pod template");
        context.log("deployment.apps/" + workload.name() + " restarted (simulated): kubectl.kubernetes.io/restartedAt="
                + Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void awaitReady(StepContext context, RestartWorkloadPayload workload) throws InterruptedException {
        String name = "deployment/" + workload.name();
        for (int replaced = 1; replaced <= REPLICAS; replaced++) {
            simulation.work(context, Duration.ofSeconds(2), name + ": replacing pod " + replaced + " of " + REPLICAS);
            context.log(name + ": " + replaced + " of " + REPLICAS + " replicas run the new template");
        }
        context.log(name + " successfully rolled out (" + REPLICAS + "/" + REPLICAS + " available)");
    }
}
