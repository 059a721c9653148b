package io.cloudops.orchestrator.workload;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cloudops.common.workload.RestartWorkloadPayload;
import io.cloudops.orchestrator.handler.PermanentTaskException;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesErrors;
import io.cloudops.orchestrator.ops.kubernetes.RolloutWatcher;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Rolling restarts on a real cluster, the way {@code kubectl rollout restart} does them: a patch of
 * the pod template's {@code kubectl.kubernetes.io/restartedAt} annotation, which makes the
 * Deployment controller replace every pod. A second annotation records the task, so a retried
 * step sees that its restart already happened and does not restart the workload twice.
 */
@ApplicationScoped
public class KubernetesWorkloadAdapter implements WorkloadAdapter {

    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    static final String RESTARTED_BY_TASK = "cloudops.io/restarted-by-task";

    private final KubernetesClient client;
    private final RolloutWatcher watcher;
    private final ObjectMapper json;

    KubernetesWorkloadAdapter(KubernetesClient client, RolloutWatcher watcher, ObjectMapper json) {
        this.client = client;
        this.watcher = watcher;
        this.json = json;
    }

    @Override
    public void connect(StepContext context, RestartWorkloadPayload workload) {
        Deployment deployment = require(workload);
        context.log("connected to " + client.getMasterUrl() + "; found deployment/" + workload.name() + " in "
                + workload.namespace() + " (" + ready(deployment) + " ready)");
    }

    @Override
    public void restart(StepContext context, RestartWorkloadPayload workload) throws Exception {
        Deployment deployment = require(workload);
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata() == null
                ? null
                : deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        String task = context.taskId().toString();
        if (annotations != null && task.equals(annotations.get(RESTARTED_BY_TASK))) {
            context.log("deployment/" + workload.name() + " was already restarted by this task at "
                    + annotations.get(RESTARTED_AT));
            return;
        }
        if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            throw new PermanentTaskException("deployment/" + workload.name() + " is paused",
                    "Resume it first: kubectl -n " + workload.namespace() + " rollout resume deployment/"
                            + workload.name());
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String patch = json.writeValueAsString(Map.of("spec", Map.of("template", Map.of("metadata",
                Map.of("annotations", Map.of(RESTARTED_AT, now, RESTARTED_BY_TASK, task))))));
        try {
            client.apps().deployments().inNamespace(workload.namespace()).withName(workload.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.classify(e, "restarting deployment/" + workload.name());
        }
        context.log("deployment.apps/" + workload.name() + " restarted: " + RESTARTED_AT + "=" + now);
    }

    @Override
    public void awaitReady(StepContext context, RestartWorkloadPayload workload) throws InterruptedException {
        watcher.awaitDeployment(context, workload.namespace(), workload.name());
    }

    private Deployment require(RestartWorkloadPayload workload) {
        Deployment deployment;
        try {
            deployment = client.apps().deployments().inNamespace(workload.namespace()).withName(workload.name())
                    .get();
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.classify(e, "reading deployment/" + workload.name());
        }
        if (deployment == null) {
            throw new PermanentTaskException(
                    "deployment/" + workload.name() + " does not exist in namespace " + workload.namespace(),
                    "Check the namespace and name: kubectl -n " + workload.namespace()
                            + " get deployments (only Deployments can be restarted today)");
        }
        return deployment;
    }

    private static String ready(Deployment deployment) {
        int ready = deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
                ? 0
                : deployment.getStatus().getReadyReplicas();
        int desired = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        return ready + "/" + desired;
    }
}
