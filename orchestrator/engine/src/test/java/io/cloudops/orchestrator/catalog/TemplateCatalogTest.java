package io.cloudops.orchestrator.catalog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped catalog loads, and its parameter rules are the ones the API and the handler apply. */
class TemplateCatalogTest {

    private final TemplateCatalog catalog = new TemplateCatalog();

    @Test
    void theShippedCatalogLoadsWithWebApp() {
        assertThat(catalog.all()).extracting(DeploymentTemplate::id).containsExactly("web-app", "worker");
        DeploymentTemplate webApp = catalog.find("web-app").orElseThrow();
        assertThat(webApp.kinds()).containsExactly("Deployment", "Service");
        assertThat(webApp.parameter("image").orElseThrow().required()).isTrue();
        assertThat(webApp.parameter("replicas").orElseThrow().defaultValue()).isEqualTo(2L);
        assertThat(catalog.find("nope")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void parametersAreCheckedStrictlyAndNamedByTheirPath() {
        DeploymentTemplate webApp = catalog.find("web-app").orElseThrow();
        Map<String, Object> params = new HashMap<>();
        params.put("replicas", "3");
        params.put("port", 0);
        params.put("name", "Web");
        params.put("extra", true);
        params.put("simulate", "flaky:2");

        assertThat(webApp.validate(params)).extracting(DeploymentTemplate.Violation::field)
                .containsExactly("params.extra", "params.image", "params.name", "params.port", "params.replicas");
        assertThat(webApp.validate(Map.of("image", "nginx", "replicas", 20, "port", 65535))).isEmpty();
        assertThat(webApp.validate(Map.of("image", "nginx", "replicas", 21))).extracting(
                DeploymentTemplate.Violation::message).containsExactly("must be at most 20");
        assertThat(webApp.validate(Map.of("image", "nginx", "simulate", "always"))).extracting(
                DeploymentTemplate.Violation::field).containsExactly("params.simulate");
    }

    @Test
    void resolveFillsInDefaultsInDeclarationOrderAndKeepsSimulate() {
        DeploymentTemplate webApp = catalog.find("web-app").orElseThrow();

        Map<String, Object> resolved = webApp.resolve(Map.of("image", "nginx", "replicas", 5, "simulate", "fail"));

        assertThat(List.copyOf(resolved.keySet())).containsExactly("name", "image", "replicas", "port", "pullPolicy",
                "simulate");
        assertThat(resolved).containsEntry("name", "web").containsEntry("replicas", 5).containsEntry("port", 8080L)
                .containsEntry("pullPolicy", "IfNotPresent");
    }

    @Test
    void aParameterWithAllowedValuesTakesOnlyThoseAndTheFormLearnsThemFromTheView() {
        DeploymentTemplate webApp = catalog.find("web-app").orElseThrow();
        TemplateParameter pullPolicy = webApp.parameter("pullPolicy").orElseThrow();

        assertThat(pullPolicy.allowedValues()).containsExactly("IfNotPresent", "Always", "Never");
        assertThat(webApp.validate(Map.of("image", "nginx", "pullPolicy", "Always"))).isEmpty();
        assertThat(webApp.validate(Map.of("image", "nginx", "pullPolicy", "Sometimes")))
                .containsExactly(new DeploymentTemplate.Violation("params.pullPolicy",
                        "must be one of IfNotPresent, Always, Never"));
        assertThat(webApp.validate(Map.of("image", "nginx", "pullPolicy", 1))).extracting(
                DeploymentTemplate.Violation::message).containsExactly("must be a string");
        assertThat(pullPolicy.view().allowedValues()).containsExactly("IfNotPresent", "Always", "Never");
        assertThat(webApp.parameter("replicas").orElseThrow().view().allowedValues()).isNull();
    }

    @Test
    void allowedIntegersAreComparedByValueWhateverTheirJavaType() {
        TemplateParameter size = new TemplateParameter("size", TemplateParameter.Type.INTEGER, "", false, 2L, null,
                null, null, null, List.of(1L, 2L, 4L));

        assertThat(size.problem(4)).isEmpty();
        assertThat(size.problem(4L)).isEmpty();
        assertThat(size.problem(3)).contains("must be one of 1, 2, 4");
        assertThat(size.problem("4")).contains("must be an integer");
    }

    @Test
    void allowedValuesAndDefaultsOutsideTheParametersOwnRulesStopTheCatalogFromLoading() {
        assertThatThrownBy(() -> TemplateCatalog.load("test-default-not-allowed"))
                .hasMessage("template test-default-not-allowed: default of size must be one of small, large");
        assertThatThrownBy(() -> TemplateCatalog.load("test-allowed-out-of-range"))
                .hasMessage("template test-allowed-out-of-range: allowed value 16 of size must be at most 8");
    }

    @Test
    void theWorkersBooleanParameterRendersAsAYamlBoolean() {
        DeploymentTemplate worker = catalog.find("worker").orElseThrow();

        assertThat(worker.parameter("serviceAccountToken").orElseThrow().defaultValue()).isEqualTo(true);
        assertThat(worker.validate(Map.of("image", "nginx", "serviceAccountToken", "false"))).extracting(
                DeploymentTemplate.Violation::message).containsExactly("must be true or false");
        Map<String, Object> values = new HashMap<>(worker.resolve(Map.of("image", "nginx",
                "serviceAccountToken", false)));
        values.putAll(Map.of("namespace", "shop-dev", "project", "shop", "environment", "dev"));
        com.fasterxml.jackson.databind.JsonNode token = ManifestRenderer.render(worker.manifests(), values,
                "shop-dev").getFirst().path("spec").path("template").path("spec").path("automountServiceAccountToken");
        assertThat(token.isBoolean()).as("a YAML boolean, not the text 'false'").isTrue();
        assertThat(token.booleanValue()).isFalse();
    }
}
