package io.cloudops.api.manifests;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.cloudops.api.manifests.KustomizeBuild.containers;
import static io.cloudops.api.manifests.KustomizeBuild.find;
import static io.cloudops.api.manifests.KustomizeBuild.name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Kubernetes manifests in {@code k8s/} without a cluster or kubectl: each kustomization
 * (base and overlays) is built by {@link KustomizeBuild}, and what it produces must run the services
 * as they are packaged (images, the ports their {@code application.properties} set, the SmallRye
 * Health probes), be configured only through the README's configuration matrix, keep secrets out,
 * and grant the orchestrator what its Kubernetes adapters call.
 */
class KubernetesManifestsTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/embedded", "overlays/production");
    /** Container name → the module whose application.properties sets its port. */
    private static final Map<String, String> MODULES = Map.of("control-api", "control-api", "orchestrator",
            "orchestrator");
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

    @Test
    void everyKustomizationBuildsFromExistingFilesAndEveryManifestFileIsUsed() throws IOException {
        KustomizeBuild build = new KustomizeBuild();
        KUSTOMIZATIONS.forEach(k -> assertThat(build.build(K8S.resolve(k))).as(k).isNotEmpty());
        try (Stream<Path> files = Files.walk(K8S)) {
            List<Path> unused = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .map(Path::normalize).filter(f -> !build.referenced.contains(f))
                    .filter(f -> !f.getFileName().toString().endsWith(".example.yaml")).toList();
            assertThat(unused).as("manifest files no kustomization references").isEmpty();
        }
    }

    @Test
    void deploymentsRunTheImageOnTheServicePortWithHealthProbes() throws IOException {
        for (String kustomization : KUSTOMIZATIONS) {
            for (ObjectNode deployment : ofKind(build(kustomization), "Deployment")) {
                List<ObjectNode> containers = containers(deployment);
                assertThat(containers).as("%s: %s", kustomization, name(deployment)).isNotEmpty();
                for (ObjectNode container : containers) {
                    String where = kustomization + ": " + name(deployment) + "/" + container.path("name").asText();
                    assertThat(container.path("image").asText()).as(where + " image").matches("[^\\s:]+:[^\\s:/]+");
                    assertThat(MODULES).as(where + " is a known service").containsKey(container.path("name")
                            .asText());
                    int port = httpPort(MODULES.get(container.path("name").asText()));
                    assertThat(portNumber(container, container.path("ports").path(0).path("name").asText()))
                            .as(where + " containerPort").isEqualTo(port);
                    assertProbe(where, container, "startupProbe", "/q/health/started", port);
                    assertProbe(where, container, "readinessProbe", "/q/health/ready", port);
                    assertProbe(where, container, "livenessProbe", "/q/health/live", port);
                    for (String bound : List.of("requests", "limits")) {
                        for (String resource : List.of("cpu", "memory")) {
                            assertThat(container.path("resources").path(bound).path(resource).asText())
                                    .as("%s resources.%s.%s", where, bound, resource).isNotBlank();
                        }
                    }
                    JsonNode security = container.path("securityContext");
                    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(where).isFalse();
                    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(where).isTrue();
                    assertThat(pod(deployment).path("securityContext").path("runAsNonRoot").asBoolean()).as(where)
                            .isTrue();
                    Set<String> mounts = new HashSet<>();
                    container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
                    assertThat(mounts).as(where + " writable folders").contains("/tmp", "/data");
                }
            }
        }
    }

    @Test
    void servicesTargetContainerPortsOfTheirDeployment() throws IOException {
        for (String kustomization : KUSTOMIZATIONS) {
            List<ObjectNode> resources = build(kustomization);
            for (ObjectNode service : ofKind(resources, "Service")) {
                JsonNode selector = service.path("spec").path("selector");
                List<ObjectNode> selected = ofKind(resources, "Deployment").stream()
                        .filter(d -> matches(selector, d.path("spec").path("template").path("metadata").path("labels")))
                        .toList();
                // The embedded overlay has no orchestrator; its Service is not in that build either.
                assertThat(selected).as("%s: Deployment behind Service %s", kustomization, name(service)).hasSize(1);
                for (JsonNode port : service.path("spec").path("ports")) {
                    assertThat(containers(selected.getFirst()).stream()
                            .map(c -> portNumber(c, port.path("targetPort").asText())))
                            .as("%s: Service %s targetPort %s", kustomization, name(service), port.path("targetPort"))
                            .anyMatch(p -> p != null && p > 0);
                }
            }
        }
    }

    @Test
    void everyEnvironmentVariableIsInTheReadmeConfigurationMatrix() throws IOException {
        Set<String> matrix = readmeMatrix();
        for (String kustomization : KUSTOMIZATIONS) {
            List<ObjectNode> resources = build(kustomization);
            Set<String> used = new TreeSet<>();
            for (ObjectNode deployment : ofKind(resources, "Deployment")) {
                for (ObjectNode container : containers(deployment)) {
                    container.path("env").forEach(e -> used.add(e.path("name").asText()));
                    for (JsonNode from : container.path("envFrom")) {
                        String configMap = from.path("configMapRef").path("name").asText();
                        assertThat(from.has("secretRef")).as("no envFrom a whole Secret: name the keys").isFalse();
                        ObjectNode data = find(resources, "ConfigMap", configMap);
                        assertThat(data).as("%s: ConfigMap %s", kustomization, configMap).isNotNull();
                        data.path("data").fieldNames().forEachRemaining(used::add);
                    }
                }
            }
            assertThat(used).as(kustomization + " uses variables").isNotEmpty();
            assertThat(used.stream().filter(v -> !matrix.contains(v) && !v.startsWith("QUARKUS_")))
                    .as("%s: variables missing from README.md's configuration matrix", kustomization).isEmpty();
        }
    }

    @Test
    void productionRunsTwoOfEachWithExternalServicesAndNoSecretIsCommitted() throws IOException {
        List<ObjectNode> production = build("overlays/production");
        for (String deployment : List.of("cloudops-control-api", "cloudops-orchestrator")) {
            assertThat(find(production, "Deployment", deployment).path("spec").path("replicas").asInt())
                    .as(deployment).isGreaterThanOrEqualTo(2);
        }
        ObjectNode hpa = find(production, "HorizontalPodAutoscaler", "cloudops-orchestrator");
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("cloudops-orchestrator");
        assertThat(find(production, "PodDisruptionBudget", "cloudops-orchestrator")).isNotNull();
        assertThat(env(production, "cloudops-control-api", "ORCHESTRATOR_ENABLED").path("value").asText())
                .isEqualTo("false");
        for (String deployment : List.of("cloudops-control-api", "cloudops-orchestrator")) {
            assertThat(env(production, deployment, "PLATFORM_DB_CONN").path("valueFrom").path("secretKeyRef")
                    .path("optional").asBoolean()).as(deployment + " needs the database secret").isFalse();
        }

        // production signs in with OIDC (docs/security.md): never demo mode, the client secret from the Secret
        JsonNode config = find(production, "ConfigMap", "cloudops-config").path("data");
        assertThat(config.path("DEMO_MODE").asText()).isEqualTo("false");
        assertThat(config.has("AZURE_TENANT_ID") || config.has("OIDC_AUTH_SERVER_URL")).as("an OIDC issuer").isTrue();
        assertThat(config.has("OIDC_CLIENT_ID") || config.has("AZURE_CLIENT_ID")).as("an OIDC client id").isTrue();
        assertThat(env(production, "cloudops-control-api", "OIDC_CLIENT_SECRET").path("valueFrom")
                .path("secretKeyRef").path("optional").asBoolean()).as("the client secret is required").isFalse();

        List<ObjectNode> embedded = build("overlays/embedded");
        // the demo pod asks for demo mode explicitly, as it must to listen beyond loopback (DemoModeGuard)
        JsonNode demo = find(embedded, "ConfigMap", "cloudops-config").path("data");
        assertThat(demo.path("DEMO_MODE").asText()).isEqualTo("true");
        assertThat(demo.path("QUARKUS_HTTP_HOST").asText()).isEqualTo("0.0.0.0");
        assertThat(env(embedded, "cloudops-control-api", "OIDC_CLIENT_SECRET")).isNull();
        assertThat(ofKind(embedded, "Deployment")).singleElement()
                .satisfies(d -> assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1));
        assertThat(env(embedded, "cloudops-control-api", "ORCHESTRATOR_ENABLED").path("value").asText())
                .isEqualTo("true");
        assertThat(env(embedded, "cloudops-control-api", "PLATFORM_DB_CONN")).isNull();

        for (String kustomization : KUSTOMIZATIONS) {
            assertThat(ofKind(build(kustomization), "Secret")).as(kustomization + " commits no Secret").isEmpty();
        }
    }

    @Test
    void orchestratorMayApplyEveryKindTheDeploymentTemplatesDeclare() throws IOException {
        List<ObjectNode> base = build("base");
        JsonNode rules = find(base, "ClusterRole", "cloudops-orchestrator").path("rules");
        Set<String> kinds = new TreeSet<>();
        try (Stream<Path> files = Files
                .walk(ROOT.resolve("orchestrator/engine/src/main/resources/deployment-templates"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("manifests.yaml")).toList()) {
                KustomizeBuild.read(file).forEach(m -> kinds.add(m.path("apiVersion").asText() + " "
                        + m.path("kind").asText()));
            }
        }
        kinds.add("v1 Namespace");
        assertThat(kinds).contains("apps/v1 Deployment", "v1 Service");
        for (String kind : kinds) {
            String group = kind.contains("/") ? kind.substring(0, kind.indexOf('/')) : "";
            String resource = kind.substring(kind.indexOf(' ') + 1).toLowerCase() + "s";
            assertThat(allowed(rules, group, resource)).as("verbs on %s", kind)
                    .contains("get", "create", "patch");
        }
        assertThat(allowed(rules, "", "namespaces")).contains("delete");
        assertThat(allowed(rules, "apps", "deployments")).contains("list", "watch");
        ObjectNode binding = find(base, "ClusterRoleBinding", "cloudops-orchestrator");
        assertThat(binding.path("subjects").path(0).path("name").asText()).isEqualTo("cloudops-orchestrator");
        assertThat(pod(find(base, "Deployment", "cloudops-orchestrator")).path("serviceAccountName").asText())
                .isEqualTo("cloudops-orchestrator");
    }

    /**
     * Where kubectl is installed (it is on the build machines, without a cluster), its own kustomize
     * must build the same resources as {@link KustomizeBuild}, so the checks above see what a cluster
     * would get. Labels are left out of the comparison ({@code labels:} is the one field the test's
     * build does not apply).
     */
    @Test
    void theTestsBuildMatchesKubectlKustomize() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed");
        for (String kustomization : KUSTOMIZATIONS) {
            Process process = new ProcessBuilder("kubectl", "kustomize", K8S.resolve(kustomization).toString())
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor()).as("kubectl kustomize %s: %s", kustomization, new String(output)).isZero();
            Path built = Files.createTempFile("kustomize", ".yaml");
            try {
                Files.write(built, output);
                assertThat(withoutLabels(KustomizeBuild.read(built)))
                        .as(kustomization).containsExactlyInAnyOrderElementsOf(withoutLabels(build(kustomization)));
            } finally {
                Files.delete(built);
            }
        }
    }

    private static List<ObjectNode> withoutLabels(List<ObjectNode> resources) {
        resources.forEach(r -> ((ObjectNode) r.path("metadata")).remove("labels"));
        return resources;
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /** The variable names of README.md's "Configuration" and "Task channels" tables (first column). */
    static Set<String> readmeMatrix() throws IOException {
        Set<String> names = new TreeSet<>();
        String section = "";
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
            } else if ((section.equals("Configuration") || section.equals("Task channels")) && line.startsWith("|")) {
                Matcher m = VARIABLE.matcher(line.split("\\|")[1]);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertThat(names).as("README.md's matrix as parsed").contains("PLATFORM_DB_CONN", "ORCHESTRATOR_ENABLED",
                "TASK_CHANNEL", "AMQP_URL", "AZURE_SERVICEBUS_CONNECTION_STRING");
        return names;
    }

    private static void assertProbe(String where, JsonNode container, String probe, String path, int port) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("path").asText()).as("%s %s path", where, probe).isEqualTo(path);
        assertThat(portNumber(container, get.path("port").asText())).as("%s %s port", where, probe).isEqualTo(port);
    }

    /** A container port given by name or number, or null when the container has no such port. */
    private static Integer portNumber(JsonNode container, String nameOrNumber) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(nameOrNumber)
                    || port.path("containerPort").asText().equals(nameOrNumber)) {
                return port.path("containerPort").asInt();
            }
        }
        return null;
    }

    private static int httpPort(String module) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(ROOT.resolve(module)
                .resolve("src/main/resources/application.properties"))));
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    private static Set<String> allowed(JsonNode rules, String group, String resource) {
        Set<String> verbs = new TreeSet<>();
        for (JsonNode rule : rules) {
            if (contains(rule.path("apiGroups"), group) && contains(rule.path("resources"), resource)) {
                rule.path("verbs").forEach(v -> verbs.add(v.asText()));
            }
        }
        return verbs;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        List<String> mismatches = new ArrayList<>();
        selector.fields().forEachRemaining(e -> {
            if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                mismatches.add(e.getKey());
            }
        });
        return !selector.isEmpty() && mismatches.isEmpty();
    }

    private static JsonNode env(List<ObjectNode> resources, String deployment, String name) {
        for (JsonNode e : containers(find(resources, "Deployment", deployment)).getFirst().path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static JsonNode pod(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    private static List<ObjectNode> ofKind(List<ObjectNode> resources, String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    private static List<ObjectNode> build(String kustomization) {
        return new KustomizeBuild().build(K8S.resolve(kustomization));
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null
                && !(Files.isDirectory(dir.resolve("k8s")) && Files.isRegularFile(dir.resolve("README.md")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root (with k8s/ and README.md) above the working directory").isNotNull();
        return dir;
    }
}
