package io.cloudops.orchestrator.catalog;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rendering rules the plan artifact depends on: typed placeholders, no YAML injection, stable output. */
class ManifestRendererTest {

    private static final List<ObjectNode> MANIFESTS = ManifestRenderer.fromYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: ${name}
              namespace: somewhere-else
              labels:
                env: ${environment}
            spec:
              replicas: ${replicas}
              paused: ${paused}
              template:
                spec:
                  containers:
                    - name: ${name}-main
                      image: ${image}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ${name}-config
            data:
              port: ${port}
            """);

    @Test
    void wholeScalarPlaceholdersTakeTheParameterTypeAndPartialOnesAreText() {
        List<ObjectNode> rendered = ManifestRenderer.render(MANIFESTS, Map.of("name", "web", "replicas", 3, "paused",
                false, "image", "nginx:1.27", "port", "8080", "environment", "dev"), "shop-dev");

        ObjectNode deployment = rendered.get(0);
        assertThat(deployment.at("/spec/replicas").isNumber()).isTrue();
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/spec/paused").isBoolean()).isTrue();
        assertThat(deployment.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("web-main");
        assertThat(deployment.at("/metadata/labels/env").asText()).isEqualTo("dev");
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("shop-dev");
        assertThat(rendered.get(1).at("/metadata/namespace").asText()).isEqualTo("shop-dev");
        assertThat(rendered.get(1).at("/data/port").isTextual()).isTrue();
        assertThat(MANIFESTS.get(0).at("/metadata/name").asText()).as("the template is untouched").isEqualTo(
                "${name}");
    }

    @Test
    void aValueNeverBecomesYamlStructure() {
        String hostile = "nginx\n---\nkind: Secret\nmetadata: {name: x}";
        List<ObjectNode> rendered = ManifestRenderer.render(MANIFESTS, Map.of("name", "web", "replicas", 1, "paused",
                false, "image", hostile, "port", "80", "environment", "dev"), "ns");

        String yaml = ManifestRenderer.toYaml(rendered);
        List<ObjectNode> reparsed = ManifestRenderer.fromYaml(yaml);
        assertThat(reparsed).hasSize(2);
        assertThat(reparsed.get(0).at("/spec/template/spec/containers/0/image").asText()).isEqualTo(hostile);
    }

    @Test
    void thePlanYamlRoundTripsWithTypesKept() {
        List<ObjectNode> rendered = ManifestRenderer.render(MANIFESTS, Map.of("name", "web", "replicas", 2, "paused",
                true, "image", "nginx", "port", "8080", "environment", "dev"), "ns");

        String yaml = ManifestRenderer.toYaml(rendered);
        assertThat(ManifestRenderer.fromYaml(yaml)).isEqualTo(rendered);
        assertThat(ManifestRenderer.toYaml(rendered)).as("stable for the same input").isEqualTo(yaml);
        assertThat(yaml).contains("replicas: 2", "port: \"8080\"");
    }

    @Test
    void aMissingValueIsAnError() {
        assertThatThrownBy(() -> ManifestRenderer.render(MANIFESTS, Map.of("name", "web"), "ns"))
                .hasMessageContaining("no value for placeholder");
        assertThat(ManifestRenderer.placeholders(MANIFESTS)).containsExactly("environment", "image", "name",
                "paused", "port", "replicas");
    }
}
