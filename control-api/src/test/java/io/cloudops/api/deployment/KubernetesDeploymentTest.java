package io.cloudops.api.deployment;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.KubernetesClusterProfile;
import io.cloudops.api.testsupport.KubernetesMockServerResource;
import io.cloudops.api.testsupport.Tasks;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.cloudops.api.testsupport.Fixtures.createEnvironment;
import static io.cloudops.api.testsupport.Fixtures.createProject;
import static io.cloudops.api.testsupport.Fixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deployments with the real adapter against the fabric8 mock server (CRUD mode, no controllers):
 * the test plays the Deployment controller by writing the status that ends the rollout wait.
 */
@QuarkusTest
@TestProfile(KubernetesClusterProfile.class)
class KubernetesDeploymentTest {

    KubernetesClient cluster;
    String projectName;
    String projectId;
    String envId;
    String namespace;

    @BeforeEach
    void environment() {
        cluster = KubernetesMockServerResource.client();
        projectName = uniqueName("k8s");
        projectId = createProject(projectName);
        envId = createEnvironment(projectId, "stage", "stage");
        namespace = projectName + "-stage";
    }

    @Test
    void appliesTheRenderedManifestsServerSideAndWaitsForTheRollout() {
        // simulate is ignored by real adapters
        String taskId = deploy("web-app", Map.of("name", "shop", "image", "nginx:1.27", "replicas", 3, "port", 9090,
                "simulate", "fail"));

        Deployment deployment = awaitDeployment("shop");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("nginx:1.27");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0)
                .getContainerPort()).isEqualTo(9090);
        assertThat(deployment.getMetadata().getLabels()).containsEntry("cloudops.io/project", projectName)
                .containsEntry("cloudops.io/environment", "stage")
                .containsEntry("app.kubernetes.io/managed-by", "cloudops");
        Service service = cluster.services().inNamespace(namespace).withName("shop").get();
        assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", "shop");
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        Namespace ns = cluster.namespaces().withName(namespace).get();
        assertThat(ns.getMetadata().getLabels()).containsEntry("cloudops.io/environment-id", envId);

        assertThat(KubernetesMockServerResource.applied()).filteredOn(r -> r.path().contains(namespace))
                .extracting(KubernetesMockServerResource.ApplyRequest::path)
                .containsExactly("/api/v1/namespaces/" + namespace,
                        "/apis/apps/v1/namespaces/" + namespace + "/deployments/shop",
                        "/api/v1/namespaces/" + namespace + "/services/shop");
        assertThat(KubernetesMockServerResource.applied()).filteredOn(r -> r.path().contains(namespace))
                .allSatisfy(request -> {
                    assertThat(request.fieldManager()).isEqualTo("cloudops");
                    assertThat(request.force()).isTrue();
                    assertThat(request.contentType()).startsWith("application/apply-patch+yaml");
                });

        // no controller in the mock: the rollout waits until the test reports the pods ready
        assertThat(Tasks.task(taskId).getString("status")).isEqualTo("running");
        markRolledOut("shop", 3);

        JsonPath task = Tasks.awaitStatus(taskId, "succeeded");
        assertThat(task.getInt("attempt")).isEqualTo(1);
        assertThat(task.getList("logs.message", String.class))
                .anyMatch(line -> line.startsWith("connected to http"))
                .anyMatch(line -> line.equals("deployment/shop serverside-applied"))
                .anyMatch(line -> line.contains("deployment/shop successfully rolled out (3/3 available)"));

        // deploying again applies over the existing objects: changed in place, a new generation to roll out
        long generation = cluster.apps().deployments().inNamespace(namespace).withName("shop").get().getMetadata()
                .getGeneration();
        String again = deploy("web-app", Map.of("name", "shop", "image", "nginx:1.28", "replicas", 4, "port", 9090));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.apps().deployments().inNamespace(namespace)
                .withName("shop").get().getSpec().getReplicas() == 4);
        Deployment updated = cluster.apps().deployments().inNamespace(namespace).withName("shop").get();
        assertThat(updated.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.28");
        assertThat(updated.getMetadata().getGeneration()).isGreaterThan(generation);
        markRolledOut("shop", 4);
        Tasks.awaitStatus(again, "succeeded");
    }

    @Test
    void aRolloutPastItsProgressDeadlineFailsTheTaskWithAHint() {
        String taskId = deploy("worker", Map.of("image", "registry.example.com/jobs:broken"));

        Deployment deployment = awaitDeployment("worker");
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(0)
                .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                        .withReason("ProgressDeadlineExceeded").build())
                .build());
        cluster.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();

        JsonPath task = Tasks.awaitStatus(taskId, "failed");
        assertThat(task.getInt("attempt")).isEqualTo(1);
        assertThat(task.getString("error.message")).contains("apply",
                "deployment/worker exceeded its progress deadline");
        assertThat(task.getString("error.hint"))
                .contains("kubectl -n " + namespace + " rollout status deployment/worker");
    }

    private String deploy(String template, Map<String, Object> params) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "envId", envId, "templateId", template, "params", params))
                .post("/api/deployments").then().statusCode(202).extract().path("taskId");
    }

    private Deployment awaitDeployment(String name) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.apps().deployments().inNamespace(namespace).withName(name).get() != null);
        return cluster.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private void markRolledOut(String name, int replicas) {
        Deployment deployment = cluster.apps().deployments().inNamespace(namespace).withName(name).get();
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                .withAvailableReplicas(replicas).build());
        cluster.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }
}
