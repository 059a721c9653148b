package io.cloudops.api.workload;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.KubernetesClusterProfile;
import io.cloudops.api.testsupport.KubernetesMockServerResource;
import io.cloudops.api.testsupport.Tasks;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Workload restarts with the real adapter against the fabric8 mock server (CRUD mode). */
@QuarkusTest
@TestProfile(KubernetesClusterProfile.class)
class KubernetesWorkloadRestartTest {

    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    @Test
    void patchesThePodTemplateAnnotationAndWaitsUntilTheNewPodsAreReady() {
        KubernetesClient cluster = KubernetesMockServerResource.client();
        String namespace = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        Deployment created = cluster.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        markReady(cluster, namespace, 2);
        long generationBefore = cluster.apps().deployments().inNamespace(namespace).withName("web").get()
                .getMetadata().getGeneration();

        String taskId = given().post("/api/k8s/workloads/{ns}/{name}:restart", namespace, "web").then()
                .statusCode(202).extract().path("taskId");

        await().atMost(Duration.ofSeconds(30)).until(() -> annotations(cluster, namespace).containsKey(RESTARTED_AT));
        Map<String, String> annotations = annotations(cluster, namespace);
        assertThat(annotations.get(RESTARTED_AT)).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(annotations).containsEntry("cloudops.io/restarted-by-task", taskId);
        assertThat(created.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
        Deployment patched = cluster.apps().deployments().inNamespace(namespace).withName("web").get();
        assertThat(patched.getMetadata().getGeneration()).isGreaterThan(generationBefore);

        // the controller has not seen the new template yet: the task waits
        assertThat(Tasks.task(taskId).getString("status")).isEqualTo("running");
        markReady(cluster, namespace, 2);

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getList("steps.status")).containsOnly("succeeded");
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.contains("found deployment/web in " + namespace + " (2/2 ready)"))
                .anyMatch(line -> line.contains("deployment.apps/web restarted: " + RESTARTED_AT + "="))
                .anyMatch(line -> line.contains("deployment/web successfully rolled out (2/2 available)"));
    }

    @Test
    void aMissingWorkloadFailsAtOnceWithAHint() {
        String taskId = given().post("/api/k8s/workloads/{ns}/{name}:restart", "nowhere", "ghost").then()
                .statusCode(202).extract().path("taskId");

        JsonPath task = Tasks.awaitStatus(taskId, "failed");
        assertThat(task.getInt("attempt")).isEqualTo(1);
        assertThat(task.getList("steps.status")).containsExactly("failed", "skipped", "skipped");
        assertThat(task.getString("error.message")).contains("deployment/ghost does not exist in namespace nowhere");
        assertThat(task.getString("error.hint")).contains("kubectl -n nowhere get deployments");
    }

    private static Map<String, String> annotations(KubernetesClient cluster, String namespace) {
        Map<String, String> annotations = cluster.apps().deployments().inNamespace(namespace).withName("web").get()
                .getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    /** Plays the Deployment controller: every replica of the current generation is available. */
    private static void markReady(KubernetesClient cluster, String namespace, int replicas) {
        Deployment deployment = cluster.apps().deployments().inNamespace(namespace).withName("web").get();
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                .withAvailableReplicas(replicas).build());
        cluster.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }
}
