package io.cloudops.orchestrator.workload;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.task.TaskType;
import io.cloudops.common.workload.RestartWorkloadPayload;
import io.cloudops.orchestrator.handler.Payloads;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.handler.TaskHandler;
import io.cloudops.orchestrator.ops.Simulation;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesMode;

/**
 * Rolling restart of a workload (the 2 a.m. pod restart, as a task): {@code connect} (reach the
 * cluster, find the workload), {@code rollout-restart} (patch the pod template),
 * {@code wait-ready} (until the new pods are available). The session key is {@code <ns>/<name>},
 * so restarts of one workload never overlap.
 */
@ApplicationScoped
public class RestartWorkloadHandler implements TaskHandler {

    public static final String TYPE = TaskType.RESTART_WORKLOAD.type();
    static final String CONNECT = "connect";
    static final String ROLLOUT_RESTART = "rollout-restart";
    static final String WAIT_READY = "wait-ready";

    private final Simulation simulation;
    private final KubernetesMode mode;
    private final SimulatedWorkloadAdapter simulated;
    private final KubernetesWorkloadAdapter kubernetes;
    private final ObjectMapper json;

    RestartWorkloadHandler(Simulation simulation, KubernetesMode mode, SimulatedWorkloadAdapter simulated,
            KubernetesWorkloadAdapter kubernetes, ObjectMapper json) {
        this.simulation = simulation;
        this.mode = mode;
        this.simulated = simulated;
        this.kubernetes = kubernetes;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(StepContext context) throws Exception {
        RestartWorkloadPayload workload = payload(context);
        WorkloadAdapter adapter = mode.choose((WorkloadAdapter) simulated, () -> kubernetes);
        switch (context.step()) {
            case CONNECT -> adapter.connect(context, workload);
            case ROLLOUT_RESTART -> {
                simulation.maybeFail(context, json.valueToTree(workload.params()));
                adapter.restart(context, workload);
            }
            case WAIT_READY -> adapter.awaitReady(context, workload);
            default -> throw new PermanentTaskException("unknown step " + context.step(), null);
        }
        context.progress(100, context.step() + " done");
    }

    private RestartWorkloadPayload payload(StepContext context) {
        return Payloads.read(json, context, RestartWorkloadPayload.class, "a workload restart",
                "Restart workloads through POST /api/k8s/workloads/{ns}/{name}:restart");
    }
}
