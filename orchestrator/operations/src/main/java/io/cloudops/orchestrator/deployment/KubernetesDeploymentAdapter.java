package io.cloudops.orchestrator.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudops.common.deployment.DeploymentPayload;
import io.cloudops.orchestrator.handler.StepContext;
import io.cloudops.orchestrator.ops.kubernetes.ClusterNamespaces;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesConfig;
import io.cloudops.orchestrator.ops.kubernetes.KubernetesErrors;
import io.cloudops.orchestrator.ops.kubernetes.RolloutWatcher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;

/**
 * Deploys to a real cluster with the fabric8 client: applies the environment's namespace and each
 * rendered object with server-side apply (field manager {@code cloudops}, conflicts forced: the
 * control plane owns what its templates declare), then waits for every Deployment's rollout.
 */
@ApplicationScoped
public class KubernetesDeploymentAdapter implements DeploymentAdapter {

    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final ClusterNamespaces namespaces;
    private final RolloutWatcher watcher;

    KubernetesDeploymentAdapter(KubernetesClient client, KubernetesConfig config, ClusterNamespaces namespaces,
            RolloutWatcher watcher) {
        this.client = client;
        this.config = config;
        this.namespaces = namespaces;
        this.watcher = watcher;
    }

    @Override
    public void check(StepContext context, DeploymentPayload deployment) {
        try {
            VersionInfo version = client.getKubernetesVersion();
            context.log("connected to " + client.getMasterUrl() + " (Kubernetes " + version.getGitVersion() + ")");
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.classify(e, "connecting to the cluster");
        }
    }

    @Override
    public void apply(StepContext context, DeploymentPayload deployment, List<ObjectNode> manifests)
            throws InterruptedException {
        namespaces.apply(context, deployment.namespace(), Map.of(
                "cloudops.io/project", deployment.projectName(),
                "cloudops.io/environment", deployment.envName(),
                "cloudops.io/environment-id", deployment.envId().toString()));
        List<String> rollouts = new ArrayList<>();
        for (ObjectNode manifest : manifests) {
            String what = SimulatedDeploymentAdapter.describe(manifest);
            context.checkCancelled();
            try {
                HasMetadata object = client.getKubernetesSerialization().unmarshal(manifest.toString());
                client.resource(object).inNamespace(deployment.namespace())
                        .fieldManager(config.fieldManager()).forceConflicts().serverSideApply();
                if (object instanceof Deployment) {
                    rollouts.add(object.getMetadata().getName());
                }
            } catch (KubernetesClientException e) {
                throw KubernetesErrors.classify(e, "applying " + what);
            }
            context.log(what + " serverside-applied");
        }
        for (String name : rollouts) {
            watcher.awaitDeployment(context, deployment.namespace(), name);
        }
        context.progress(100, "applied " + manifests.size() + " objects");
    }
}
