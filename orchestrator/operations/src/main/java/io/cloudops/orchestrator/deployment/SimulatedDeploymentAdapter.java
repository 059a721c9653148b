package io.cloudops.orchestrator.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.Simulation;

/**
 * A cluster that is not there, for the embedded default and demos: applies the plan with the
 * timings and log lines of a real rollout (one pod after the other), scaled by
 * {@code SIMULATION_TIME_SCALE}.
 */
@ApplicationScoped
public class SimulatedDeploymentAdapter implements DeploymentAdapter {

    private final Simulation simulation;

    SimulatedDeploymentAdapter(Simulation simulation) {
        this.simulation = simulation;
    }

    @Override
    public void check(StepContext context, DeploymentPayload deployment) throws InterruptedException {
        simulation.work(context, Duration.ofMillis(800), "connecting to the cluster");
        context.log("connected to the simulated cluster (Kubernetes v1.30)");
    }

    @Override
    public void apply(StepContext context, DeploymentPayload deployment, List<ObjectNode> manifests)
            throws InterruptedException {
        context.log("namespace/" + deployment.namespace() + " serverside-applied (simulated)");
        for (ObjectNode manifest : manifests) {
            simulation.work(context, Duration.ofMillis(700), "applying " + describe(manifest));
            context.log(describe(manifest) + " serverside-applied (simulated)");
        }
        for (ObjectNode manifest : manifests) {
            if (!"Deployment".equals(manifest.path("kind").asText())) {
                continue;
            }
            String name = "deployment/" + manifest.path("metadata").path("name").asText();
            int replicas = manifest.path("spec").path("replicas").asInt(1);
            context.log(
                    "Waiting for " + name + " rollout to finish: 0 of " + replicas + " updated replicas are available");
            for (int ready = 1; ready <= replicas; ready++) {
                simulation.work(context, Duration.ofMillis(1500), name + ": starting pod " + ready + " of " + replicas);
                context.log(name + ": " + ready + " of " + replicas + " updated replicas are available");
            }
            context.log(name + " successfully rolled out");
        }
        context.progress(100, "applied " + manifests.size() + " objects");
    }

    static String describe(ObjectNode manifest) {
        return manifest.path("kind").asText().toLowerCase(Locale.ROOT) + "/"
                + manifest.path("metadata").path("name").asText();
    }
}
