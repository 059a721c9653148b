package io.cloudops.api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The one test profile of this module: operations are real, and the Kubernetes adapters talk to
 * the fabric8 mock server ({@link KubernetesMockServerResource}). Every real-adapter test uses it,
 * so the app restarts once for all of them.
 */
public class KubernetesClusterProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "cloudops.operations.simulated", "false",
                "cloudops.operations.kubernetes.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KubernetesMockServerResource.class));
    }
}
