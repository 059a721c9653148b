package io.cloudops.api.sandbox;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.cloudops.api.testsupport.KubernetesClusterProfile;
import io.cloudops.api.testsupport.KubernetesMockServerResource;
import io.cloudops.api.testsupport.Tasks;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static io.cloudops.api.testsupport.Fixtures.createProject;
import static io.cloudops.api.testsupport.Fixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sandboxes with the real adapter against the fabric8 mock server: a namespace per sandbox. */
@QuarkusTest
@TestProfile(KubernetesClusterProfile.class)
class KubernetesSandboxTest {

    @Inject
    EntityManager em;

    @Test
    void aSandboxIsANamespaceThatIsDeletedWhenItExpires() {
        KubernetesClient cluster = KubernetesMockServerResource.client();
        String projectName = uniqueName("ns");
        String projectId = createProject(projectName);

        JsonPath accepted = given().contentType(ContentType.JSON)
                .body(Map.of("projectId", projectId, "ttlMinutes", 30)).post("/api/sandboxes").then()
                .statusCode(202).extract().jsonPath();
        String envId = accepted.getString("environmentId");
        String namespace = accepted.getString("namespace");
        Tasks.awaitStatus(accepted.getString("taskId"), "succeeded");

        Namespace created = cluster.namespaces().withName(namespace).get();
        assertThat(created).isNotNull();
        assertThat(created.getMetadata().getLabels())
                .containsEntry("cloudops.io/sandbox", "true")
                .containsEntry("cloudops.io/environment-id", envId)
                .containsEntry("cloudops.io/project", projectName)
                .containsEntry("app.kubernetes.io/managed-by", "cloudops");
        assertThat(KubernetesMockServerResource.applied())
                .anyMatch(
                        r -> r.path().equals("/api/v1/namespaces/" + namespace) && "cloudops".equals(r.fieldManager()));

        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("UPDATE environment SET expires_at = now() - interval '1 second' WHERE id = :id")
                .setParameter("id", UUID.fromString(envId)).executeUpdate());

        await().atMost(Duration.ofSeconds(30)).until(() -> "expired".equals(
                given().get("/api/environments/{id}", envId).then().extract().path("status")));
        assertThat(cluster.namespaces().withName(namespace).get()).isNull();
        String expiry = given().queryParam("type", "sandbox_expire").queryParam("entityId", envId).get("/api/tasks")
                .then().statusCode(200).extract().path("items[0].id");
        assertThat(Tasks.task(expiry).getList("logs.message", String.class))
                .contains("namespace/" + namespace + " deleted; waiting for its contents to go",
                        "namespace/" + namespace + " is gone");
    }
}
