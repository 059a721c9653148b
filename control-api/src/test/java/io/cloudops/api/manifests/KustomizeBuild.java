package io.cloudops.api.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource list of a kustomization, built the way {@code kubectl kustomize} builds it for the
 * features {@code k8s/} uses (resources, strategic-merge patches keyed by name, images, namespace),
 * so the manifests test needs no kubectl. Any other kustomization field fails the build: the test
 * must not silently ignore what it does not understand.
 */
final class KustomizeBuild {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "patches", "images");
    /** The lists the patches merge by {@code name} (strategic merge keys of the kinds used here). */
    private static final Set<String> NAMED_LISTS = Set.of("containers", "env", "ports", "volumes", "volumeMounts");

    /** Every file a kustomization referenced, so the test can find files nothing references. */
    final Set<Path> referenced = new LinkedHashSet<>();

    /** The resources of the kustomization in {@code dir}, with its patches and images applied. */
    List<ObjectNode> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        assertThat(file).as("kustomization in %s", dir).isRegularFile();
        referenced.add(file.normalize());
        JsonNode kustomization = read(file).getFirst();
        kustomization.fieldNames().forEachRemaining(field -> assertThat(SUPPORTED)
                .as("%s: field %s (not understood by this test's build)", file, field).contains(field));

        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path target = dir.resolve(entry.asText()).normalize();
            assertThat(target).as("%s references %s", file, entry.asText()).exists();
            if (Files.isDirectory(target)) {
                resources.addAll(build(target));
            } else {
                referenced.add(target);
                resources.addAll(read(target));
            }
        }
        for (JsonNode entry : kustomization.path("patches")) {
            Path patchFile = dir.resolve(entry.path("path").asText()).normalize();
            assertThat(patchFile).as("%s patches with %s", file, entry.path("path").asText()).isRegularFile();
            referenced.add(patchFile);
            for (ObjectNode patch : read(patchFile)) {
                ObjectNode target = find(resources, patch.path("kind").asText(), name(patch));
                assertThat(target).as("%s: the target of its patch %s %s", file, patch.path("kind").asText(),
                        name(patch)).isNotNull();
                merge(target, patch);
            }
        }
        for (JsonNode image : kustomization.path("images")) {
            resources.forEach(resource -> containers(resource).forEach(container -> {
                if (container.path("image").asText().split(":")[0].equals(image.path("name").asText())) {
                    container.put("image", image.path("newName").asText(image.path("name").asText()) + ":"
                            + image.path("newTag").asText());
                }
            }));
        }
        if (kustomization.has("namespace")) {
            resources.stream().filter(resource -> !List.of("Namespace", "ClusterRole", "ClusterRoleBinding")
                    .contains(resource.path("kind").asText()))
                    .forEach(resource -> ((ObjectNode) resource.path("metadata")).put("namespace",
                            kustomization.path("namespace").asText()));
        }
        return resources;
    }

    static List<ObjectNode> read(Path file) {
        try (var parser = YAML.createParser(file.toFile())) {
            List<ObjectNode> documents = new ArrayList<>();
            YAML.readValues(parser, ObjectNode.class).forEachRemaining(documents::add);
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }

    static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind) && name(r).equals(name))
                .findFirst().orElse(null);
    }

    static List<ObjectNode> containers(JsonNode resource) {
        List<ObjectNode> containers = new ArrayList<>();
        resource.path("spec").path("template").path("spec").path("containers")
                .forEach(c -> containers.add((ObjectNode) c));
        return containers;
    }

    /** Strategic merge as kustomize does it for these kinds: null deletes, named lists merge by name. */
    private static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing instanceof ObjectNode object) {
                merge(object, value);
            } else if (value.isArray() && existing instanceof ArrayNode array
                    && NAMED_LISTS.contains(field.getKey())) {
                mergeNamed(array, (ArrayNode) value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    private static void mergeNamed(ArrayNode target, ArrayNode patch) {
        for (JsonNode item : patch) {
            String name = item.path("name").asText();
            int index = -1;
            for (int i = 0; i < target.size(); i++) {
                if (target.get(i).path("name").asText().equals(name)) {
                    index = i;
                }
            }
            if ("delete".equals(item.path("$patch").asText())) {
                assertThat(index).as("a deleted list item %s exists", name).isNotNegative();
                target.remove(index);
            } else if (index >= 0) {
                merge((ObjectNode) target.get(index), item);
            } else {
                target.add(item.deepCopy());
            }
        }
    }
}
